import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-app notification inbox.
 *
 * - `notifications`: one per user and thing that happened; `source_event_id` (the domain
 *   event it came from) is unique per user, so a retried event notifies nobody twice.
 * - `notification_settings`: per user and kind, `in_app`, `email` (in the inbox and by
 *   e-mail) or `off`; no row means `in_app`.
 * - `notification_digests`: whether a user wants the digest e-mail and when the last went
 *   out; the digest lists what is unread and newer than that.
 */
export class Notifications1765500000003 implements MigrationInterface {
  name = 'Notifications1765500000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL,
        title text NOT NULL,
        entity text,
        record_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        source_event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        emailed_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX notifications_event_key ON notifications (user_id, source_event_id) WHERE source_event_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE notification_settings (
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('in_app', 'email', 'off')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      )`);
    await q.query(`
      CREATE TABLE notification_digests (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        enabled boolean NOT NULL DEFAULT false,
        last_sent_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_digests, notification_settings, notifications`);
  }
}
