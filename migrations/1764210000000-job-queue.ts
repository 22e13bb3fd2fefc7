import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable job queue and cron schedules in PostgreSQL, so background work commits or rolls
 * back with the change that asked for it and survives restarts without another service.
 * Workers claim due rows with FOR UPDATE SKIP LOCKED and hold them by a heartbeat on
 * `locked_until`; a row whose heartbeat stopped is handed out again. `singleton_key` makes an
 * enqueue idempotent (one job per cron slot, one delivery per event and subscription).
 */
export class JobQueue1764210000000 implements MigrationInterface {
  name = 'JobQueue1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        queue text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'active', 'completed', 'failed')),
        run_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        retry_limit integer NOT NULL DEFAULT 5 CHECK (retry_limit >= 0),
        retry_delay_ms integer NOT NULL DEFAULT 10000 CHECK (retry_delay_ms >= 0),
        singleton_key text,
        lock_token uuid,
        locked_by text,
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        failed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What a worker's claim reads: due rows of one queue in order.
    await q.query(`CREATE INDEX jobs_due_idx ON jobs (queue, run_at, id) WHERE state = 'pending'`);
    // What the reaper reads: active rows whose heartbeat stopped.
    await q.query(`CREATE INDEX jobs_locked_idx ON jobs (locked_until) WHERE state = 'active'`);
    await q.query(
      `CREATE UNIQUE INDEX jobs_singleton_key ON jobs (queue, singleton_key) WHERE singleton_key IS NOT NULL`,
    );
    // The admin list (newest first, optionally per state) and the retention clean-up.
    await q.query(`CREATE INDEX jobs_created_idx ON jobs (created_at, id)`);
    await q.query(`CREATE INDEX jobs_state_created_idx ON jobs (state, created_at, id)`);
    await q.query(`
      CREATE TABLE job_schedules (
        name text PRIMARY KEY,
        cron text NOT NULL,
        time_zone text NOT NULL DEFAULT 'UTC',
        queue text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        next_run_at timestamptz NOT NULL,
        last_run_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_schedules`);
    await q.query(`DROP TABLE jobs`);
  }
}
