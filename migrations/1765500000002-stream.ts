import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live stream's events: each for a list of users, numbered by `id` (the SSE event id a
 * client resumes from with Last-Event-ID), kept for `stream.retentionMinutes` and then
 * purged. A NOTIFY carries only the id; every process reads the row itself.
 */
export class Stream1765500000002 implements MigrationInterface {
  name = 'Stream1765500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stream_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type text NOT NULL,
        user_ids uuid[] NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX stream_events_users_idx ON stream_events USING gin (user_ids)`);
    await q.query(`CREATE INDEX stream_events_created_idx ON stream_events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stream_events`);
  }
}
