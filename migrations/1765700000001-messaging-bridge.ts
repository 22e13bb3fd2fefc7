import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mail bridge of threads and the customers' side of them.
 *
 * - `thread_messages.source` gains `portal`: a message a customer wrote in the portal.
 * - `thread_attachments.created_by_participant_id`: the outside participant (contact, partner
 *   user) who uploaded a file, so that only they can send it; staff uploads keep `created_by_id`.
 * - `thread_email_deliveries`: one row per (message, recipient) that goes out by e-mail. The
 *   unique pair makes a message reach a recipient once; the status walks `queued` →
 *   `sending` (committed before SMTP is spoken to) → `sent` | `failed` | `unconfirmed`, so a
 *   crash never sends twice. `header_message_id` is the Message-ID the mail carried: replies
 *   name it in In-Reply-To / References, and later mails of the thread reference it.
 * - `thread_email_inbound`: every e-mail that came back addressed to a reply token, posted
 *   or not (`rejected` with the reason: the token is unknown, or its participant left).
 */
export class MessagingBridge1765700000001 implements MigrationInterface {
  name = 'MessagingBridge1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE thread_messages DROP CONSTRAINT thread_messages_source_check`);
    await q.query(
      `ALTER TABLE thread_messages ADD CONSTRAINT thread_messages_source_check CHECK (source IN ('api', 'email', 'portal'))`,
    );
    await q.query(
      `ALTER TABLE thread_attachments ADD COLUMN created_by_participant_id uuid REFERENCES thread_participants (id) ON DELETE SET NULL`,
    );
    await q.query(`
      CREATE TABLE thread_email_deliveries (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES thread_messages (id) ON DELETE CASCADE,
        participant_id uuid NOT NULL REFERENCES thread_participants (id) ON DELETE CASCADE,
        thread_id uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        to_address text NOT NULL CHECK (length(to_address) <= 320),
        header_message_id text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unconfirmed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sending_at timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (message_id, participant_id)
      )`);
    await q.query(
      `CREATE INDEX thread_email_deliveries_due_idx ON thread_email_deliveries (next_attempt_at) WHERE status = 'queued'`,
    );
    await q.query(
      `CREATE INDEX thread_email_deliveries_participant_idx ON thread_email_deliveries (participant_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE thread_email_inbound (
        id uuid PRIMARY KEY,
        header_message_id text NOT NULL CHECK (length(header_message_id) <= 998),
        sender text NOT NULL CHECK (length(sender) <= 320),
        recipient text NOT NULL CHECK (length(recipient) <= 320),
        outcome text NOT NULL CHECK (outcome IN ('posted', 'rejected')),
        reason text,
        thread_id uuid REFERENCES threads (id) ON DELETE CASCADE,
        participant_id uuid REFERENCES thread_participants (id) ON DELETE SET NULL,
        thread_message_id uuid REFERENCES thread_messages (id) ON DELETE CASCADE,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX thread_email_inbound_posted_idx ON thread_email_inbound (header_message_id) WHERE outcome = 'posted'`,
    );
    await q.query(
      `CREATE INDEX thread_email_inbound_thread_idx ON thread_email_inbound (thread_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE thread_email_inbound, thread_email_deliveries`);
    await q.query(`ALTER TABLE thread_attachments DROP COLUMN created_by_participant_id`);
    await q.query(`DELETE FROM thread_messages WHERE source = 'portal'`);
    await q.query(`ALTER TABLE thread_messages DROP CONSTRAINT thread_messages_source_check`);
    await q.query(
      `ALTER TABLE thread_messages ADD CONSTRAINT thread_messages_source_check CHECK (source IN ('api', 'email'))`,
    );
  }
}
