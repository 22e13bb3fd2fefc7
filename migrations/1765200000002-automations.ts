import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Marketing builds automations; managers and analysts read them and their runs. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  marketing: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Event-triggered automations and their runs.
 *
 * - `automations`: a trigger (a domain event type), conditions, steps and an entry policy;
 *   status draft → active ⇄ paused, moved by the service's actions.
 * - `automation_runs`: one per contact entering an automation. `entry_key` is what the entry
 *   policy counts (the contact; the contact and the period; the event), unique per
 *   automation, so a contact enters as often as the policy allows however many processes
 *   see the event.
 * - `automation_run_steps`: each step a run took, in order (`seq`), with its outcome; a step
 *   run again after a crash finds its row and does not act twice.
 */
export class Automations1765200000002 implements MigrationInterface {
  name = 'Automations1765200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE automations (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 2000),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused')),
        trigger_event text NOT NULL CHECK (length(trigger_event) BETWEEN 1 AND 100),
        condition jsonb NOT NULL DEFAULT '{}',
        steps jsonb NOT NULL DEFAULT '[]',
        entry_policy text NOT NULL DEFAULT 'once'
          CHECK (entry_policy IN ('once', 'once_per_period', 'every_time')),
        entry_period_days integer CHECK (entry_period_days BETWEEN 1 AND 3650),
        activated_at timestamptz,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES automations (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((entry_policy = 'once_per_period') = (entry_period_days IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX automations_trigger_idx ON automations (trigger_event) WHERE status = 'active' AND deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX automations_created_idx ON automations (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX automations_owner_idx ON automations (owner_id)`);
    await q.query(`CREATE INDEX automations_team_idx ON automations (team_id)`);
    await q.query(`
      CREATE TABLE automation_runs (
        id uuid PRIMARY KEY,
        automation_id uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        entry_key text NOT NULL,
        event_id uuid,
        event_type text NOT NULL,
        event jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'running'
          CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'stopped')),
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (automation_id, entry_key)
      )`);
    await q.query(
      `CREATE INDEX automation_runs_automation_idx ON automation_runs (automation_id, id)`,
    );
    await q.query(`CREATE INDEX automation_runs_contact_idx ON automation_runs (contact_id)`);
    await q.query(`
      CREATE TABLE automation_run_steps (
        run_id uuid NOT NULL REFERENCES automation_runs (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        step_id text NOT NULL,
        type text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('done', 'waiting', 'held', 'skipped', 'failed')),
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, seq)
      )`);
    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,automations}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'automations')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'automations') WHERE built_in`,
    );
    await q.query(`DROP TABLE automation_run_steps`);
    await q.query(`DROP TABLE automation_runs`);
    await q.query(`DROP TABLE automations`);
  }
}
