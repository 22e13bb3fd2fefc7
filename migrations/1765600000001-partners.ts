import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Admins and sales managers (the channel managers) run the channel; reps read it to sell with it. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('all', 'all', 'all', 'all', true),
  sales_rep: grant('none', 'all', 'none', 'none'),
};

/**
 * Partner organizations, their people and the deals they register.
 *
 * - `partners`: the partner profile of an account of type `partner`, one live profile per
 *   account. `certifications` is a jsonb array of `{ name, issued, expires }`; `status`
 *   `suspended` locks every partner user out at once.
 * - `partner_users`, `partner_invitations`, `partner_refresh_tokens`: the partner audience's
 *   identities, single-use invitations (SHA-256 only) and rotating refresh tokens in
 *   families, under the same rules as the customer portal's.
 * - `deal_registrations`: a deal a partner user submits; a channel manager approves it (it
 *   then names the account and opportunity made or linked for it, protected until
 *   `expires_at`) or rejects it with a reason; the expiry job ends approvals whose
 *   opportunity did not move on.
 * - `partner_opportunities`: which partner an opportunity is attributed to.
 * - `partner_shares`: leads and opportunities a partner organization may see, shared by
 *   staff, by a distribution rule or by an approval; `rule` names the rule that placed it.
 */
export class Partners1765600000001 implements MigrationInterface {
  name = 'Partners1765600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts (id),
        tier text NOT NULL CHECK (length(tier) BETWEEN 1 AND 50),
        territories text[] NOT NULL DEFAULT '{}',
        certifications jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(certifications) = 'array'),
        channel_manager_id uuid REFERENCES users (id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        lead_capacity integer CHECK (lead_capacity IS NULL OR lead_capacity >= 0),
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES partners (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX partners_account_key ON partners (account_id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX partners_created_idx ON partners (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX partners_owner_idx ON partners (owner_id)`);
    await q.query(`CREATE INDEX partners_team_idx ON partners (team_id)`);
    await q.query(`CREATE INDEX partners_manager_idx ON partners (channel_manager_id)`);

    await q.query(`
      CREATE TABLE partner_users (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partners (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
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
      `CREATE UNIQUE INDEX partner_users_email_live_idx ON partner_users (email_normalized) WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX partner_users_partner_idx ON partner_users (partner_id)`);
    await q.query(`
      CREATE TABLE partner_invitations (
        id uuid PRIMARY KEY,
        partner_user_id uuid NOT NULL REFERENCES partner_users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX partner_invitations_user_idx ON partner_invitations (partner_user_id)`,
    );
    await q.query(`
      CREATE TABLE partner_refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        partner_user_id uuid NOT NULL REFERENCES partner_users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX partner_refresh_tokens_family_idx ON partner_refresh_tokens (family_id)`,
    );
    await q.query(
      `CREATE INDEX partner_refresh_tokens_user_idx ON partner_refresh_tokens (partner_user_id) WHERE revoked_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE deal_registrations (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partners (id),
        submitted_by_id uuid NOT NULL REFERENCES partner_users (id),
        account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 200),
        account_domain text CHECK (length(account_domain) <= 253),
        contact jsonb,
        product_interest text[] NOT NULL DEFAULT '{}',
        estimated_amount numeric CHECK (estimated_amount >= 0),
        estimated_currency char(3),
        expected_close_date date,
        notes text CHECK (length(notes) <= 4000),
        status text NOT NULL DEFAULT 'submitted'
          CHECK (status IN ('submitted', 'approved', 'rejected', 'expired')),
        reject_reason text CHECK (length(reject_reason) <= 1000),
        decided_by_id uuid REFERENCES users (id),
        decided_at timestamptz,
        account_id uuid REFERENCES accounts (id),
        opportunity_id uuid REFERENCES opportunities (id),
        expires_at timestamptz,
        expired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((estimated_amount IS NULL) = (estimated_currency IS NULL))
      )`);
    await q.query(
      `CREATE INDEX deal_registrations_partner_idx ON deal_registrations (partner_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX deal_registrations_status_idx ON deal_registrations (status, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX deal_registrations_expiry_idx ON deal_registrations (expires_at) WHERE status = 'approved'`,
    );
    await q.query(
      `CREATE INDEX deal_registrations_name_idx ON deal_registrations (lower(account_name))`,
    );

    await q.query(`
      CREATE TABLE partner_opportunities (
        opportunity_id uuid PRIMARY KEY REFERENCES opportunities (id),
        partner_id uuid NOT NULL REFERENCES partners (id),
        registration_id uuid REFERENCES deal_registrations (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX partner_opportunities_partner_idx ON partner_opportunities (partner_id)`,
    );

    await q.query(`
      CREATE TABLE partner_shares (
        partner_id uuid NOT NULL REFERENCES partners (id),
        record_type text NOT NULL CHECK (record_type IN ('leads', 'opportunities')),
        record_id uuid NOT NULL,
        via text NOT NULL CHECK (via IN ('staff', 'rule', 'registration')),
        rule text CHECK (length(rule) <= 100),
        shared_by_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, record_type, record_id)
      )`);
    await q.query(
      `CREATE INDEX partner_shares_record_idx ON partner_shares (record_type, record_id)`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', 'partners'], $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'partners')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'partners')
        WHERE built_in`,
    );
    await q.query(`DROP TABLE partner_shares`);
    await q.query(`DROP TABLE partner_opportunities`);
    await q.query(`DROP TABLE deal_registrations`);
    await q.query(`DROP TABLE partner_refresh_tokens`);
    await q.query(`DROP TABLE partner_invitations`);
    await q.query(`DROP TABLE partner_users`);
    await q.query(`DROP TABLE partners`);
  }
}
