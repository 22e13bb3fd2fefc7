import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forecasting: dated exchange rates kept by admins, and each opportunity's forecast category
 * with the owner's override. Existing opportunities get the category their status and
 * probability give under the default thresholds (90 commit, 50 best case); categories a
 * stage declares in crm.config.yaml apply from each opportunity's next change, as stage
 * probabilities do.
 *
 * Exchange rates need no role grants: like users and webhooks they are written by admins
 * (`permissions.admin`), and any signed-in user may read them to follow a forecast.
 */
export class Forecasting1764500000010 implements MigrationInterface {
  name = 'Forecasting1764500000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exchange_rates (
        id uuid PRIMARY KEY,
        from_currency char(3) NOT NULL CHECK (from_currency ~ '^[A-Z]{3}$'),
        to_currency char(3) NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
        rate numeric NOT NULL CHECK (rate > 0),
        valid_from date NOT NULL,
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK (from_currency <> to_currency)
      )`);
    // One live rate per pair and day; the same index answers "latest rate on or before a date".
    await q.query(
      `CREATE UNIQUE INDEX exchange_rates_pair_day_key ON exchange_rates (from_currency, to_currency, valid_from) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX exchange_rates_created_idx ON exchange_rates (created_at, id) WHERE deleted_at IS NULL`,
    );

    await q.query(`
      ALTER TABLE opportunities
        ADD COLUMN forecast_category text,
        ADD COLUMN forecast_category_override text
          CHECK (forecast_category_override IN ('pipeline', 'best_case', 'commit', 'omitted'))`);
    await q.query(`
      UPDATE opportunities SET forecast_category = CASE
        WHEN status = 'won' THEN 'closed'
        WHEN status = 'lost' THEN 'omitted'
        WHEN probability >= 90 THEN 'commit'
        WHEN probability >= 50 THEN 'best_case'
        ELSE 'pipeline' END`);
    await q.query(`
      ALTER TABLE opportunities
        ALTER COLUMN forecast_category SET NOT NULL,
        ADD CONSTRAINT opportunities_forecast_category_check
          CHECK (forecast_category IN ('pipeline', 'best_case', 'commit', 'omitted', 'closed'))`);
    // A won opportunity without an expected close date falls in the period it closed in.
    await q.query(
      `CREATE INDEX opportunities_undated_won_idx ON opportunities (closed_at)
         WHERE deleted_at IS NULL AND status = 'won' AND expected_close_date IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX opportunities_undated_won_idx`);
    await q.query(
      `ALTER TABLE opportunities DROP COLUMN forecast_category_override, DROP COLUMN forecast_category`,
    );
    await q.query(`DROP TABLE exchange_rates`);
  }
}
