import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { ThreadAttachmentDto } from './dto/message.dto.js';
import type { MessageFormat } from './message-body.js';
import type { MessageSource, ParticipantKind } from './messaging.events.js';

export interface MessageRow {
  id: string;
  seq: string;
  thread_id: string;
  parent_id: string | null;
  author_kind: ParticipantKind;
  author_id: string;
  format: MessageFormat;
  body: string | null;
  internal: boolean;
  mentions: string[];
  source: MessageSource;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  deleted_by_id: string | null;
  version: number;
}

export interface AttachmentRow {
  id: string;
  thread_id: string;
  message_id: string | null;
  file_name: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  created_by_id: string | null;
  created_at: Date;
}

export const attachmentView = (r: AttachmentRow): ThreadAttachmentDto => ({
  id: r.id,
  threadId: r.thread_id,
  messageId: r.message_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  createdById: r.created_by_id,
  createdAt: r.created_at.toISOString(),
});

/** Who uploaded a file: a staff user, or an outside participant (by participant row). */
export interface Uploader {
  userId: string | null;
  participantId: string | null;
}

/** Messages, their edit history and attachments: the SQL, no rules. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: RequestContext,
    m: {
      threadId: string;
      parentId: string | null;
      authorKind: ParticipantKind;
      authorId: string;
      format: MessageFormat;
      body: string;
      internal: boolean;
      mentions: string[];
      source: MessageSource;
    },
  ): Promise<MessageRow> {
    const rows = await this.db.query<MessageRow>(
      tx,
      `INSERT INTO thread_messages (id, thread_id, parent_id, author_kind, author_id, format, body, internal, mentions, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        uuidv7(),
        m.threadId,
        m.parentId,
        m.authorKind,
        m.authorId,
        m.format,
        m.body,
        m.internal,
        m.mentions,
        m.source,
      ],
    );
    return rows[0];
  }

  async find(
    ctx: RequestContext,
    threadId: string,
    id: string,
    forUpdate = false,
  ): Promise<MessageRow | null> {
    return this.db.one<MessageRow>(
      ctx,
      `SELECT * FROM thread_messages WHERE thread_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [threadId, id],
    );
  }

  /** The last message's `seq`; with `publicOnly`, the last one that is not an internal note. */
  async latestSeq(ctx: RequestContext, threadId: string, publicOnly = false): Promise<string> {
    const row = await this.db.one<{ seq: string | null }>(
      ctx,
      `SELECT max(seq)::text AS seq FROM thread_messages WHERE thread_id = $1${publicOnly ? ' AND NOT internal' : ''}`,
      [threadId],
    );
    return row?.seq ?? '0';
  }

  /** Keeps the body as it was, then replaces it (edit) or clears it (delete, a tombstone). */
  async change(
    tx: RequestContext,
    m: MessageRow,
    by: string,
    next: { format: MessageFormat; body: string } | null,
  ): Promise<MessageRow> {
    await this.db.query(
      tx,
      `INSERT INTO thread_message_edits (id, message_id, change, format, body, edited_by_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [uuidv7(), m.id, next ? 'edit' : 'delete', m.format, m.body, by],
    );
    const rows = next
      ? await this.db.query<MessageRow>(
          tx,
          `UPDATE thread_messages SET format = $2, body = $3, edited_at = now(), version = version + 1 WHERE id = $1 RETURNING *`,
          [m.id, next.format, next.body],
        )
      : await this.db.query<MessageRow>(
          tx,
          `UPDATE thread_messages SET body = NULL, deleted_at = now(), deleted_by_id = $2, version = version + 1 WHERE id = $1 RETURNING *`,
          [m.id, by],
        );
    return rows[0];
  }

  async edits(ctx: RequestContext, messageId: string) {
    return this.db.query<{
      id: string;
      change: 'edit' | 'delete';
      format: MessageFormat;
      body: string;
      edited_by_id: string | null;
      edited_at: Date;
    }>(
      ctx,
      `SELECT * FROM thread_message_edits WHERE message_id = $1 ORDER BY edited_at, id LIMIT 1000`,
      [messageId],
    );
  }

  async insertAttachment(
    ctx: RequestContext,
    a: { threadId: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string },
    uploader: Uploader = { userId: ctx.principal?.userId ?? null, participantId: null },
  ): Promise<AttachmentRow> {
    const rows = await this.db.query<AttachmentRow>(
      ctx,
      `INSERT INTO thread_attachments (id, thread_id, file_name, media_type, size_bytes, sha256, created_by_id,
              created_by_participant_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        uuidv7(),
        a.threadId,
        a.fileName,
        a.mediaType,
        a.sizeBytes,
        a.sha256,
        uploader.userId,
        uploader.participantId,
      ],
    );
    return rows[0];
  }

  /** Binds uploaded, still unbound attachments of the thread to a message; returns those bound. */
  async bindAttachments(
    tx: RequestContext,
    threadId: string,
    messageId: string,
    ids: string[],
    uploader: Uploader,
  ): Promise<number> {
    if (!ids.length) return 0;
    const rows = await this.db.query(
      tx,
      `UPDATE thread_attachments SET message_id = $3
        WHERE thread_id = $1 AND id = ANY($2::uuid[]) AND message_id IS NULL
          AND created_by_id IS NOT DISTINCT FROM $4
          AND created_by_participant_id IS NOT DISTINCT FROM $5 RETURNING id`,
      [threadId, ids, messageId, uploader.userId, uploader.participantId],
    );
    return rows.length;
  }

  async attachmentsOf(ctx: RequestContext, messageIds: string[]): Promise<AttachmentRow[]> {
    if (!messageIds.length) return [];
    return this.db.query<AttachmentRow>(
      ctx,
      `SELECT * FROM thread_attachments WHERE message_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [messageIds],
    );
  }

  /**
   * A file of the thread, unless its message was deleted. For an outside participant
   * (`outsider`, their participant row) only a file of a message that is not an internal
   * note, or one they uploaded and have not sent yet.
   */
  async attachment(
    ctx: RequestContext,
    threadId: string,
    id: string,
    outsider: string | null = null,
  ): Promise<AttachmentRow | null> {
    return this.db.one<AttachmentRow>(
      ctx,
      `SELECT a.* FROM thread_attachments a LEFT JOIN thread_messages m ON m.id = a.message_id
        WHERE a.thread_id = $1 AND a.id = $2 AND (m.id IS NULL OR m.deleted_at IS NULL)
          AND ($3::uuid IS NULL OR (m.id IS NOT NULL AND NOT m.internal)
               OR (m.id IS NULL AND a.created_by_participant_id = $3::uuid))`,
      [threadId, id, outsider],
    );
  }
}
