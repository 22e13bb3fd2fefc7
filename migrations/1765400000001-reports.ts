import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/**
 * Everyone keeps reports of their own; which reports a user sees beyond those is decided by
 * the report's sharing (its team, `shared_team_ids`, `shared_role_ids`), checked by the
 * reports service, so the read grant is `all` and the service narrows it.
 */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('own', 'all', 'own', 'own'),
  sales_rep: grant('own', 'all', 'own', 'own'),
  marketing: grant('own', 'all', 'own', 'own'),
  service_agent: grant('own', 'all', 'own', 'own'),
  analyst: grant('own', 'all', 'own', 'own'),
};

/**
 * Saved reports, their runs and the in-app inbox.
 *
 * - `reports`: a cube query or a list query (`kind`), an optional exception `condition`
 *   (the run is delivered only when it holds), an optional cron `schedule` read in
 *   `time_zone` with the next slot in `next_run_at` (what the scheduler's due index reads),
 *   how each run is pushed (`delivery`), and who else sees it.
 * - `report_runs`: every run, on demand or scheduled, with its result (capped by the query's
 *   own limit), whether the condition held, and to whom it went. Kept as history.
 * - `report_deliveries`: one row per user and delivered run: the inbox, with its read mark.
 */
export class Reports1765400000001 implements MigrationInterface {
  name = 'Reports1765400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 2000),
        kind text NOT NULL CHECK (kind IN ('cube', 'list')),
        query jsonb NOT NULL,
        condition jsonb,
        schedule text CHECK (length(schedule) <= 100),
        time_zone text CHECK (length(time_zone) <= 64),
        next_run_at timestamptz,
        last_run_at timestamptz,
        active boolean NOT NULL DEFAULT true,
        delivery jsonb NOT NULL DEFAULT '{}',
        shared_team_ids uuid[] NOT NULL DEFAULT '{}',
        shared_role_ids uuid[] NOT NULL DEFAULT '{}',
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES reports (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX reports_created_idx ON reports (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX reports_owner_idx ON reports (owner_id)`);
    await q.query(
      `CREATE INDEX reports_due_idx ON reports (next_run_at) WHERE deleted_at IS NULL AND active AND next_run_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE report_runs (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        status text NOT NULL CHECK (status IN ('completed', 'failed')),
        run_by_id uuid NOT NULL REFERENCES users (id),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        row_count integer NOT NULL DEFAULT 0,
        condition_held boolean,
        delivered boolean NOT NULL DEFAULT false,
        result jsonb,
        error text CHECK (length(error) <= 2000),
        email_status text CHECK (email_status IN ('sent', 'failed', 'off'))
      )`);
    await q.query(
      `CREATE INDEX report_runs_report_idx ON report_runs (report_id, started_at DESC, id)`,
    );
    await q.query(`
      CREATE TABLE report_deliveries (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        run_id uuid NOT NULL REFERENCES report_runs (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (run_id, user_id)
      )`);
    await q.query(
      `CREATE INDEX report_deliveries_inbox_idx ON report_deliveries (user_id, created_at DESC, id)`,
    );
    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,reports}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'reports')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'reports') WHERE built_in`,
    );
    await q.query(`DROP TABLE report_deliveries`);
    await q.query(`DROP TABLE report_runs`);
    await q.query(`DROP TABLE reports`);
  }
}
