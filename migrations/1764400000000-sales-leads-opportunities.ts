import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales force automation: opportunities in configurable pipelines with the history of their
 * stages, and leads that convert into accounts, contacts and opportunities. Stage keys are
 * checked by the API against crm.config.yaml, not by CHECK constraints, so an admin can
 * change pipelines without a migration. The board index covers the pipeline board's GROUP BY.
 */
export class SalesLeadsOpportunities1764400000000 implements MigrationInterface {
  name = 'SalesLeadsOpportunities1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opportunities (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        account_id uuid NOT NULL REFERENCES accounts (id),
        primary_contact_id uuid REFERENCES contacts (id),
        contact_roles jsonb NOT NULL DEFAULT '[]',
        amount_amount numeric,
        amount_currency char(3),
        probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
        expected_close_date date,
        pipeline text NOT NULL CHECK (length(pipeline) > 0),
        stage text NOT NULL CHECK (length(stage) > 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
        stage_changed_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        next_step text,
        competitors text[] NOT NULL DEFAULT '{}',
        lost_reason text,
        description text,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES opportunities (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK ((amount_amount IS NULL) = (amount_currency IS NULL))
      )`);
    await q.query(
      `CREATE INDEX opportunities_created_idx ON opportunities (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX opportunities_name_idx ON opportunities (name, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX opportunities_close_date_idx ON opportunities (expected_close_date, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX opportunities_board_idx ON opportunities (pipeline, stage, amount_currency)
         INCLUDE (amount_amount, probability, owner_id, team_id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX opportunities_account_idx ON opportunities (account_id)`);
    await q.query(
      `CREATE INDEX opportunities_primary_contact_idx ON opportunities (primary_contact_id)`,
    );
    await q.query(
      `CREATE INDEX opportunities_contact_roles_idx ON opportunities USING gin (contact_roles jsonb_path_ops)`,
    );
    await q.query(`CREATE INDEX opportunities_owner_idx ON opportunities (owner_id)`);
    await q.query(`CREATE INDEX opportunities_team_idx ON opportunities (team_id)`);
    await q.query(
      `CREATE INDEX opportunities_search_idx ON opportunities USING gin (lower(name) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE opportunity_stage_history (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
        pipeline text NOT NULL,
        stage text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
        from_pipeline text,
        from_stage text,
        probability integer NOT NULL,
        amount_amount numeric,
        amount_currency char(3),
        entered_at timestamptz NOT NULL DEFAULT now(),
        left_at timestamptz,
        actor_id uuid,
        CHECK (left_at IS NULL OR left_at >= entered_at)
      )`);
    await q.query(
      `CREATE INDEX opportunity_stage_history_opportunity_idx ON opportunity_stage_history (opportunity_id, entered_at, id)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX opportunity_stage_history_current_key ON opportunity_stage_history (opportunity_id) WHERE left_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        salutation text,
        first_name text,
        last_name text,
        email text,
        phone text,
        company text,
        title text,
        industry text,
        website text,
        address jsonb,
        description text,
        source text NOT NULL DEFAULT 'manual' CHECK (length(source) > 0),
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'working', 'nurturing', 'qualified', 'unqualified', 'converted')),
        rating text CHECK (rating IN ('hot', 'warm', 'cold')),
        score integer NOT NULL DEFAULT 0,
        converted_account_id uuid REFERENCES accounts (id),
        converted_contact_id uuid REFERENCES contacts (id),
        converted_opportunity_id uuid REFERENCES opportunities (id),
        converted_at timestamptz,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        name_key text NOT NULL,
        email_key text,
        merged_into_id uuid REFERENCES leads (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK (last_name IS NOT NULL OR company IS NOT NULL),
        CHECK ((status = 'converted') = (converted_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX leads_created_idx ON leads (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX leads_last_name_idx ON leads (last_name, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX leads_status_idx ON leads (status, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX leads_email_key_idx ON leads (email_key) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX leads_owner_idx ON leads (owner_id)`);
    await q.query(`CREATE INDEX leads_team_idx ON leads (team_id)`);
    await q.query(`CREATE INDEX leads_converted_account_idx ON leads (converted_account_id)`);
    await q.query(`CREATE INDEX leads_converted_contact_idx ON leads (converted_contact_id)`);
    await q.query(
      `CREATE INDEX leads_converted_opportunity_idx ON leads (converted_opportunity_id)`,
    );
    await q.query(
      `CREATE INDEX leads_search_idx ON leads USING gin ((lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(email, ''))) gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE leads`);
    await q.query(`DROP TABLE opportunity_stage_history`);
    await q.query(`DROP TABLE opportunities`);
  }
}
