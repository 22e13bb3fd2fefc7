import { declareEvent } from '#platform/events/index.js';

/** Who changed something: a user of the CRM, or the contact through a link of a message. */
export type MarketingActor = 'user' | 'contact';

/** `preferences.changed`: a contact's channels, topics, quiet hours or cap changed. */
export interface PreferencesChangedPayload {
  changedBy: MarketingActor;
  /** Names of the preference fields that changed. */
  fields: string[];
  version: number;
}

/** `consent.given` / `consent.withdrawn`: a new entry in a contact's consent history. */
export interface ConsentPayload {
  consentId: string;
  purpose: string;
  lawfulBasis: string;
  channel: string | null;
  source: string;
  /** For a withdrawal, the entry it withdraws. */
  withdraws: string | null;
  at: string;
}

/** `contact.unsubscribed`: the contact asked for no more marketing (one-click or preference centre). */
export interface ContactUnsubscribedPayload {
  channel: string | null;
  messageId: string | null;
  via: 'one_click' | 'preference_centre' | 'bounce';
}

/** The message every `message.*` event is about. */
interface MessageRef {
  messageId: string;
  contactId: string;
  channel: string;
  /** Campaign, automation or other sender key the message belongs to. */
  sourceKey: string;
}

export type MessageSentPayload = MessageRef & { sentAt: string; smtpMessageId: string | null };
export type MessageOpenedPayload = MessageRef & { openedAt: string; first: boolean };
export type MessageClickedPayload = MessageRef & { url: string; clickedAt: string };
export type MessageBouncedPayload = MessageRef & {
  bouncedAt: string;
  status: string | null;
  diagnostic: string | null;
};

export const PREFERENCES_CHANGED = declareEvent<PreferencesChangedPayload>(
  'preferences.changed',
  'contacts',
);
export const CONSENT_GIVEN = declareEvent<ConsentPayload>('consent.given', 'contacts');
export const CONSENT_WITHDRAWN = declareEvent<ConsentPayload>('consent.withdrawn', 'contacts');
export const CONTACT_UNSUBSCRIBED = declareEvent<ContactUnsubscribedPayload>(
  'contact.unsubscribed',
  'contacts',
);
export const MESSAGE_SENT = declareEvent<MessageSentPayload>('message.sent', 'messages');
export const MESSAGE_OPENED = declareEvent<MessageOpenedPayload>('message.opened', 'messages');
export const MESSAGE_CLICKED = declareEvent<MessageClickedPayload>('message.clicked', 'messages');
export const MESSAGE_BOUNCED = declareEvent<MessageBouncedPayload>('message.bounced', 'messages');
