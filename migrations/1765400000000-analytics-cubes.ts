import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate of a day by the platform's one conversion rule (see rateLookupSql in
 * src/platform/currency): the latest live rate of the pair on or before the day, the opposite
 * pair inverted when only it is on file, the more recent one when both are. Written out here
 * because a migration is reviewed SQL that does not change when the code does.
 */
const converted = (amount: string, currency: string, day: string) => `CASE
  WHEN ${currency} = s.reporting_currency THEN ${amount}
  ELSE (SELECT CASE WHEN r.inverse THEN round(${amount}, 20) / r.rate ELSE ${amount} * r.rate END
          FROM (SELECT x.rate, false AS inverse, x.valid_from FROM exchange_rates x
                 WHERE x.deleted_at IS NULL AND x.from_currency = ${currency}
                   AND x.to_currency = s.reporting_currency AND x.valid_from <= ${day}
                UNION ALL
                SELECT x.rate, true, x.valid_from FROM exchange_rates x
                 WHERE x.deleted_at IS NULL AND x.from_currency = s.reporting_currency
                   AND x.to_currency = ${currency} AND x.valid_from <= ${day}
                ORDER BY valid_from DESC, inverse LIMIT 1) r)
  END`;

const day = (ts: string) => `(${ts} AT TIME ZONE s.time_zone)::date`;
const REGION = `coalesce(nullif(a.addresses->0->>'region', ''), a.addresses->0->>'country')`;

/**
 * Read models of the OLAP cubes: one materialized view per cube, at the grain of the
 * operational record it counts (an order line, an opportunity, a case, a call, a campaign),
 * with the dimensions denormalized and money converted to the reporting currency.
 *
 * - `cube_settings`: the one row the views read their reporting currency and time zone from;
 *   the refresh job writes it from crm.config.yaml before it refreshes, so a changed
 *   `organization.defaultCurrency` reaches the figures at the next refresh.
 * - `cube_refreshes`: when each view was last refreshed, the `dataAsOf` of every answer.
 * - Each view has a unique index on its record id, which REFRESH … CONCURRENTLY needs so
 *   readers are never blocked while it runs; owner and team columns carry the record scope.
 * - An amount without a rate on file stays NULL and is counted as `unconverted`, never summed
 *   as if it were in the reporting currency.
 */
export class AnalyticsCubes1765400000000 implements MigrationInterface {
  name = 'AnalyticsCubes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cube_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        reporting_currency char(3) NOT NULL,
        time_zone text NOT NULL
      )`);
    await q.query(
      `INSERT INTO cube_settings (reporting_currency, time_zone) VALUES ('IDR', 'UTC')`,
    );
    await q.query(`
      CREATE TABLE cube_refreshes (
        view_name text PRIMARY KEY,
        refreshed_at timestamptz NOT NULL,
        duration_ms integer NOT NULL DEFAULT 0
      )`);

    await q.query(`
      CREATE MATERIALIZED VIEW cube_sales AS
      SELECT l.id AS line_id, l.order_id, ${day('l.booked_at')} AS day,
             o.account_id, l.product_id, p.family_id, o.owner_id, o.team_id,
             ${REGION} AS region, a.industry, a.type AS segment,
             l.quantity,
             ${converted('l.net_amount', 'l.currency', day('l.booked_at'))} AS revenue,
             ${converted('p.cost_price_amount * l.quantity', 'p.cost_price_currency', day('l.booked_at'))} AS cost
        FROM order_lines l
        JOIN orders o ON o.id = l.order_id
        JOIN accounts a ON a.id = o.account_id
        JOIN products p ON p.id = l.product_id
        CROSS JOIN cube_settings s
       WHERE o.deleted_at IS NULL AND o.status <> 'cancelled'`);
    await q.query(`CREATE UNIQUE INDEX cube_sales_key ON cube_sales (line_id)`);
    await q.query(`CREATE INDEX cube_sales_day_idx ON cube_sales (day)`);

    await q.query(`
      CREATE MATERIALIZED VIEW cube_opportunities AS
      SELECT o.id AS opportunity_id, ${day('coalesce(o.closed_at, o.created_at)')} AS day,
             o.account_id, o.owner_id, o.team_id, o.pipeline, o.stage, o.status,
             ${REGION} AS region, a.industry, a.type AS segment,
             ${converted('o.amount_amount', 'o.amount_currency', day('coalesce(o.closed_at, o.created_at)'))} AS amount,
             (o.amount_amount IS NOT NULL) AS has_amount
        FROM opportunities o
        JOIN accounts a ON a.id = o.account_id
        CROSS JOIN cube_settings s
       WHERE o.deleted_at IS NULL`);
    await q.query(
      `CREATE UNIQUE INDEX cube_opportunities_key ON cube_opportunities (opportunity_id)`,
    );

    await q.query(`
      CREATE MATERIALIZED VIEW cube_cases AS
      SELECT c.id AS case_id, ${day('c.created_at')} AS day, c.account_id, c.owner_id, c.team_id,
             c.channel, c.type, c.priority, c.status,
             ${REGION} AS region, a.industry, a.type AS segment,
             (c.first_response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL) AS breached,
             (c.status NOT IN ('resolved', 'closed')) AS open,
             CASE WHEN c.resolved_at IS NOT NULL
                  THEN extract(epoch FROM c.resolved_at - c.created_at) / 3600 END AS resolution_hours
        FROM cases c
        LEFT JOIN accounts a ON a.id = c.account_id
        CROSS JOIN cube_settings s
       WHERE c.deleted_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX cube_cases_key ON cube_cases (case_id)`);

    await q.query(`
      CREATE MATERIALIZED VIEW cube_calls AS
      SELECT k.id AS call_id, ${day('k.started_at')} AS day, k.owner_id, k.team_id,
             k.direction, k.outcome, k.duration_seconds, k.wait_seconds
        FROM calls k
        CROSS JOIN cube_settings s
       WHERE k.deleted_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX cube_calls_key ON cube_calls (call_id)`);

    await q.query(`
      CREATE MATERIALIZED VIEW cube_campaigns AS
      SELECT m.id AS campaign_id, m.name AS campaign,
             ${day('coalesce(m.starts_on::timestamp AT TIME ZONE s.time_zone, m.created_at)')} AS day,
             coalesce(m.channel, m.type) AS channel, m.type, m.status, m.owner_id, m.team_id,
             (SELECT coalesce(sum(${converted('cc.amount', 'cc.currency', 'cc.incurred_on')}), 0)
                FROM campaign_costs cc WHERE cc.campaign_id = m.id AND cc.kind = 'actual') AS cost,
             (SELECT count(*) FROM campaign_members cm WHERE cm.campaign_id = m.id) AS members,
             (SELECT count(*) FROM campaign_responses cr WHERE cr.campaign_id = m.id) AS responses
        FROM campaigns m
        CROSS JOIN cube_settings s
       WHERE m.deleted_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX cube_campaigns_key ON cube_campaigns (campaign_id)`);

    await q.query(
      `INSERT INTO cube_refreshes (view_name, refreshed_at)
       SELECT v, now() FROM unnest(ARRAY['cube_sales', 'cube_opportunities', 'cube_cases', 'cube_calls', 'cube_campaigns']) v`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const v of [
      'cube_campaigns',
      'cube_calls',
      'cube_cases',
      'cube_opportunities',
      'cube_sales',
    ])
      await q.query(`DROP MATERIALIZED VIEW ${v}`);
    await q.query(`DROP TABLE cube_refreshes`);
    await q.query(`DROP TABLE cube_settings`);
  }
}
