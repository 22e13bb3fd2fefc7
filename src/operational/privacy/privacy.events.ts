import { declareEvent } from '#platform/events/index.js';

/**
 * `contact.erased`: a contact's personal data was erased (on request or by a retention
 * rule). Carries no personal data; systems fed by webhooks erase their copies on it.
 */
export interface ContactErasedPayload {
  requestId: string;
  trigger: 'request' | 'retention';
  erasedAt: string;
}

export const CONTACT_ERASED = declareEvent<ContactErasedPayload>('contact.erased', 'contacts');
