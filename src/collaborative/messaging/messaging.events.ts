import { declareEvent } from '#platform/events/index.js';

export type ParticipantKind = 'user' | 'contact' | 'partner_user';

/** Where a message was written: the staff API, an e-mail reply, the customer portal, the partner API. */
export const MESSAGE_SOURCES = ['api', 'email', 'portal', 'partner'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

/** The record a thread is about, when it is tied to one. */
export interface ThreadRecord {
  entity: string;
  id: string;
}

/** `thread.created`. */
export interface ThreadCreatedPayload {
  subject: string;
  record: ThreadRecord | null;
  participantUserIds: string[];
}

/**
 * `thread.message_posted`: `recipientUserIds` are the staff participants other than the
 * author, `mentionedUserIds` the users the message names; an internal note reaches staff only.
 */
export interface ThreadMessagePostedPayload {
  threadId: string;
  messageId: string;
  subject: string;
  record: ThreadRecord | null;
  authorKind: ParticipantKind;
  authorId: string;
  internal: boolean;
  recipientUserIds: string[];
  mentionedUserIds: string[];
  source: MessageSource;
}

/** `thread.message_edited` and `thread.message_deleted`. */
export interface ThreadMessageChangedPayload {
  threadId: string;
  messageId: string;
  actorId: string;
  recipientUserIds: string[];
}

export const THREAD_CREATED = declareEvent<ThreadCreatedPayload>('thread.created', 'threads');
export const THREAD_MESSAGE_POSTED = declareEvent<ThreadMessagePostedPayload>(
  'thread.message_posted',
  'threads',
);
export const THREAD_MESSAGE_EDITED = declareEvent<ThreadMessageChangedPayload>(
  'thread.message_edited',
  'threads',
);
export const THREAD_MESSAGE_DELETED = declareEvent<ThreadMessageChangedPayload>(
  'thread.message_deleted',
  'threads',
);
