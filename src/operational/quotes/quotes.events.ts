import { declareEvent } from '#platform/events/index.js';

/** What every quote event tells about the quote. */
interface QuoteEventBase {
  quoteId: string;
  number: string;
  revision: number;
  opportunityId: string | null;
  accountId: string;
  ownerId: string;
  teamId: string | null;
  grandTotal: { amount: string; currency: string };
}

/** `quote.status_changed`: a quote moved on (submitted, approved, sent, superseded, …). */
export interface QuoteStatusChangedPayload extends QuoteEventBase {
  from: string;
  to: string;
  approvalRequired: boolean;
}

/** `quote.accepted`: the customer accepted the quote; sales marks its opportunity won. */
export interface QuoteAcceptedPayload extends QuoteEventBase {
  contactId: string | null;
  acceptedAt: string;
}

/** `quote.expired`: a quote passed its validity without an answer. */
export interface QuoteExpiredPayload extends QuoteEventBase {
  validUntil: string;
  previousStatus: string;
}

export const QUOTE_STATUS_CHANGED = declareEvent<QuoteStatusChangedPayload>(
  'quote.status_changed',
  'quotes',
);
export const QUOTE_ACCEPTED = declareEvent<QuoteAcceptedPayload>('quote.accepted', 'quotes');
export const QUOTE_EXPIRED = declareEvent<QuoteExpiredPayload>('quote.expired', 'quotes');
