import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner users in threads, and live updates for the customers' and partners' side.
 *
 * - `thread_messages.source` gains `partner`: a message a partner user wrote in the partner API.
 * - `stream_events.recipients`: outside participants an event is for, by participant kind and id
 *   (`contact:<contact id>`, `partner_user:<partner user id>`); `user_ids` stays the staff list.
 *   A client of the portal or partner stream replays by its key, as staff replay by user id.
 */
export class PartnerThreads1766000000011 implements MigrationInterface {
  name = 'PartnerThreads1766000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE thread_messages DROP CONSTRAINT thread_messages_source_check`);
    await q.query(
      `ALTER TABLE thread_messages ADD CONSTRAINT thread_messages_source_check CHECK (source IN ('api', 'email', 'portal', 'partner'))`,
    );
    await q.query(`ALTER TABLE stream_events ADD COLUMN recipients text[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `CREATE INDEX stream_events_recipients_idx ON stream_events USING gin (recipients)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX stream_events_recipients_idx`);
    await q.query(`ALTER TABLE stream_events DROP COLUMN recipients`);
    await q.query(`DELETE FROM thread_messages WHERE source = 'partner'`);
    await q.query(`ALTER TABLE thread_messages DROP CONSTRAINT thread_messages_source_check`);
    await q.query(
      `ALTER TABLE thread_messages ADD CONSTRAINT thread_messages_source_check CHECK (source IN ('api', 'email', 'portal'))`,
    );
  }
}
