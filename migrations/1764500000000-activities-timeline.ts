import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';

const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** What each built-in role may do with activities. Service and marketing staff log them too. */
const ACTIVITY_GRANTS = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('all', 'all', 'team', 'team', true),
  sales_rep: grant('own', 'team', 'own', 'own'),
  marketing: grant('own', 'all', 'own', 'own'),
  service_agent: grant('own', 'all', 'own', 'own'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Activities (tasks, calls, meetings, logged emails, notes) and the timeline every record
 * page shows. An activity relates to one record of any type (`related_entity`, `related_id`:
 * checked by the API, since the target may be a custom object) and lists its participants.
 * `occurred_at` is derived on write (completion, start, due date or creation) so the
 * timeline and the lead-scoring signals read one indexed column. Reminders are delayed jobs
 * on the job queue, so they need no index here.
 *
 * `timeline_entries` holds one row per (entry, record it appears on): an activity with a
 * contact participant appears on the contact, on the record it relates to and on their
 * accounts. Rows are written in the transaction of the change they describe; who may see one
 * is decided at read time by the source record's own scope, so reassigning or deleting the
 * source needs no rewrite here.
 */
export class ActivitiesTimeline1764500000000 implements MigrationInterface {
  name = 'ActivitiesTimeline1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE activities (
        id uuid PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('task', 'call', 'meeting', 'email', 'note')),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
        description text,
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'completed', 'cancelled')),
        priority text NOT NULL DEFAULT 'normal' CHECK (length(priority) > 0),
        direction text CHECK (direction IN ('inbound', 'outbound')),
        due_at timestamptz,
        starts_at timestamptz,
        ends_at timestamptz,
        duration_minutes integer CHECK (duration_minutes BETWEEN 0 AND 10080),
        location text,
        outcome text,
        completed_at timestamptz,
        occurred_at timestamptz NOT NULL,
        reminder_at timestamptz,
        reminder_sent_at timestamptz,
        related_entity text,
        related_id uuid,
        participant_user_ids text[] NOT NULL DEFAULT '{}',
        participant_contact_ids text[] NOT NULL DEFAULT '{}',
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES activities (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((related_entity IS NULL) = (related_id IS NULL)),
        CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at),
        CHECK ((status = 'completed') = (completed_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX activities_created_idx ON activities (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX activities_occurred_idx ON activities (occurred_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX activities_due_idx ON activities (due_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX activities_related_idx ON activities (related_entity, related_id, occurred_at)
         WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX activities_owner_idx ON activities (owner_id, status, due_at)`);
    await q.query(`CREATE INDEX activities_team_idx ON activities (team_id)`);
    await q.query(
      `CREATE INDEX activities_participant_users_idx ON activities USING gin (participant_user_ids)`,
    );
    await q.query(
      `CREATE INDEX activities_participant_contacts_idx ON activities USING gin (participant_contact_ids)`,
    );
    await q.query(
      `CREATE INDEX activities_search_idx ON activities USING gin (lower(subject) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE timeline_entries (
        id uuid PRIMARY KEY,
        subject_entity text NOT NULL,
        subject_id uuid NOT NULL,
        source_entity text NOT NULL,
        source_id uuid NOT NULL,
        entry_key text NOT NULL DEFAULT '',
        type text NOT NULL CHECK (length(type) BETWEEN 1 AND 50),
        occurred_at timestamptz NOT NULL,
        title text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_entity, source_id, entry_key, subject_entity, subject_id)
      )`);
    await q.query(
      `CREATE INDEX timeline_entries_subject_idx ON timeline_entries (subject_entity, subject_id, occurred_at, id)`,
    );

    for (const [key, g] of Object.entries(ACTIVITY_GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,activities}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'activities')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'activities')
        WHERE built_in`,
    );
    await q.query(`DROP TABLE timeline_entries`);
    await q.query(`DROP TABLE activities`);
  }
}
