import { streamKey, type StreamEventInput } from '#collaborative/stream/index.js';
import { messageText } from './message-body.js';
import type { MessageRow } from './messages.repository.js';
import type { ParticipantRow, ThreadRow } from './threads.repository.js';

type Person = Pick<ParticipantRow, 'kind' | 'participant_id' | 'name'>;

const isAuthor = (p: Person, m: MessageRow) =>
  p.kind === m.author_kind && p.participant_id === m.author_id;

/** The outside participants (customers, partner users) of a thread, as stream keys. */
function outsideKeys(people: Person[], except?: MessageRow): string[] {
  return people
    .filter((p) => p.kind !== 'user' && !(except && isAuthor(p, except)))
    .map((p) => streamKey(p.kind, p.participant_id));
}

/**
 * What the stream carries of a new message: to staff in the thread (not its author) the
 * whole summary; to its outside participants — only when it is not an internal note — the
 * same without ids of people or the internal flag, the author by kind and name, as their
 * API shows them.
 */
export function messagePostedEvents(
  thread: ThreadRow,
  m: MessageRow,
  people: Person[],
): StreamEventInput[] {
  const common = {
    threadId: thread.id,
    messageId: m.id,
    subject: thread.subject,
    preview: messageText(m.body ?? '', m.format).slice(0, 200),
    createdAt: m.created_at.toISOString(),
  };
  const author = people.find((p) => isAuthor(p, m));
  return [
    {
      type: 'message.posted',
      userIds: people
        .filter((p) => p.kind === 'user' && !isAuthor(p, m))
        .map((p) => p.participant_id),
      data: { ...common, author: { kind: m.author_kind, id: m.author_id }, internal: m.internal },
    },
    {
      type: 'message.posted',
      userIds: [],
      recipients: m.internal ? [] : outsideKeys(people, m),
      data: { ...common, author: { kind: m.author_kind, name: author?.name ?? '' } },
    },
  ];
}

/** An edit or deletion reaches whoever saw the message: staff, and outsiders unless internal. */
export function messageChangedEvent(
  verb: 'edited' | 'deleted',
  m: MessageRow,
  staff: string[],
  people: Person[],
): StreamEventInput {
  return {
    type: verb === 'edited' ? 'message.edited' : 'message.deleted',
    userIds: staff,
    recipients: m.internal ? [] : outsideKeys(people),
    data: { threadId: m.thread_id, messageId: m.id, version: m.version },
  };
}
