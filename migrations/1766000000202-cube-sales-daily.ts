import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sales cube summed by day, beside the line-grain `cube_sales`, for the queries that slice
 * by time, region, industry, segment, owner or team only: at 10,000,000 order lines one region
 * is about 1,700,000 lines but a few thousand days × dimension values. The cube compiler reads
 * it whenever a query allows and `cube_sales` otherwise (by product, family, account or an
 * account field).
 *
 * - Every dimension here is one value for all of an order's sale lines, which share the order's
 *   booking time; so an order's sale lines fall into one row and `orders` (orders with a sale
 *   line in the row) adds up across rows to the distinct count over lines. A return's credit
 *   lines, booked later, add to money and lines but never count their order again.
 * - `revenue` stays NULL when none of the row's lines had a rate (as its sum over lines would),
 *   `margin` sums only lines with revenue, as over lines, and `unconverted` counts the others.
 * - Built from `cube_sales` so the conversion and the dimensions are written once; the refresh
 *   job refreshes it right after that view. The unique key treats NULLs as equal so that a
 *   concurrent refresh can match rows without a team, region or industry.
 */
export class CubeSalesDaily1766000000202 implements MigrationInterface {
  name = 'CubeSalesDaily1766000000202';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE MATERIALIZED VIEW cube_sales_daily AS
      SELECT m.day, m.owner_id, m.team_id, m.region, m.industry, m.segment,
             sum(m.revenue) AS revenue,
             sum(coalesce(m.cost, 0)) AS cost,
             sum(m.revenue - coalesce(m.cost, 0)) AS margin,
             count(DISTINCT m.order_id) FILTER (WHERE m.quantity > 0) AS orders,
             count(*) AS lines,
             sum(m.quantity) AS quantity,
             count(*) FILTER (WHERE m.revenue IS NULL) AS unconverted
        FROM cube_sales m
       GROUP BY m.day, m.owner_id, m.team_id, m.region, m.industry, m.segment`);
    await q.query(
      `CREATE UNIQUE INDEX cube_sales_daily_key ON cube_sales_daily
         (day, owner_id, team_id, region, industry, segment) NULLS NOT DISTINCT`,
    );
    await q.query(`CREATE INDEX cube_sales_daily_region_idx ON cube_sales_daily (region, day)`);
    // `orders` now reads the quantity (sale lines only): with it in the region index, a query of
    // a region that stays on the lines still answers from the index alone.
    await q.query(`DROP INDEX cube_sales_region_day_idx`);
    await q.query(
      `CREATE INDEX cube_sales_region_day_idx ON cube_sales (region, day) INCLUDE (revenue, cost, order_id, quantity)`,
    );
    await q.query(
      `INSERT INTO cube_refreshes (view_name, refreshed_at, duration_ms)
       SELECT 'cube_sales_daily', refreshed_at, 0 FROM cube_refreshes WHERE view_name = 'cube_sales'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM cube_refreshes WHERE view_name = 'cube_sales_daily'`);
    await q.query(`DROP MATERIALIZED VIEW cube_sales_daily`);
    await q.query(`DROP INDEX cube_sales_region_day_idx`);
    await q.query(
      `CREATE INDEX cube_sales_region_day_idx ON cube_sales (region, day) INCLUDE (revenue, cost, order_id)`,
    );
  }
}
