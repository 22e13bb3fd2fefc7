import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer portal's identities.
 *
 * - `portal_users`: a contact given portal access, at most one live identity per contact and
 *   per e-mail address. `password_hash` (argon2id) is null until the invitation is accepted;
 *   `revoked_at` ends the access for good (a new invitation makes a new identity).
 *   `invited_by_id` is the staff user who gave the access: cases the customer opens are
 *   written on that user's authority.
 * - `portal_invitations`: single-use, expiring tokens, kept only as their SHA-256.
 * - `portal_refresh_tokens`: rotating refresh tokens in families (a family is one session);
 *   the same rules as staff sessions: a reused token revokes its family.
 * - `case_comments.source` takes `portal` for comments the customer writes there, and
 *   `case_attachments.created_by_contact_id` names the customer who uploaded a file.
 */
export class CustomerPortal1765100000000 implements MigrationInterface {
  name = 'CustomerPortal1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portal_users (
        id uuid PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES contacts (id),
        email_normalized text NOT NULL CHECK (length(email_normalized) <= 320),
        password_hash text,
        invited_by_id uuid NOT NULL REFERENCES users (id),
        invited_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        last_login_at timestamptz,
        revoked_at timestamptz,
        revoked_by_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(
      `CREATE UNIQUE INDEX portal_users_contact_live_idx ON portal_users (contact_id) WHERE revoked_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX portal_users_email_live_idx ON portal_users (email_normalized) WHERE revoked_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE portal_invitations (
        id uuid PRIMARY KEY,
        portal_user_id uuid NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX portal_invitations_user_idx ON portal_invitations (portal_user_id)`,
    );
    await q.query(`
      CREATE TABLE portal_refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        portal_user_id uuid NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX portal_refresh_tokens_family_idx ON portal_refresh_tokens (family_id)`,
    );
    await q.query(
      `CREATE INDEX portal_refresh_tokens_user_idx ON portal_refresh_tokens (portal_user_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`ALTER TABLE case_comments DROP CONSTRAINT case_comments_source_check`);
    await q.query(
      `ALTER TABLE case_comments ADD CONSTRAINT case_comments_source_check CHECK (source IN ('api', 'email', 'portal'))`,
    );
    await q.query(
      `ALTER TABLE case_attachments ADD COLUMN created_by_contact_id uuid REFERENCES contacts (id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_attachments DROP COLUMN created_by_contact_id`);
    await q.query(`DELETE FROM case_comments WHERE source = 'portal'`);
    await q.query(`ALTER TABLE case_comments DROP CONSTRAINT case_comments_source_check`);
    await q.query(
      `ALTER TABLE case_comments ADD CONSTRAINT case_comments_source_check CHECK (source IN ('api', 'email'))`,
    );
    await q.query(`DROP TABLE portal_refresh_tokens`);
    await q.query(`DROP TABLE portal_invitations`);
    await q.query(`DROP TABLE portal_users`);
  }
}
