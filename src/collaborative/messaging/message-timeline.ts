import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { TimelineService } from '#platform/timeline/index.js';
import { messageText } from './message-body.js';
import type { MessageRow } from './messages.repository.js';
import type { ThreadRow } from './threads.repository.js';

export const MESSAGE_TIMELINE_TYPE = 'message';

/**
 * Puts each message of a thread tied to a record on that record's timeline. The record is
 * the entry's source too, so whoever may read the record sees it (the same rule that shows
 * them the thread); a deleted message leaves the timeline.
 */
@Injectable()
export class MessageTimeline {
  constructor(private readonly timeline: TimelineService) {
    timeline.defineTypes(MESSAGE_TIMELINE_TYPE);
  }

  async put(tx: RequestContext, thread: ThreadRow, m: MessageRow): Promise<void> {
    if (!thread.record_entity || !thread.record_id) return;
    const record = { entity: thread.record_entity, id: thread.record_id };
    const text = m.body ? messageText(m.body, m.format) : '';
    await this.timeline.put(tx, {
      type: MESSAGE_TIMELINE_TYPE,
      key: `message:${m.id}`,
      source: record,
      subjects: m.deleted_at ? [] : [record],
      occurredAt: m.created_at,
      title: `${thread.subject}: ${text.slice(0, 120)}`,
      actorId: m.author_kind === 'user' ? m.author_id : null,
      data: {
        threadId: thread.id,
        messageId: m.id,
        internal: m.internal,
        author: { kind: m.author_kind, id: m.author_id },
        edited: m.edited_at !== null,
      },
    });
  }
}
