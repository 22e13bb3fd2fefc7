import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (read: Scope) => ({
  create: 'none',
  read,
  update: 'none',
  delete: 'none',
  reassign: false,
});

/**
 * Who may read customer analytics (profiles, RFM, Pareto, profitability, CLV, cohorts,
 * recommendations). Which customers a caller sees still follows their read scope on accounts
 * and contacts; this grant only opens the analytics at all.
 */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all'),
  sales_manager: grant('all'),
  sales_rep: grant('all'),
  marketing: grant('all'),
  service_agent: grant('all'),
  analyst: grant('all'),
};

/**
 * Read models of customer analytics. Analytics never writes operational tables; it reads
 * them through these.
 *
 * - `customer_analytics_parameters`: one row with the config values the materialized view
 *   needs (a view takes no parameters). The refresh job writes it from
 *   `customerAnalytics` in crm.config.yaml just before it refreshes, in the same transaction.
 * - `analytics_in_currency(amount, currency, day, target)`: the platform's conversion rule
 *   (live rate of the pair with the latest `valid_from` on or before the day; the opposite
 *   pair inverted when only it, or a more recent one, is on file; the direct one on a tie;
 *   no chaining; NULL without a rate) as a function, because a materialized view cannot take
 *   the SQL fragment the services build. Callers guard it with `currency = target`, so rows
 *   already in the reporting currency never call it.
 * - `analytics_purchases`: live, not cancelled orders (what counts as a purchase).
 * - `analytics_customer_values`: per account with at least one purchase, lifetime net
 *   revenue and product cost, purchases, first/last purchase, the RFM window's frequency and
 *   monetary value, the order counts that the churn trend and the retention rate compare,
 *   the R/F/M quintile scores (⌈5 × cume_dist⌉, cume_dist taken as its shortest decimal so that 1/5 × 5 is exactly 1;
 *   equal values share a score), the named
 *   RFM segment and the value tier. Refreshed concurrently (readers are never blocked) by
 *   the job; `data_as_of` says when.
 * - `product_association_rules`: "who bought X also bought Y" with support, confidence and
 *   lift, replaced whole by the job from order baskets.
 */
export class CustomerAnalytics1765300000000 implements MigrationInterface {
  name = 'CustomerAnalytics1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_analytics_parameters (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        reporting_currency char(3) NOT NULL CHECK (reporting_currency ~ '^[A-Z]{3}$'),
        rfm_window_days integer NOT NULL CHECK (rfm_window_days BETWEEN 1 AND 3660),
        trend_window_days integer NOT NULL CHECK (trend_window_days BETWEEN 1 AND 1830),
        value_tiers jsonb NOT NULL CHECK (jsonb_typeof(value_tiers) = 'array'),
        base_tier text NOT NULL,
        refreshed_at timestamptz,
        rules_refreshed_at timestamptz
      )`);
    await q.query(`
      INSERT INTO customer_analytics_parameters
        (reporting_currency, rfm_window_days, trend_window_days, value_tiers, base_tier)
      VALUES ('IDR', 365, 180,
        '[{"key":"platinum","topPercent":5},{"key":"gold","topPercent":20},{"key":"silver","topPercent":50}]',
        'bronze')`);

    await q.query(`
      CREATE FUNCTION analytics_in_currency(amount numeric, currency text, day date, target text)
        RETURNS numeric LANGUAGE sql STABLE
        -- A materialized view refreshes with a bare search_path; the schema in use at creation stays.
        SET search_path FROM CURRENT AS $$
        SELECT CASE WHEN currency = target THEN amount
                    WHEN r.inverse THEN round(amount, 20) / r.rate
                    ELSE amount * r.rate END
          FROM (SELECT NULL) one
          LEFT JOIN LATERAL (
            SELECT x.rate, x.inverse FROM (
              (SELECT e.rate, false AS inverse, e.valid_from FROM exchange_rates e
                WHERE e.deleted_at IS NULL AND e.from_currency = currency AND e.to_currency = target
                  AND e.valid_from <= day ORDER BY e.valid_from DESC LIMIT 1)
              UNION ALL
              (SELECT e.rate, true, e.valid_from FROM exchange_rates e
                WHERE e.deleted_at IS NULL AND e.from_currency = target AND e.to_currency = currency
                  AND e.valid_from <= day ORDER BY e.valid_from DESC LIMIT 1)) x
            ORDER BY x.valid_from DESC, x.inverse LIMIT 1) r ON true
      $$`);

    await q.query(`
      CREATE VIEW analytics_purchases AS
      SELECT o.id, o.account_id, o.contact_id, o.opportunity_id, o.ordered_at, o.currency
        FROM orders o WHERE o.deleted_at IS NULL AND o.status <> 'cancelled'`);

    await q.query(`
      CREATE MATERIALIZED VIEW analytics_customer_values AS
      WITH p AS (
        SELECT reporting_currency AS rc, now() AS as_of,
               make_interval(days => rfm_window_days) AS rfm_window,
               make_interval(days => trend_window_days) AS trend_window,
               value_tiers, base_tier
          FROM customer_analytics_parameters),
      lines AS (
        SELECT l.account_id, l.order_id, l.kind, l.booked_at, o.ordered_at,
               CASE WHEN l.currency = p.rc THEN l.net_amount
                    ELSE analytics_in_currency(l.net_amount, l.currency, l.booked_at::date, p.rc) END AS net,
               l.quantity * CASE WHEN pr.cost_price_currency IS NULL THEN 0
                                 WHEN pr.cost_price_currency = p.rc THEN pr.cost_price_amount
                                 ELSE analytics_in_currency(pr.cost_price_amount, pr.cost_price_currency, l.booked_at::date, p.rc) END AS cost
          FROM order_lines l
          JOIN analytics_purchases o ON o.id = l.order_id
          JOIN products pr ON pr.id = l.product_id
          CROSS JOIN p),
      -- Orders first, then customers: counting orders needs no DISTINCT (and no sort) that way.
      per_order AS (
        SELECT l.account_id, l.ordered_at, bool_or(l.kind = 'sale') AS sale,
               sum(l.net) AS net, sum(l.cost) AS cost,
               sum(l.net) FILTER (WHERE l.booked_at > p.as_of - p.rfm_window) AS window_net
          FROM lines l CROSS JOIN p
         GROUP BY l.account_id, l.order_id, l.ordered_at),
      per AS (
        SELECT o.account_id,
               sum(o.net) AS revenue,
               sum(o.cost) AS product_cost,
               count(*) FILTER (WHERE o.sale) AS orders,
               min(o.ordered_at) AS first_purchase_at,
               max(o.ordered_at) AS last_purchase_at,
               count(*) FILTER (WHERE o.sale AND o.ordered_at > p.as_of - p.rfm_window) AS window_orders,
               coalesce(sum(o.window_net), 0) AS window_revenue,
               count(*) FILTER (WHERE o.sale AND o.ordered_at > p.as_of - p.trend_window) AS trend_recent_orders,
               count(*) FILTER (WHERE o.sale AND o.ordered_at > p.as_of - 2 * p.trend_window
                                  AND o.ordered_at <= p.as_of - p.trend_window) AS trend_previous_orders,
               count(*) FILTER (WHERE o.sale AND o.ordered_at > p.as_of - interval '1 year') AS year_orders,
               count(*) FILTER (WHERE o.sale AND o.ordered_at > p.as_of - interval '2 years'
                                  AND o.ordered_at <= p.as_of - interval '1 year') AS prior_year_orders
          FROM per_order o CROSS JOIN p
         GROUP BY o.account_id),
      tiers AS (
        SELECT t->>'key' AS key, (t->>'topPercent')::numeric AS top_percent
          FROM p CROSS JOIN jsonb_array_elements(p.value_tiers) t),
      scored AS (
        SELECT per.*,
               ceil(5 * (cume_dist() OVER (ORDER BY last_purchase_at))::numeric)::int AS r_score,
               ceil(5 * (cume_dist() OVER (ORDER BY window_orders))::numeric)::int AS f_score,
               ceil(5 * (cume_dist() OVER (ORDER BY window_revenue))::numeric)::int AS m_score,
               (cume_dist() OVER (ORDER BY revenue DESC))::numeric AS revenue_top_share
          FROM per)
      SELECT s.*,
             CASE
               WHEN s.r_score <= 2 AND s.f_score = 5 THEN 'cant_lose'
               WHEN s.r_score <= 2 AND s.f_score >= 3 THEN 'at_risk'
               WHEN s.r_score = 1 AND s.f_score = 1 THEN 'lost'
               WHEN s.r_score <= 2 THEN 'hibernating'
               WHEN s.r_score = 3 AND s.f_score <= 2 THEN 'about_to_sleep'
               WHEN s.r_score = 3 AND s.f_score = 3 THEN 'need_attention'
               WHEN s.f_score >= 4 AND s.r_score = 5 THEN 'champions'
               WHEN s.f_score >= 4 THEN 'loyal'
               WHEN s.f_score >= 2 THEN 'potential_loyalist'
               WHEN s.r_score = 5 THEN 'new_customers'
               ELSE 'promising'
             END AS segment,
             coalesce((SELECT t.key FROM tiers t WHERE s.revenue_top_share * 100 <= t.top_percent
                        ORDER BY t.top_percent LIMIT 1), p.base_tier) AS tier,
             p.as_of AS data_as_of
        FROM scored s CROSS JOIN p
      WITH DATA`);
    await q.query(
      `CREATE UNIQUE INDEX analytics_customer_values_account_key ON analytics_customer_values (account_id)`,
    );
    await q.query(
      `CREATE INDEX analytics_customer_values_revenue_idx ON analytics_customer_values (revenue DESC, account_id)`,
    );
    await q.query(
      `CREATE INDEX analytics_customer_values_segment_idx ON analytics_customer_values (segment, tier)`,
    );

    await q.query(`
      CREATE TABLE product_association_rules (
        antecedent_id uuid NOT NULL,
        consequent_id uuid NOT NULL,
        pair_baskets integer NOT NULL,
        support numeric NOT NULL,
        confidence numeric NOT NULL,
        lift numeric NOT NULL,
        PRIMARY KEY (antecedent_id, consequent_id)
      )`);
    await q.query(
      `CREATE INDEX product_association_rules_consequent_idx ON product_association_rules (consequent_id)`,
    );
    // Profitability reads a customer's campaign touches and service work through these.
    await q.query(
      `CREATE INDEX campaign_responses_contact_idx ON campaign_responses (contact_id, responded_at)`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,customer-analytics}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'customer-analytics')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'customer-analytics') WHERE built_in`,
    );
    await q.query(`DROP INDEX campaign_responses_contact_idx`);
    await q.query(`DROP TABLE product_association_rules`);
    await q.query(`DROP MATERIALIZED VIEW analytics_customer_values`);
    await q.query(`DROP VIEW analytics_purchases`);
    await q.query(`DROP FUNCTION analytics_in_currency(numeric, text, date, text)`);
    await q.query(`DROP TABLE customer_analytics_parameters`);
  }
}
