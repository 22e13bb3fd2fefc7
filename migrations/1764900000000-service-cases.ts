import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Agents work their team's cases; sellers see their customers' cases; analysts read all. */
const CASE_GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('all', 'all', 'team', 'team', true),
  sales_rep: grant('own', 'team', 'own', 'none'),
  marketing: grant('none', 'none', 'none', 'none'),
  service_agent: grant('team', 'team', 'team', 'own', true),
  analyst: grant('none', 'all', 'none', 'none'),
};

/** Admins set queues up; agents read them to work from them. */
const QUEUE_GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('none', 'all', 'none', 'none'),
  sales_rep: grant('none', 'none', 'none', 'none'),
  marketing: grant('none', 'none', 'none', 'none'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

const RECORD_COLUMNS = `
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz`;

/**
 * The service desk: queues and their members, cases with their SLA clock, comments,
 * attachments and the e-mail message ids that thread replies (with what each message became,
 * so a relay posting it again gets the same answer).
 *
 * - `cases.number` is `CS-<year>-<000123>`, from a counter row per year taken under its row
 *   lock, so two cases never share a number (a rolled-back create may leave a gap).
 * - `priority_rank` orders queues (urgent first) through the partial index that
 *   `POST /queues/{id}/next` reads with FOR UPDATE SKIP LOCKED.
 * - SLA columns: the policy's targets and calendar, the business minutes the clock was
 *   stopped, the due times computed from them, when each target was warned about and
 *   breached (each at most once), and `sla_next_check_at`, the instant the scheduled check
 *   must look at the case again.
 * - Attachments are files on disk named by their SHA-256; rows point at them.
 */
export class ServiceCases1764900000000 implements MigrationInterface {
  name = 'ServiceCases1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queues (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 2000),
        strategy text NOT NULL DEFAULT 'round_robin'
          CHECK (strategy IN ('round_robin', 'least_open', 'skills')),
        auto_assign boolean NOT NULL DEFAULT false,
        merged_into_id uuid REFERENCES queues (id),${RECORD_COLUMNS}
      )`);
    await q.query(`
      CREATE TABLE queue_members (
        queue_id uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        categories text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        available boolean NOT NULL DEFAULT true,
        last_assigned_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (queue_id, user_id)
      )`);
    await q.query(`CREATE INDEX queue_members_user_idx ON queue_members (user_id)`);
    await q.query(`CREATE INDEX queues_owner_idx ON queues (owner_id)`);
    await q.query(`CREATE INDEX queues_team_idx ON queues (team_id)`);

    await q.query(
      `CREATE TABLE case_number_counters (year integer PRIMARY KEY, last_number integer NOT NULL)`,
    );
    await q.query(`
      CREATE FUNCTION next_case_number() RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        y integer := extract(year FROM now())::integer;
        n integer;
      BEGIN
        INSERT INTO case_number_counters AS c (year, last_number) VALUES (y, 1)
        ON CONFLICT (year) DO UPDATE SET last_number = c.last_number + 1
        RETURNING last_number INTO n;
        RETURN 'CS-' || y || '-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END;
      END $$`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        number text NOT NULL DEFAULT next_case_number(),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
        description text CHECK (length(description) <= 20000),
        account_id uuid REFERENCES accounts (id),
        contact_id uuid REFERENCES contacts (id),
        channel text NOT NULL DEFAULT 'web'
          CHECK (channel IN ('phone', 'email', 'web', 'portal', 'chat', 'walk_in')),
        type text NOT NULL DEFAULT 'question'
          CHECK (type IN ('question', 'problem', 'complaint', 'request')),
        category text,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint NOT NULL DEFAULT 2,
        status text NOT NULL DEFAULT 'new' CHECK (status IN
          ('new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed', 'reopened')),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        language text,
        queue_id uuid REFERENCES queues (id),
        assignee_id uuid REFERENCES users (id),
        order_id uuid REFERENCES orders (id),
        product_id uuid REFERENCES products (id),
        first_responded_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        sla_policy text,
        sla_calendar text,
        sla_started_at timestamptz,
        first_response_target_minutes integer,
        resolution_target_minutes integer,
        warn_before_minutes integer,
        sla_paused_at timestamptz,
        sla_paused_minutes integer NOT NULL DEFAULT 0,
        first_response_due_at timestamptz,
        resolution_due_at timestamptz,
        first_response_warned_at timestamptz,
        resolution_warned_at timestamptz,
        first_response_breached_at timestamptz,
        resolution_breached_at timestamptz,
        sla_status text CHECK (sla_status IN ('on_track', 'at_risk', 'breached', 'met', 'paused')),
        sla_next_check_at timestamptz,
        merged_into_id uuid REFERENCES cases (id),${RECORD_COLUMNS}
      )`);
    await q.query(`CREATE UNIQUE INDEX cases_number_key ON cases (number)`);
    await q.query(
      `CREATE INDEX cases_created_idx ON cases (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX cases_account_idx ON cases (account_id, created_at)`);
    await q.query(`CREATE INDEX cases_contact_idx ON cases (contact_id)`);
    await q.query(`CREATE INDEX cases_owner_idx ON cases (owner_id)`);
    await q.query(`CREATE INDEX cases_team_idx ON cases (team_id)`);
    await q.query(`CREATE INDEX cases_assignee_idx ON cases (assignee_id, status)`);
    await q.query(`CREATE INDEX cases_order_idx ON cases (order_id)`);
    await q.query(`CREATE INDEX cases_product_idx ON cases (product_id)`);
    await q.query(`CREATE INDEX cases_status_idx ON cases (status) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX cases_sla_status_idx ON cases (sla_status) WHERE deleted_at IS NULL`,
    );
    // What POST /queues/{id}/next reads: a queue's unassigned open cases, most urgent first.
    await q.query(
      `CREATE INDEX cases_queue_next_idx ON cases (queue_id, priority_rank DESC, resolution_due_at, created_at)
        WHERE assignee_id IS NULL AND deleted_at IS NULL AND status NOT IN ('resolved', 'closed')`,
    );
    // What the SLA check reads each run: running clocks whose next warning or due time came.
    await q.query(
      `CREATE INDEX cases_sla_check_idx ON cases (sla_next_check_at)
        WHERE sla_next_check_at IS NOT NULL AND deleted_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE case_comments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 50000),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        author_user_id uuid REFERENCES users (id),
        author_contact_id uuid REFERENCES contacts (id),
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'email')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_comments_case_idx ON case_comments (case_id, created_at, id)`);
    await q.query(`
      CREATE TABLE case_attachments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        comment_id uuid REFERENCES case_comments (id) ON DELETE SET NULL,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        media_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX case_attachments_case_idx ON case_attachments (case_id, created_at, id)`,
    );
    await q.query(`
      CREATE TABLE case_email_messages (
        message_id text PRIMARY KEY CHECK (length(message_id) <= 998),
        case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        comment_id uuid REFERENCES case_comments (id) ON DELETE SET NULL,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_email_messages_case_idx ON case_email_messages (case_id)`);

    for (const [entity, grants] of [
      ['cases', CASE_GRANTS],
      ['queues', QUEUE_GRANTS],
    ] as const) {
      for (const [key, g] of Object.entries(grants)) {
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $3], $2::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $3)`,
          [key, JSON.stringify(g), entity],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'cases' - 'queues') WHERE built_in`,
    );
    await q.query(`DROP TABLE case_email_messages`);
    await q.query(`DROP TABLE case_attachments`);
    await q.query(`DROP TABLE case_comments`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP FUNCTION next_case_number()`);
    await q.query(`DROP TABLE case_number_counters`);
    await q.query(`DROP TABLE queue_members`);
    await q.query(`DROP TABLE queues`);
  }
}
