import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Marketing builds segments; sellers and analysts read them to see who is in them. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  marketing: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('team', 'all', 'team', 'team'),
  sales_rep: grant('own', 'all', 'own', 'own'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Segments of contacts and their materialized members.
 *
 * - `segments`: `dynamic` ones hold a rule tree (checked by the service, compiled to SQL),
 *   `static` ones a hand-kept list, `composite` ones the union of other segments minus
 *   others (no cycles, checked by the service). `member_count` and `refreshed_at` are as of
 *   the last refresh.
 * - `segment_members`: who is in a segment now; a refresh adds those who entered and
 *   removes those who left. The contact index answers "which segments is this contact in".
 */
export class Segments1764800100000 implements MigrationInterface {
  name = 'Segments1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE segments (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 2000),
        type text NOT NULL CHECK (type IN ('dynamic', 'static', 'composite')),
        rules jsonb,
        include_segment_ids text[] NOT NULL DEFAULT '{}',
        exclude_segment_ids text[] NOT NULL DEFAULT '{}',
        member_count integer NOT NULL DEFAULT 0,
        refreshed_at timestamptz,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES segments (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((type = 'dynamic') = (rules IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE segment_members (
        segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (segment_id, contact_id)
      )`);
    await q.query(`CREATE INDEX segment_members_contact_idx ON segment_members (contact_id)`);
    await q.query(
      `CREATE INDEX segments_created_idx ON segments (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX segments_name_idx ON segments (lower(name)) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX segments_owner_idx ON segments (owner_id)`);
    await q.query(`CREATE INDEX segments_team_idx ON segments (team_id)`);
    // Segment rules most often start from the lifecycle stage and how recent a contact is.
    await q.query(
      `CREATE INDEX contacts_lifecycle_created_idx ON contacts (lifecycle_stage, created_at) WHERE deleted_at IS NULL`,
    );
    // Segment rules over a contact's orders read them by contact, newest first.
    await q.query(
      `CREATE INDEX orders_contact_ordered_idx ON orders (contact_id, ordered_at) WHERE deleted_at IS NULL`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,segments}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'segments')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'segments') WHERE built_in`,
    );
    await q.query(`DROP INDEX orders_contact_ordered_idx`);
    await q.query(`DROP INDEX contacts_lifecycle_created_idx`);
    await q.query(`DROP TABLE segment_members`);
    await q.query(`DROP TABLE segments`);
  }
}
