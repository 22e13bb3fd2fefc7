import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Line items of opportunities: a product (or, later, a saved configuration), a quantity, a
 * unit price in the opportunity's currency, a discount and the line's total. The lines of an
 * opportunity share its owner and team, so each role reaches them exactly as it reaches the
 * opportunity: every role gets the grant it has on opportunities (one an admin gave already
 * is kept).
 */
export class OpportunityLines1764700200000 implements MigrationInterface {
  name = 'OpportunityLines1764700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opportunity_lines (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities (id),
        product_id uuid NOT NULL REFERENCES products (id),
        configuration_id uuid,
        description text CHECK (length(description) <= 2000),
        quantity numeric NOT NULL CHECK (quantity > 0),
        unit_price_amount numeric NOT NULL CHECK (unit_price_amount >= 0),
        unit_price_currency char(3) NOT NULL,
        discount_percent numeric NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
        total_amount numeric NOT NULL,
        total_currency char(3) NOT NULL,
        position integer NOT NULL DEFAULT 0,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES opportunity_lines (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK (unit_price_currency = total_currency)
      )`);
    await q.query(
      `CREATE INDEX opportunity_lines_opportunity_idx ON opportunity_lines (opportunity_id, position, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX opportunity_lines_created_idx ON opportunity_lines (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX opportunity_lines_product_idx ON opportunity_lines (product_id)`);
    await q.query(`CREATE INDEX opportunity_lines_owner_idx ON opportunity_lines (owner_id)`);
    await q.query(`CREATE INDEX opportunity_lines_team_idx ON opportunity_lines (team_id)`);
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,opportunity-lines}', permissions->'entities'->'opportunities', true),
              version = version + 1, updated_at = now()
        WHERE permissions->'entities' ? 'opportunities' AND NOT (permissions->'entities' ? 'opportunity-lines')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'opportunity-lines')`,
    );
    await q.query(`DROP TABLE opportunity_lines`);
  }
}
