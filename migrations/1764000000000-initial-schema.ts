import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation schema: access control, authentication, audit, idempotency, accounts and
 * contacts. Every customer record carries owner, team, version, soft-delete and custom-field
 * columns; the indexes match the filters and sorts the list query builder emits.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE system_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE roles (
        id uuid PRIMARY KEY,
        key text UNIQUE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description text,
        built_in boolean NOT NULL DEFAULT false,
        permissions jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX roles_name_key ON roles (lower(name)) WHERE deleted_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        email_normalized text NOT NULL,
        first_name text,
        last_name text,
        password_hash text NOT NULL,
        role_id uuid NOT NULL REFERENCES roles (id),
        active boolean NOT NULL DEFAULT true,
        locale text NOT NULL DEFAULT 'en',
        time_zone text NOT NULL DEFAULT 'UTC',
        last_login_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX users_email_key ON users (email_normalized) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX users_role_idx ON users (role_id)`);

    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX teams_name_key ON teams (lower(name)) WHERE deleted_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE team_members (
        team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
      )`);
    await q.query(`CREATE INDEX team_members_user_idx ON team_members (user_id)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_keys_user_idx ON api_keys (user_id)`);

    await q.query(`
      CREATE TABLE login_events (
        id uuid PRIMARY KEY,
        user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        email text NOT NULL,
        ip text NOT NULL,
        user_agent text,
        success boolean NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_events_user_idx ON login_events (user_id, at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        principal_id uuid NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        response jsonb,
        response_headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (principal_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE record_history (
        id uuid PRIMARY KEY,
        entity text NOT NULL,
        record_id uuid NOT NULL,
        action text NOT NULL,
        actor_id uuid,
        request_id text,
        at timestamptz NOT NULL DEFAULT now(),
        changes jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX record_history_record_idx ON record_history (entity, record_id, at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL DEFAULT 'prospect'
          CHECK (type IN ('customer', 'prospect', 'partner', 'competitor')),
        industry text,
        website text,
        description text,
        phones jsonb NOT NULL DEFAULT '[]',
        addresses jsonb NOT NULL DEFAULT '[]',
        parent_account_id uuid REFERENCES accounts (id),
        annual_revenue_amount numeric,
        annual_revenue_currency char(3),
        employees integer CHECK (employees >= 0),
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        name_key text NOT NULL,
        phone_keys text[] NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES accounts (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((annual_revenue_amount IS NULL) = (annual_revenue_currency IS NULL))
      )`);
    await q.query(
      `CREATE INDEX accounts_created_idx ON accounts (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX accounts_name_idx ON accounts (name, id) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX accounts_name_key_idx ON accounts (name_key) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX accounts_owner_idx ON accounts (owner_id)`);
    await q.query(`CREATE INDEX accounts_team_idx ON accounts (team_id)`);
    await q.query(`CREATE INDEX accounts_parent_idx ON accounts (parent_account_id)`);
    await q.query(`CREATE INDEX accounts_phone_keys_idx ON accounts USING gin (phone_keys)`);
    await q.query(
      `CREATE INDEX accounts_search_idx ON accounts USING gin (lower(name) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY,
        salutation text,
        first_name text,
        middle_name text,
        last_name text NOT NULL,
        email text,
        other_emails text[] NOT NULL DEFAULT '{}',
        phones jsonb NOT NULL DEFAULT '[]',
        account_id uuid REFERENCES accounts (id),
        title text,
        department text,
        preferred_language text,
        time_zone text,
        lifecycle_stage text NOT NULL DEFAULT 'lead' CHECK (lifecycle_stage IN
          ('subscriber', 'lead', 'marketing_qualified', 'sales_qualified', 'opportunity', 'customer', 'evangelist', 'other')),
        description text,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        name_key text NOT NULL,
        email_keys text[] NOT NULL DEFAULT '{}',
        phone_keys text[] NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES contacts (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX contacts_created_idx ON contacts (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX contacts_last_name_idx ON contacts (last_name, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX contacts_email_idx ON contacts (lower(email)) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX contacts_name_key_idx ON contacts (name_key) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX contacts_account_idx ON contacts (account_id)`);
    await q.query(`CREATE INDEX contacts_owner_idx ON contacts (owner_id)`);
    await q.query(`CREATE INDEX contacts_team_idx ON contacts (team_id)`);
    await q.query(`CREATE INDEX contacts_email_keys_idx ON contacts USING gin (email_keys)`);
    await q.query(`CREATE INDEX contacts_phone_keys_idx ON contacts USING gin (phone_keys)`);
    await q.query(
      `CREATE INDEX contacts_search_idx ON contacts USING gin ((lower(coalesce(first_name, '') || ' ' || last_name || ' ' || coalesce(email, ''))) gin_trgm_ops)`,
    );

    await q.query(`
      INSERT INTO roles (id, key, name, description, built_in, permissions) VALUES
      ('0192f000-0000-7000-8000-000000000001', 'admin', 'Admin', 'Full access to every record and to administration.', true, '{"admin":true,"entities":{"accounts":{"create":"all","read":"all","update":"all","delete":"all","reassign":true},"contacts":{"create":"all","read":"all","update":"all","delete":"all","reassign":true}},"fields":{}}'::jsonb),
      ('0192f000-0000-7000-8000-000000000002', 'sales_manager', 'Sales manager', 'Reads all customer records, manages their team''s records and reassigns them.', true, '{"admin":false,"entities":{"accounts":{"create":"all","read":"all","update":"team","delete":"team","reassign":true},"contacts":{"create":"all","read":"all","update":"team","delete":"team","reassign":true}},"fields":{}}'::jsonb),
      ('0192f000-0000-7000-8000-000000000003', 'sales_rep', 'Sales rep', 'Works their own and their team''s customers.', true, '{"admin":false,"entities":{"accounts":{"create":"own","read":"team","update":"own","delete":"own","reassign":false},"contacts":{"create":"own","read":"team","update":"own","delete":"own","reassign":false}},"fields":{}}'::jsonb),
      ('0192f000-0000-7000-8000-000000000004', 'marketing', 'Marketing', 'Reads customers and maintains contacts for campaigns.', true, '{"admin":false,"entities":{"accounts":{"create":"none","read":"all","update":"none","delete":"none","reassign":false},"contacts":{"create":"all","read":"all","update":"all","delete":"none","reassign":false}},"fields":{"accounts":{"annualRevenue":"hidden"}}}'::jsonb),
      ('0192f000-0000-7000-8000-000000000005', 'service_agent', 'Service agent', 'Reads customers and keeps contact details current.', true, '{"admin":false,"entities":{"accounts":{"create":"none","read":"all","update":"none","delete":"none","reassign":false},"contacts":{"create":"all","read":"all","update":"all","delete":"none","reassign":false}},"fields":{"contacts":{"ownerId":"read-only","lifecycleStage":"read-only"}}}'::jsonb),
      ('0192f000-0000-7000-8000-000000000006', 'analyst', 'Analyst', 'Reads everything, changes nothing.', true, '{"admin":false,"entities":{"accounts":{"create":"none","read":"all","update":"none","delete":"none","reassign":false},"contacts":{"create":"none","read":"all","update":"none","delete":"none","reassign":false}},"fields":{}}'::jsonb)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'contacts',
      'accounts',
      'record_history',
      'idempotency_keys',
      'login_throttle',
      'login_events',
      'api_keys',
      'refresh_tokens',
      'team_members',
      'teams',
      'users',
      'roles',
      'system_settings',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
