import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Service plans and works the field visits; managers and analysts read them. */
const GRANTS: Record<string, Record<string, ReturnType<typeof grant>>> = {
  technicians: {
    admin: grant('all', 'all', 'all', 'all', true),
    sales_manager: grant('none', 'all', 'none', 'none'),
    service_agent: grant('none', 'all', 'none', 'none'),
    analyst: grant('none', 'all', 'none', 'none'),
  },
  'work-orders': {
    admin: grant('all', 'all', 'all', 'all', true),
    sales_manager: grant('none', 'all', 'none', 'none'),
    service_agent: grant('all', 'team', 'team', 'own'),
    analyst: grant('none', 'all', 'none', 'none'),
  },
};

/**
 * Field service.
 *
 * - `technicians`: a user who works on site, with skills and a working calendar (weekly hours
 *   in the technician's own time zone). One technician per user among live ones.
 * - `work_orders`: a visit for a case or an account at a site; checklist, parts used and time
 *   entries are small lists kept on the order as jsonb. `case_id` has no foreign key yet: it
 *   comes with the cases table.
 * - `work_order_appointments`: a technician booked on a work order from `starts_at` to
 *   `ends_at`. Double booking is refused by the database itself: an exclusion constraint over
 *   the technician and the time range (btree_gist lets `=` on uuid share a GiST index with
 *   `&&` on tstzrange), so two bookings racing for one slot cannot both commit. Ranges are
 *   half-open, so back-to-back visits do not clash. A cancelled appointment leaves the
 *   constraint.
 */
export class FieldService1764900100002 implements MigrationInterface {
  name = 'FieldService1764900100002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    const recordColumns = (table: string) => `
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES ${table} (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz`;

    await q.query(`
      CREATE TABLE technicians (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        skills text[] NOT NULL DEFAULT '{}',
        time_zone text NOT NULL,
        weekly_hours jsonb NOT NULL DEFAULT '[]',
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('technicians')}
      )`);
    await q.query(
      `CREATE UNIQUE INDEX technicians_user_key ON technicians (user_id) WHERE deleted_at IS NULL`,
    );

    await q.query(`CREATE SEQUENCE work_order_number_seq`);
    await q.query(`
      CREATE TABLE work_orders (
        id uuid PRIMARY KEY,
        number text NOT NULL DEFAULT ('WO-' || lpad(nextval('work_order_number_seq')::text, 6, '0')),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
        description text CHECK (length(description) <= 5000),
        case_id uuid,
        account_id uuid REFERENCES accounts (id),
        site_address jsonb,
        required_skills text[] NOT NULL DEFAULT '{}',
        checklist jsonb NOT NULL DEFAULT '[]',
        parts_used jsonb NOT NULL DEFAULT '[]',
        time_entries jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN
          ('scheduled', 'dispatched', 'en_route', 'on_site', 'completed', 'cancelled')),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        ${recordColumns('work_orders')},
        CHECK (case_id IS NOT NULL OR account_id IS NOT NULL)
      )`);
    for (const table of ['technicians', 'work_orders']) {
      await q.query(
        `CREATE INDEX ${table}_created_idx ON ${table} (created_at, id) WHERE deleted_at IS NULL`,
      );
      await q.query(`CREATE INDEX ${table}_owner_idx ON ${table} (owner_id)`);
      await q.query(`CREATE INDEX ${table}_team_idx ON ${table} (team_id)`);
    }
    await q.query(`CREATE INDEX work_orders_account_idx ON work_orders (account_id)`);
    await q.query(`CREATE INDEX work_orders_case_idx ON work_orders (case_id)`);

    await q.query(`
      CREATE TABLE work_order_appointments (
        id uuid PRIMARY KEY,
        work_order_id uuid NOT NULL REFERENCES work_orders (id),
        technician_id uuid NOT NULL REFERENCES technicians (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        period tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
        cancelled_at timestamptz,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CONSTRAINT work_order_appointments_no_double_booking
          EXCLUDE USING gist (technician_id WITH =, period WITH &&) WHERE (cancelled_at IS NULL)
      )`);
    await q.query(
      `CREATE INDEX work_order_appointments_order_idx ON work_order_appointments (work_order_id, starts_at)`,
    );

    for (const [entity, grants] of Object.entries(GRANTS))
      for (const [key, g] of Object.entries(grants))
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
          [key, entity, JSON.stringify(g)],
        );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'technicians' - 'work-orders')
        WHERE built_in`,
    );
    await q.query(`DROP TABLE work_order_appointments`);
    await q.query(`DROP TABLE work_orders`);
    await q.query(`DROP SEQUENCE work_order_number_seq`);
    await q.query(`DROP TABLE technicians`);
  }
}
