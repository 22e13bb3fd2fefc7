import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { MessageFormat } from './message-body.js';

/** A thread message on its way to one recipient, with what the mail needs. */
export interface DueDelivery {
  id: string;
  thread_id: string;
  message_id: string;
  participant_id: string;
  to_address: string;
  header_message_id: string;
  attempts: number;
  subject: string;
  body: string | null;
  format: MessageFormat;
  deleted_at: Date | null;
  reply_token: string;
  author_name: string | null;
}

export interface InboundRecord {
  headerMessageId: string;
  sender: string;
  recipient: string;
  outcome: 'posted' | 'rejected';
  reason: string | null;
  threadId: string | null;
  participantId: string | null;
  threadMessageId: string | null;
  result: unknown;
}

/** Thread mails out (deliveries) and back in (inbound records): the SQL, no rules. */
@Injectable()
export class ThreadMailRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * The contact participants of a thread with an address, each with whether `portalSql`
   * (a condition over `c.id`, the contact) says they use the portal.
   */
  async contactsOf(tx: RequestContext, threadId: string, portalSql: string) {
    return this.db.query<{ id: string; contact_id: string; email: string; portal: boolean }>(
      tx,
      `SELECT p.id, c.id AS contact_id, lower(c.email) AS email, ${portalSql} AS portal
         FROM thread_participants p
         JOIN contacts c ON c.id = p.participant_id AND c.deleted_at IS NULL
        WHERE p.thread_id = $1 AND p.kind = 'contact' AND c.email IS NOT NULL AND length(c.email) <= 320`,
      [threadId],
    );
  }

  /** Queues the message for each recipient, once per (message, participant). */
  async queue(
    tx: RequestContext,
    threadId: string,
    messageId: string,
    domain: string,
    to: { id: string; email: string }[],
  ): Promise<number> {
    if (!to.length) return 0;
    const rows = await this.db.query(
      tx,
      `INSERT INTO thread_email_deliveries (id, message_id, participant_id, thread_id, to_address, header_message_id)
       SELECT d.id, $2, d.participant_id, $1, d.email, d.header
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[]) AS d (id, participant_id, email, header)
       ON CONFLICT (message_id, participant_id) DO NOTHING
       RETURNING id`,
      [
        threadId,
        messageId,
        to.map(() => uuidv7()),
        to.map((r) => r.id),
        to.map((r) => r.email),
        to.map((r) => `<message-${messageId}.${r.id}@${domain}>`),
      ],
    );
    return rows.length;
  }

  /** Locks one due delivery for this transaction; other workers skip it. */
  async lockDue(tx: RequestContext): Promise<DueDelivery | null> {
    return this.db.one<DueDelivery>(
      tx,
      `SELECT d.id, d.thread_id, d.message_id, d.participant_id, d.to_address, d.header_message_id, d.attempts,
              t.subject, m.body, m.format, m.deleted_at, p.reply_token,
              nullif(trim(concat_ws(' ', u.first_name, u.last_name)), '') AS author_name
         FROM thread_email_deliveries d
         JOIN thread_messages m ON m.id = d.message_id
         JOIN threads t ON t.id = d.thread_id
         JOIN thread_participants p ON p.id = d.participant_id
         LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id
        WHERE d.status = 'queued' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
    );
  }

  async markSending(tx: RequestContext, id: string): Promise<void> {
    await this.db.query(
      tx,
      `UPDATE thread_email_deliveries SET status = 'sending', sending_at = now(), attempts = attempts + 1 WHERE id = $1`,
      [id],
    );
  }

  async settle(
    ctx: RequestContext,
    id: string,
    status: 'queued' | 'sent' | 'failed' | 'unconfirmed',
    error: string | null,
    retryAt: Date | null = null,
  ): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE thread_email_deliveries
          SET status = $2, last_error = $3, next_attempt_at = coalesce($4, next_attempt_at),
              sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
        WHERE id = $1 AND status = 'sending'`,
      [id, status, error, retryAt],
    );
  }

  /** Sends a stopped process left `sending` for too long: maybe delivered, never sent again. */
  async reapAbandoned(ctx: RequestContext, olderThanMs: number): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE thread_email_deliveries SET status = 'unconfirmed',
              last_error = 'the sending process stopped before the SMTP answer was recorded'
        WHERE status = 'sending' AND sending_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [olderThanMs],
    );
  }

  /** Message-IDs the participant's earlier mails of the thread had, oldest first. */
  async earlierIds(ctx: RequestContext, participantId: string, before: string): Promise<string[]> {
    const rows = await this.db.query<{ header_message_id: string }>(
      ctx,
      `SELECT header_message_id FROM (
         SELECT header_message_id, created_at FROM thread_email_deliveries
          WHERE participant_id = $1 AND id <> $2 AND status IN ('sent', 'unconfirmed', 'sending')
          ORDER BY created_at DESC LIMIT 10) x ORDER BY created_at`,
      [participantId, before],
    );
    return rows.map((r) => r.header_message_id);
  }

  async fileNames(ctx: RequestContext, messageId: string): Promise<string[]> {
    const rows = await this.db.query<{ file_name: string }>(
      ctx,
      `SELECT file_name FROM thread_attachments WHERE message_id = $1 ORDER BY created_at, id LIMIT 20`,
      [messageId],
    );
    return rows.map((r) => r.file_name);
  }

  async deliveries(ctx: RequestContext, messageId: string) {
    return this.db.query<{ participant_id: string; status: string; to_address: string }>(
      ctx,
      `SELECT participant_id, status, to_address FROM thread_email_deliveries WHERE message_id = $1`,
      [messageId],
    );
  }

  /** The posted result of a mail seen before, by its Message-ID. */
  async posted(ctx: RequestContext, headerMessageId: string): Promise<unknown> {
    const row = await this.db.one<{ result: unknown }>(
      ctx,
      `SELECT result FROM thread_email_inbound WHERE header_message_id = $1 AND outcome = 'posted'`,
      [headerMessageId],
    );
    return row?.result ?? null;
  }

  async record(tx: RequestContext, r: InboundRecord): Promise<void> {
    await this.db.query(
      tx,
      `INSERT INTO thread_email_inbound (id, header_message_id, sender, recipient, outcome, reason, thread_id,
              participant_id, thread_message_id, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        uuidv7(),
        r.headerMessageId.slice(0, 998),
        r.sender.slice(0, 320),
        r.recipient.slice(0, 320),
        r.outcome,
        r.reason,
        r.threadId,
        r.participantId,
        r.threadMessageId,
        r.result === null ? null : JSON.stringify(r.result),
      ],
    );
  }
}
