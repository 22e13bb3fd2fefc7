import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `analytics_in_currency` only reads `exchange_rates`, so it is safe in a parallel worker.
 * Declared without a marking it counted as PARALLEL UNSAFE, and one unsafe function anywhere
 * in a statement (even in a CASE branch that never runs) keeps PostgreSQL from planning any
 * parallel worker for the whole statement: the profitability statement and the refresh of
 * `analytics_customer_values` scanned and aggregated every order line on one core while the
 * same query written by hand used three (see bench/customer-analytics.ts).
 */
export class AnalyticsParallelConversion1765900000001 implements MigrationInterface {
  name = 'AnalyticsParallelConversion1765900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION analytics_in_currency(numeric, text, date, text) PARALLEL SAFE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER FUNCTION analytics_in_currency(numeric, text, date, text) PARALLEL UNSAFE`,
    );
  }
}
