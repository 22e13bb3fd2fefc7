import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Agents log and work their calls and read the team's; managers and analysts read all. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('none', 'all', 'none', 'none'),
  sales_rep: grant('own', 'own', 'own', 'none'),
  marketing: grant('none', 'none', 'none', 'none'),
  service_agent: grant('own', 'team', 'own', 'own'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Call records of the call centre.
 *
 * - `calls`: numbers in E.164; `customer_number` repeats the outside party's number (the caller
 *   of an inbound call, the callee of an outbound one) so the calls of a number read one index.
 *   A call matches its contact on create through the contacts' existing `phone_keys` GIN index,
 *   which holds every stored number as digits: an E.164 number is looked up as its own digits
 *   and in national form, so "021-555 0100" stored years ago still finds "+62215550100".
 * - `case_id` has no foreign key yet: it comes with the cases table. `queue_id` names a queue
 *   of the service desk, also without a foreign key until queues exist.
 * - The agent report reads calls by agent and start time through `calls_agent_started_idx`.
 */
export class CallCentre1764900100001 implements MigrationInterface {
  name = 'CallCentre1764900100001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calls (
        id uuid PRIMARY KEY,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        from_number text NOT NULL CHECK (from_number ~ '^\\+[1-9][0-9]{6,14}$'),
        to_number text NOT NULL CHECK (to_number ~ '^\\+[1-9][0-9]{6,14}$'),
        customer_number text NOT NULL,
        contact_id uuid REFERENCES contacts (id),
        agent_id uuid NOT NULL REFERENCES users (id),
        queue_id uuid,
        case_id uuid,
        started_at timestamptz NOT NULL,
        duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
        wait_seconds integer NOT NULL DEFAULT 0 CHECK (wait_seconds >= 0),
        outcome text NOT NULL CHECK (outcome IN ('answered', 'missed', 'voicemail', 'callback_requested')),
        disposition text CHECK (length(disposition) <= 50),
        notes text CHECK (length(notes) <= 5000),
        recording_url text CHECK (recording_url ~ '^https://' AND length(recording_url) <= 2000),
        callback_due_at timestamptz,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES calls (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX calls_customer_number_idx ON calls (customer_number, started_at DESC) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX calls_agent_started_idx ON calls (agent_id, started_at) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX calls_started_idx ON calls (started_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX calls_case_idx ON calls (case_id, started_at) WHERE case_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX calls_contact_idx ON calls (contact_id)`);
    await q.query(
      `CREATE INDEX calls_created_idx ON calls (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX calls_owner_idx ON calls (owner_id)`);
    await q.query(`CREATE INDEX calls_team_idx ON calls (team_id)`);
    // The screen-pop reads a contact's latest orders.
    await q.query(
      `CREATE INDEX IF NOT EXISTS orders_contact_ordered_idx ON orders (contact_id, ordered_at DESC) WHERE deleted_at IS NULL`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
        [key, 'calls', JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'calls')
        WHERE built_in`,
    );
    await q.query(`DROP INDEX IF EXISTS orders_contact_ordered_idx`);
    await q.query(`DROP TABLE calls`);
  }
}
