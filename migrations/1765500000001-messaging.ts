import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope) => ({
  create,
  read,
  update,
  delete: del,
  reassign: false,
});

/**
 * Every staff role talks in threads; what a thread shows is decided by taking part in it or
 * by reading its linked record, so `read: all` here only opens the door. Analysts read.
 */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all'),
  sales_manager: grant('all', 'all', 'all', 'own'),
  sales_rep: grant('all', 'all', 'own', 'own'),
  marketing: grant('all', 'all', 'own', 'own'),
  service_agent: grant('all', 'all', 'own', 'own'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Messaging threads.
 *
 * - `threads`: a subject, optionally tied to one record (`record_entity` + `record_id`, not
 *   a foreign key: the record may be of several types); `owner_id` is who opened it.
 * - `thread_participants`: staff users, contacts and (later) partner users, by kind and id;
 *   `reply_token` is the secret a contact's e-mail replies carry back; the read receipt is the
 *   `seq` of the last message the participant read.
 * - `thread_messages`: `seq` orders them and makes unread counts a comparison; `internal`
 *   notes are for staff only; a deleted message keeps its row (tombstone) without its body.
 * - `thread_message_edits`: the body before each edit, and before a deletion (the audit trace).
 * - `thread_attachments`: files stored by content hash, tied to a message once it is posted.
 */
export class Messaging1765500000001 implements MigrationInterface {
  name = 'Messaging1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE threads (
        id uuid PRIMARY KEY,
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
        record_entity text,
        record_id uuid,
        owner_id uuid NOT NULL REFERENCES users (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_message_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((record_entity IS NULL) = (record_id IS NULL))
      )`);
    await q.query(
      `CREATE INDEX threads_record_idx ON threads (record_entity, record_id) WHERE record_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE thread_participants (
        id uuid PRIMARY KEY,
        thread_id uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('user', 'contact', 'partner_user')),
        participant_id uuid NOT NULL,
        reply_token text NOT NULL UNIQUE,
        last_read_seq bigint NOT NULL DEFAULT 0,
        last_read_at timestamptz,
        added_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (thread_id, kind, participant_id)
      )`);
    await q.query(
      `CREATE INDEX thread_participants_who_idx ON thread_participants (kind, participant_id)`,
    );
    await q.query(`
      CREATE TABLE thread_messages (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        thread_id uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES thread_messages (id),
        author_kind text NOT NULL CHECK (author_kind IN ('user', 'contact', 'partner_user')),
        author_id uuid NOT NULL,
        format text NOT NULL CHECK (format IN ('markdown', 'html')),
        body text,
        internal boolean NOT NULL DEFAULT false,
        mentions uuid[] NOT NULL DEFAULT '{}',
        source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'email')),
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        deleted_by_id uuid,
        version integer NOT NULL DEFAULT 1,
        CHECK (deleted_at IS NOT NULL OR body IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX thread_messages_thread_idx ON thread_messages (thread_id, seq)`);
    await q.query(`
      CREATE TABLE thread_message_edits (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES thread_messages (id) ON DELETE CASCADE,
        change text NOT NULL DEFAULT 'edit' CHECK (change IN ('edit', 'delete')),
        format text NOT NULL,
        body text NOT NULL,
        edited_by_id uuid,
        edited_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX thread_message_edits_message_idx ON thread_message_edits (message_id, edited_at)`,
    );
    await q.query(`
      CREATE TABLE thread_attachments (
        id uuid PRIMARY KEY,
        thread_id uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        message_id uuid REFERENCES thread_messages (id),
        file_name text NOT NULL,
        media_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX thread_attachments_thread_idx ON thread_attachments (thread_id, created_at)`,
    );
    for (const [role, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', 'threads'], $2::jsonb, true)
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'threads')`,
        [role, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'threads')`,
    );
    await q.query(
      `DROP TABLE thread_attachments, thread_message_edits, thread_messages, thread_participants, threads`,
    );
  }
}
