import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { ParticipantKind } from './messaging.events.js';

export interface ThreadRow {
  id: string;
  subject: string;
  record_entity: string | null;
  record_id: string | null;
  owner_id: string;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date | null;
  version: number;
}

export interface ParticipantRow {
  id: string;
  thread_id: string;
  kind: ParticipantKind;
  participant_id: string;
  reply_token: string;
  last_read_seq: string;
  last_read_at: Date | null;
  created_at: Date;
  name: string | null;
  email: string | null;
  last_read_message_id: string | null;
}

export interface NewParticipant {
  kind: ParticipantKind;
  participantId: string;
}

/** Threads and their participants: all the SQL of them, no rules. */
@Injectable()
export class ThreadsRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: RequestContext,
    t: { subject: string; recordEntity: string | null; recordId: string | null; ownerId: string },
  ): Promise<ThreadRow> {
    const rows = await this.db.query<ThreadRow>(
      tx,
      `INSERT INTO threads (id, subject, record_entity, record_id, owner_id, created_by_id, updated_by_id)
       VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING *`,
      [uuidv7(), t.subject, t.recordEntity, t.recordId, t.ownerId],
    );
    return rows[0];
  }

  async find(ctx: RequestContext, id: string, forUpdate = false): Promise<ThreadRow | null> {
    return this.db.one<ThreadRow>(
      ctx,
      `SELECT * FROM threads WHERE id = $1 AND deleted_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
  }

  async update(tx: RequestContext, id: string, subject: string, by: string): Promise<ThreadRow> {
    const rows = await this.db.query<ThreadRow>(
      tx,
      `UPDATE threads SET subject = $2, updated_by_id = $3, updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [id, subject, by],
    );
    return rows[0];
  }

  async softDelete(tx: RequestContext, id: string, by: string): Promise<void> {
    await this.db.query(
      tx,
      `UPDATE threads SET deleted_at = now(), updated_by_id = $2, version = version + 1 WHERE id = $1`,
      [id, by],
    );
  }

  async touch(tx: RequestContext, id: string): Promise<void> {
    await this.db.query(tx, `UPDATE threads SET last_message_at = now() WHERE id = $1`, [id]);
  }

  /** Adds whoever is not a participant yet; returns those added. */
  async addParticipants(
    tx: RequestContext,
    threadId: string,
    people: NewParticipant[],
    addedBy: string | null,
  ): Promise<NewParticipant[]> {
    if (!people.length) return [];
    const rows = await this.db.query<{ kind: ParticipantKind; participant_id: string }>(
      tx,
      `INSERT INTO thread_participants (id, thread_id, kind, participant_id, reply_token, added_by_id)
       SELECT p.id, $1, p.kind, p.who, p.token, $2
         FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::text[]) AS p (id, kind, who, token)
       ON CONFLICT (thread_id, kind, participant_id) DO NOTHING
       RETURNING kind, participant_id`,
      [
        threadId,
        addedBy,
        people.map(() => uuidv7()),
        people.map((p) => p.kind),
        people.map((p) => p.participantId),
        people.map(() => randomBytes(18).toString('base64url')),
      ],
    );
    return rows.map((r) => ({ kind: r.kind, participantId: r.participant_id }));
  }

  async removeParticipant(tx: RequestContext, threadId: string, id: string): Promise<boolean> {
    const rows = await this.db.query(
      tx,
      `DELETE FROM thread_participants WHERE thread_id = $1 AND id = $2 RETURNING id`,
      [threadId, id],
    );
    return rows.length > 0;
  }

  /** Participants of threads with their names, e-mail and read receipts. */
  async participants(ctx: RequestContext, threadIds: string[]): Promise<ParticipantRow[]> {
    if (!threadIds.length) return [];
    return this.db.query<ParticipantRow>(
      ctx,
      `SELECT p.*,
              CASE p.kind WHEN 'user' THEN nullif(trim(concat_ws(' ', u.first_name, u.last_name)), '')
                          WHEN 'contact' THEN nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')
                          WHEN 'partner_user' THEN pu.name END AS name,
              CASE p.kind WHEN 'user' THEN u.email WHEN 'contact' THEN c.email
                          WHEN 'partner_user' THEN pu.email_normalized END AS email,
              (SELECT m.id FROM thread_messages m WHERE m.seq = p.last_read_seq) AS last_read_message_id
         FROM thread_participants p
         LEFT JOIN users u ON p.kind = 'user' AND u.id = p.participant_id
         LEFT JOIN contacts c ON p.kind = 'contact' AND c.id = p.participant_id
         LEFT JOIN partner_users pu ON p.kind = 'partner_user' AND pu.id = p.participant_id
        WHERE p.thread_id = ANY($1::uuid[])
        ORDER BY p.created_at, p.id`,
      [threadIds],
    );
  }

  async participant(
    ctx: RequestContext,
    threadId: string,
    kind: ParticipantKind,
    who: string,
  ): Promise<{ id: string; last_read_seq: string } | null> {
    return this.db.one(
      ctx,
      `SELECT id, last_read_seq FROM thread_participants WHERE thread_id = $1 AND kind = $2 AND participant_id = $3`,
      [threadId, kind, who],
    );
  }

  async byReplyToken(
    ctx: RequestContext,
    token: string,
  ): Promise<{ thread_id: string; kind: ParticipantKind; participant_id: string } | null> {
    return this.db.one(
      ctx,
      `SELECT p.thread_id, p.kind, p.participant_id FROM thread_participants p
         JOIN threads t ON t.id = p.thread_id AND t.deleted_at IS NULL
        WHERE p.reply_token = $1`,
      [token],
    );
  }

  /** Unread messages per thread for one staff user; their own and deleted ones do not count. */
  async unreadCounts(
    ctx: RequestContext,
    userId: string,
    threadIds: string[] | null,
  ): Promise<Map<string, number>> {
    return this.unreadFor(ctx, 'user', userId, threadIds);
  }

  /**
   * Unread messages per thread for one participant: their own and deleted ones do not count,
   * and internal notes count for staff only.
   */
  async unreadFor(
    ctx: RequestContext,
    kind: ParticipantKind,
    who: string,
    threadIds: string[] | null,
  ): Promise<Map<string, number>> {
    const rows = await this.db.query<{ thread_id: string; n: string }>(
      ctx,
      `SELECT p.thread_id, count(m.id)::bigint AS n
         FROM thread_participants p
         JOIN threads t ON t.id = p.thread_id AND t.deleted_at IS NULL
         LEFT JOIN thread_messages m ON m.thread_id = p.thread_id AND m.seq > p.last_read_seq
              AND m.deleted_at IS NULL AND NOT (m.author_kind = p.kind AND m.author_id = p.participant_id)
              AND (p.kind = 'user' OR NOT m.internal)
        WHERE p.kind = $1 AND p.participant_id = $2
          ${threadIds ? 'AND p.thread_id = ANY($3::uuid[])' : ''}
        GROUP BY p.thread_id`,
      threadIds ? [kind, who, threadIds] : [kind, who],
    );
    return new Map(rows.map((r) => [r.thread_id, Number(r.n)]));
  }

  /** Moves a read receipt forward (never back) to `seq`; returns the receipt as it is then. */
  async markRead(
    tx: RequestContext,
    participantId: string,
    seq: string,
  ): Promise<{ last_read_seq: string }> {
    const rows = await this.db.query<{ last_read_seq: string }>(
      tx,
      `UPDATE thread_participants SET last_read_seq = greatest(last_read_seq, $2::bigint), last_read_at = now()
        WHERE id = $1 RETURNING last_read_seq`,
      [participantId, seq],
    );
    return rows[0];
  }

  async existingUsers(ctx: RequestContext, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active AND deleted_at IS NULL`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }
}
