import { declareEvent } from '#platform/events/index.js';

/** `portal.access_granted` / `portal.access_revoked`: a contact's portal identity changed. */
export interface PortalAccessPayload {
  contactId: string;
  portalUserId: string;
  byUserId: string;
}

export const PORTAL_ACCESS_GRANTED = declareEvent<PortalAccessPayload>(
  'portal.access_granted',
  'contacts',
);
export const PORTAL_ACCESS_REVOKED = declareEvent<PortalAccessPayload>(
  'portal.access_revoked',
  'contacts',
);
