import { declareEvent } from '#platform/events/index.js';

/**
 * `deal_registration.submitted` / `.approved` / `.rejected` / `.expired`: a partner's deal
 * registration changed status. `channelManagerId` is who decides it (notifications go there).
 */
export interface DealRegistrationPayload {
  registrationId: string;
  partnerId: string;
  status: 'submitted' | 'approved' | 'rejected' | 'expired';
  channelManagerId: string | null;
  accountName: string;
  opportunityId: string | null;
  byUserId: string | null;
  reason?: string;
}

const registration = (verb: string) =>
  declareEvent<DealRegistrationPayload>(`deal_registration.${verb}`, 'partners');

export const DEAL_REGISTRATION_SUBMITTED = registration('submitted');
export const DEAL_REGISTRATION_APPROVED = registration('approved');
export const DEAL_REGISTRATION_REJECTED = registration('rejected');
export const DEAL_REGISTRATION_EXPIRED = registration('expired');

/** `partner.record_shared`: a lead or opportunity became visible to a partner organization. */
export interface PartnerRecordSharedPayload {
  partnerId: string;
  recordType: 'leads' | 'opportunities';
  recordId: string;
  via: 'staff' | 'rule' | 'registration';
  rule: string | null;
}

export const PARTNER_RECORD_SHARED = declareEvent<PartnerRecordSharedPayload>(
  'partner.record_shared',
  'partners',
);

/** `partner.user_invited` / `partner.user_revoked`: a partner user's access changed. */
export interface PartnerUserPayload {
  partnerId: string;
  partnerUserId: string;
  byUserId: string;
}

export const PARTNER_USER_INVITED = declareEvent<PartnerUserPayload>(
  'partner.user_invited',
  'partners',
);
export const PARTNER_USER_REVOKED = declareEvent<PartnerUserPayload>(
  'partner.user_revoked',
  'partners',
);
