/**
 * `npm run bench:analytics`: profitability of every customer and RFM of every customer, each
 * timed against a hand-written query of the same meaning in the same run over the same data.
 * Both sides must agree (total profit; customers per segment). Reported as the median of the
 * runs and the ratio ours / hand-written (target ≤ 1.5); results go to
 * bench/results/customer-analytics.json.
 *
 * - Profitability: the statement's SQL (profitabilitySql, every customer, since the
 *   beginning) against per-source aggregates joined by account.
 * - RFM: what the refresh job does (parameters and REFRESH MATERIALIZED VIEW CONCURRENTLY of
 *   analytics_customer_values) against CREATE TABLE AS of a hand-written RFM query; the plain
 *   (non-concurrent) refresh is reported beside it.
 *
 * Where the gap went (EXPLAIN (ANALYZE, BUFFERS) of both sides, 50,000 customers):
 * - The hand-written side computed less than ours: no product cost, no breakdown of gross
 *   sales, discounts and returns, no order counts for the churn trend, no value tier, and it
 *   wrote an unindexed TEMP table (no write-ahead log) where the refresh writes a logged,
 *   indexed relation. It now computes every figure ours does and the bench checks they agree.
 * - `analytics_in_currency` was PARALLEL UNSAFE (the default), which forbade parallel workers
 *   for our whole statement; marked safe (migration 1765900000001).
 * - At the default work_mem the refresh's four cume_dist sorts and its hash of orders spilled
 *   to disk (external merges of wide rows); the refresh now runs with
 *   READ_MODEL_REFRESH_WORK_MEM, and so does the hand-written side here.
 * - At 1,000,000 customers profitability came to 1.54–1.66: the statement joined each of the
 *   ten million order lines to the million customers before summing them, and at the default
 *   work_mem that hash join spilled every line to disk in batches (11 s of 59 under EXPLAIN
 *   ANALYZE). A statement without a page now sums per account first and picks the customers
 *   once (1.17). A larger work_mem (64MB) made both sides slower here, not faster.
 * - A REFRESH … CONCURRENTLY costs about 1.6–1.8 × a plain refresh (it builds the new rows
 *   aside, then diffs them against the old by the unique index); it is reported beside the
 *   plain refresh, which is the like-for-like figure.
 *
 * Settings (environment): BENCH_CUSTOMERS (1,000,000; order lines are 10 ×, orders 3 ×),
 * BENCH_RUNS (5), BENCH_EXPLAIN=1 (write both profitability plans, EXPLAIN (ANALYZE, BUFFERS),
 * to bench/results/customer-analytics-plans.txt first). The ratio is the median of the runs' ratios, each run timing both sides back to
 * back, because the machine may be shared. The data is made with generate_series directly in PostgreSQL.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { profitabilitySql } from '#analytical/customers/profitability/profitability-sql.js';
import { READ_MODEL_REFRESH_WORK_MEM } from '#analytical/read-models/index.js';
import { SqlParams } from '#platform/query/index.js';
import { runBench, startMigratedDatabase, writeResults } from './bench-env.js';
import { log, RESULTS, setting } from './bench-support.js';

const config = {
  customers: setting('BENCH_CUSTOMERS', 1_000_000),
  runs: setting('BENCH_RUNS', 5),
};
const COSTS = { serviceHourCost: '150000', caseHandlingHours: '1', fieldHourCost: '250000' };
const OWNER = '0192f000-0000-7000-8000-00000000be01';
const ROLE = '0192f000-0000-7000-8000-000000000001';

async function seed(db: pg.Client): Promise<void> {
  const n = config.customers;
  log(`generating ${n} customers, ${3 * n} orders, ${10 * n} order lines`);
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  await q(
    `INSERT INTO users (id, email, email_normalized, password_hash, role_id) VALUES ($1, 'b@x.io', 'b@x.io', 'x', $2)`,
    [OWNER, ROLE],
  );
  await q(
    `INSERT INTO products (id, sku, name, tax_category, cost_price_amount, cost_price_currency, search_name, owner_id)
     SELECT md5('p' || i)::uuid, 'P' || i, jsonb_build_object('en', 'P' || i), 'standard', 100 + i * 7, 'IDR', 'p' || i, $1
       FROM generate_series(1, 200) i`,
    [OWNER],
  );
  await q(
    `INSERT INTO accounts (id, name, owner_id, name_key)
     SELECT md5('a' || i)::uuid, 'A' || i, $1, 'a' || i FROM generate_series(1, $2::int) i`,
    [OWNER, n],
  );
  await q(
    `INSERT INTO contacts (id, last_name, account_id, owner_id, name_key)
     SELECT md5('c' || i)::uuid, 'C' || i, md5('a' || i)::uuid, $1, 'c' || i FROM generate_series(1, $2::int) i`,
    [OWNER, n],
  );
  // Order k belongs to customer 1 + k % n; a long-tailed share of customers buys more.
  await q(
    `INSERT INTO orders (id, account_id, contact_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                         tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
     SELECT md5('o' || k)::uuid, md5('a' || c)::uuid, md5('c' || c)::uuid, 'IDR',
            CASE WHEN k % 37 = 0 THEN 'cancelled' ELSE 'delivered' END,
            now() - make_interval(days => ((k::bigint * 7919) % 1000)::int),
            0, 'IDR', 0, 'IDR', 0, 'IDR', $1
       FROM generate_series(1, 3 * $2::int) k
       CROSS JOIN LATERAL (SELECT 1 + (CASE WHEN k % 5 = 0 THEN k % greatest(1, $2::int / 10) ELSE k % $2::int END) AS c) x`,
    [OWNER, n],
  );
  await q(
    `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                              discount_percent, tax_category, tax_rate, net_amount, currency, account_id, booked_at)
     SELECT md5('l' || i)::uuid, o.id, i, 'sale', md5('p' || (1 + (i * 13) % 200))::uuid, 'S', 'P',
            1 + i % 4, 1000 + (i % 50) * 100, (i % 3) * 5, 'standard', 11,
            (1 + i % 4) * (1000 + (i % 50) * 100) * (1 - (i % 3) * 5 / 100.0), 'IDR', o.account_id, o.ordered_at
       FROM generate_series(1, 10 * $1::int) i
       JOIN orders o ON o.id = md5('o' || (1 + (i - 1) % (3 * $1::int)))::uuid`,
    [n],
  );
  await q(
    `INSERT INTO cases (id, subject, account_id, owner_id, created_at)
     SELECT md5('k' || i)::uuid, 'Case', md5('a' || (1 + (i * 17) % $1::int))::uuid, $2, now() - make_interval(days => i % 700)
       FROM generate_series(1, $1::int / 5) i`,
    [n, OWNER],
  );
  await q(
    `INSERT INTO calls (id, direction, from_number, to_number, customer_number, contact_id, agent_id, started_at,
                        duration_seconds, outcome, owner_id)
     SELECT md5('t' || i)::uuid, 'inbound', '+628110000000', '+622155500000', '628110000000',
            md5('c' || (1 + (i * 29) % $1::int))::uuid, $2, now() - make_interval(days => i % 500), 60 + i % 900, 'answered', $2
       FROM generate_series(1, $1::int / 3) i`,
    [n, OWNER],
  );
  await q(
    `INSERT INTO campaigns (id, name, type, owner_id)
     SELECT md5('g' || i)::uuid, 'G' || i, 'email', $1 FROM generate_series(1, 20) i`,
    [OWNER],
  );
  await q(
    `INSERT INTO campaign_costs (id, campaign_id, kind, category, amount, currency, incurred_on)
     SELECT md5('gc' || i)::uuid, md5('g' || i)::uuid, 'actual', 'media', 1000000 * i, 'IDR', current_date - 800
       FROM generate_series(1, 20) i`,
  );
  // Every tenth order is credited to a campaign, first orders among them.
  await q(
    `INSERT INTO campaign_attributions (campaign_id, entity, record_id, source)
     SELECT md5('g' || (1 + k % 20))::uuid, 'orders', md5('o' || k)::uuid, 'explicit'
       FROM generate_series(10, 3 * $1::int, 10) k`,
    [n],
  );
  // Settled as a database that has been running a while is: hint bits set, pages
  // all-visible, nothing left for autovacuum to do while the runs are timed.
  log('vacuuming and analyzing');
  await q(`VACUUM (FREEZE, ANALYZE)`);
  await q(`CHECKPOINT`);
}

/**
 * Per-source aggregates by account: what a person would write for the same statement — every
 * figure the list answers (gross sales, discounts, returns, product cost, acquisition,
 * retention), summed per figure so both sides return one row. The bench data has no
 * campaign members and no field work, so enhancement and field hours are zero on both sides.
 */
const HAND_PROFIT = `
  WITH live AS (SELECT id, account_id, ordered_at FROM orders WHERE deleted_at IS NULL AND status <> 'cancelled'),
  sales AS (
    SELECT l.account_id,
           sum(l.quantity * l.unit_price) FILTER (WHERE l.kind = 'sale') AS gross,
           sum(l.quantity * l.unit_price - l.net_amount) FILTER (WHERE l.kind = 'sale') AS discounts,
           sum(-l.net_amount) FILTER (WHERE l.kind = 'credit') AS returns,
           sum(l.quantity * p.cost_price_amount) AS cost
      FROM order_lines l JOIN live o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
     GROUP BY l.account_id),
  firsts AS (SELECT DISTINCT ON (account_id) account_id, id FROM live ORDER BY account_id, ordered_at, id),
  credited AS (SELECT ca.campaign_id, f.account_id FROM campaign_attributions ca JOIN firsts f ON f.id = ca.record_id
                WHERE ca.entity = 'orders'),
  acq AS (
    SELECT c.account_id, sum(g.cost / g.n) AS cost
      FROM credited c
      JOIN (SELECT cr.campaign_id, count(*) AS n,
                   (SELECT sum(amount) FROM campaign_costs cc WHERE cc.campaign_id = cr.campaign_id AND cc.kind = 'actual') AS cost
              FROM credited cr GROUP BY cr.campaign_id) g ON g.campaign_id = c.campaign_id
     GROUP BY c.account_id),
  service AS (
    SELECT account_id, sum(cost) AS cost FROM (
      SELECT account_id, $1::numeric * $2::numeric AS cost FROM cases WHERE deleted_at IS NULL
      UNION ALL
      SELECT ct.account_id, cl.duration_seconds / 3600.0 * $2::numeric FROM calls cl JOIN contacts ct ON ct.id = cl.contact_id
       WHERE cl.deleted_at IS NULL) s
     GROUP BY account_id),
  per AS (
    SELECT a.id, coalesce(s.gross, 0) AS gross, coalesce(s.discounts, 0) AS discounts, coalesce(s.returns, 0) AS returns,
           coalesce(s.cost, 0) AS cost, coalesce(acq.cost, 0) AS acquisition, coalesce(sv.cost, 0) AS retention
      FROM accounts a
      LEFT JOIN sales s ON s.account_id = a.id
      LEFT JOIN acq ON acq.account_id = a.id
      LEFT JOIN service sv ON sv.account_id = a.id
     WHERE a.deleted_at IS NULL)
  SELECT count(*) AS n, sum(gross) AS gross, sum(discounts) AS discounts, sum(returns) AS returns,
         sum(cost) AS product_cost, sum(acquisition) AS acquisition, sum(retention) AS retention,
         sum(gross - discounts - returns - cost - acquisition - retention) AS profit
    FROM per`;

/**
 * Every column the read model holds, written as a person would: one pass over the lines by
 * customer (DISTINCT order counts), the four cume_dist orderings (R, F, M and the revenue
 * share of the tiers), the segment and the tier. Written to a table with the read model's
 * three indexes, because that is what the refresh produces: a logged, indexed relation (a
 * TEMP table would skip the write-ahead log the refresh cannot skip).
 */
const HAND_RFM = `
  CREATE TABLE hand_rfm AS
  WITH per AS (
    SELECT l.account_id, sum(l.net_amount) AS revenue, sum(l.quantity * p.cost_price_amount) AS product_cost,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale') AS orders,
           min(o.ordered_at) AS first_purchase_at, max(o.ordered_at) AS last_purchase_at,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale' AND o.ordered_at > now() - interval '365 days') AS f,
           coalesce(sum(l.net_amount) FILTER (WHERE l.booked_at > now() - interval '365 days'), 0) AS m,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale' AND o.ordered_at > now() - interval '180 days') AS trend_recent,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale' AND o.ordered_at > now() - interval '360 days'
                                               AND o.ordered_at <= now() - interval '180 days') AS trend_previous,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale' AND o.ordered_at > now() - interval '1 year') AS year_orders,
           count(DISTINCT l.order_id) FILTER (WHERE l.kind = 'sale' AND o.ordered_at > now() - interval '2 years'
                                               AND o.ordered_at <= now() - interval '1 year') AS prior_year_orders
      FROM order_lines l JOIN orders o ON o.id = l.order_id AND o.deleted_at IS NULL AND o.status <> 'cancelled'
      JOIN products p ON p.id = l.product_id
     GROUP BY l.account_id),
  scored AS (
    SELECT per.*,
           ceil(5 * (cume_dist() OVER (ORDER BY last_purchase_at))::numeric) AS r,
           ceil(5 * (cume_dist() OVER (ORDER BY f))::numeric) AS fs,
           ceil(5 * (cume_dist() OVER (ORDER BY m))::numeric) AS ms,
           (cume_dist() OVER (ORDER BY revenue DESC))::numeric AS share
      FROM per)
  SELECT scored.*,
         CASE WHEN r <= 2 AND fs = 5 THEN 'cant_lose' WHEN r <= 2 AND fs >= 3 THEN 'at_risk'
              WHEN r = 1 AND fs = 1 THEN 'lost' WHEN r <= 2 THEN 'hibernating'
              WHEN r = 3 AND fs <= 2 THEN 'about_to_sleep' WHEN r = 3 AND fs = 3 THEN 'need_attention'
              WHEN fs >= 4 AND r = 5 THEN 'champions' WHEN fs >= 4 THEN 'loyal'
              WHEN fs >= 2 THEN 'potential_loyalist' WHEN r = 5 THEN 'new_customers' ELSE 'promising' END AS segment,
         CASE WHEN share * 100 <= 5 THEN 'platinum' WHEN share * 100 <= 20 THEN 'gold'
              WHEN share * 100 <= 50 THEN 'silver' ELSE 'bronze' END AS tier
    FROM scored`;
const HAND_RFM_INDEXES = [
  `CREATE UNIQUE INDEX ON hand_rfm (account_id)`,
  `CREATE INDEX ON hand_rfm (revenue DESC, account_id)`,
  `CREATE INDEX ON hand_rfm (segment, tier)`,
];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

const middle = (values: number[]) =>
  Number([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(2));

/** Medians of both sides and the median of the per-run ratios (each run ours then hand-written, back to back). */
function ratios(ours: number[], hand: number[]) {
  const runRatios = ours.map((o, i) => Number((o / hand[i]).toFixed(2)));
  return {
    oursMs: Number(middle(ours).toFixed(1)),
    handMs: Number(middle(hand).toFixed(1)),
    ratio: middle(runRatios),
    runRatios,
  };
}

runBench('customer-analytics', async (run) => {
  const database = await startMigratedDatabase(run, undefined, { reusable: true });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  run.onStop(() => db.end());
  const t0 = performance.now();
  if (!database.reused) await seed(db);
  const seedSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  await db.query(
    `UPDATE customer_analytics_parameters SET reporting_currency = 'IDR', rfm_window_days = 365`,
  );

  // Profitability of every customer, each figure summed so that both sides return one row.
  const p = new SqlParams();
  const ours = `SELECT count(*) AS n, sum(gross_sales::numeric) AS gross, sum(discounts::numeric) AS discounts,
                       sum(returns::numeric) AS returns, sum(product_cost::numeric) AS product_cost,
                       sum(acquisition::numeric) AS acquisition, sum(retention::numeric) AS retention,
                       sum(gross_sales::numeric - discounts::numeric - returns::numeric - product_cost::numeric
                        - acquisition::numeric - enhancement::numeric - retention::numeric) AS profit
                  FROM (${profitabilitySql(p, {
                    currency: 'IDR',
                    timeZone: 'UTC',
                    from: null,
                    to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
                    ...COSTS,
                    customers: 'TRUE',
                    lines: false,
                  })}) s`;
  const handParams = [COSTS.caseHandlingHours, COSTS.serviceHourCost];
  log('profitability: warming up');
  const [oursRow] = (await db.query<Record<string, string>>(ours, p.values)).rows;
  const [handRow] = (await db.query<Record<string, string>>(HAND_PROFIT, handParams)).rows;
  const differing = Object.keys(handRow).filter(
    (k) => Number(oursRow[k]).toFixed(0) !== Number(handRow[k]).toFixed(0),
  );
  if (differing.length)
    throw new Error(
      `profitability differs in ${differing.join(', ')}: ours ${JSON.stringify(oursRow)}, hand-written ${JSON.stringify(handRow)}`,
    );
  if (process.env.BENCH_EXPLAIN === '1') {
    const plan = async (sql: string, params: unknown[]) =>
      (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const plans = `-- ours\n${await plan(ours, p.values)}\n\n-- hand-written\n${await plan(HAND_PROFIT, handParams)}\n`;
    writeFileSync(join(RESULTS, 'customer-analytics-plans.txt'), plans);
    log('profitability plans written to bench/results/customer-analytics-plans.txt');
  }
  // Alternating the sides spreads the noise of a shared machine over both.
  const handProfitMs: number[] = [];
  const oursProfitMs: number[] = [];
  for (let i = 0; i < config.runs; i++) {
    handProfitMs.push(await timed(() => db.query(HAND_PROFIT, handParams)));
    oursProfitMs.push(await timed(() => db.query(ours, p.values)));
  }
  const profit = ratios(oursProfitMs, handProfitMs);
  log(
    `profitability of ${oursRow.n} customers: ours ${profit.oursMs} ms, hand-written ${profit.handMs} ms, median ratio ${profit.ratio} (per run ${profit.runRatios.join(', ')})`,
  );

  // RFM of every customer, written out by both sides with the refresh's memory for sorts.
  await db.query(`SET work_mem = '${READ_MODEL_REFRESH_WORK_MEM}'`);
  const handRfm = async () => {
    await db.query(`DROP TABLE IF EXISTS hand_rfm`);
    await db.query(HAND_RFM);
    for (const index of HAND_RFM_INDEXES) await db.query(index);
  };
  const jobRefresh = async () => {
    await db.query('BEGIN');
    await db.query(`SET LOCAL work_mem = '${READ_MODEL_REFRESH_WORK_MEM}'`);
    await db.query(`UPDATE customer_analytics_parameters SET refreshed_at = now()`);
    await db.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY analytics_customer_values`);
    await db.query('COMMIT');
  };
  const plainRefresh = () =>
    db.query(`REFRESH MATERIALIZED VIEW analytics_customer_values`).then(() => undefined);
  log('RFM: warming up');
  await handRfm();
  await plainRefresh();
  const compare = await db.query<{ diff: string }>(
    `SELECT count(*) AS diff FROM hand_rfm h FULL JOIN analytics_customer_values v ON v.account_id = h.account_id
      WHERE h.segment IS DISTINCT FROM v.segment OR h.tier IS DISTINCT FROM v.tier
         OR h.ms IS DISTINCT FROM v.m_score OR h.revenue IS DISTINCT FROM v.revenue
         OR h.product_cost IS DISTINCT FROM v.product_cost OR h.orders IS DISTINCT FROM v.orders
         OR h.trend_recent IS DISTINCT FROM v.trend_recent_orders
         OR h.trend_previous IS DISTINCT FROM v.trend_previous_orders
         OR h.prior_year_orders IS DISTINCT FROM v.prior_year_orders`,
  );
  if (compare.rows[0].diff !== '0')
    throw new Error(`RFM differs for ${compare.rows[0].diff} customers`);
  const handRfmMs: number[] = [];
  const plainRfmMs: number[] = [];
  const jobRfmMs: number[] = [];
  for (let i = 0; i < config.runs; i++) {
    handRfmMs.push(await timed(handRfm));
    plainRfmMs.push(await timed(plainRefresh));
    jobRfmMs.push(await timed(jobRefresh));
  }
  const rfm = ratios(plainRfmMs, handRfmMs);
  const job = ratios(jobRfmMs, handRfmMs);
  log(
    `RFM: refresh ${rfm.oursMs} ms (concurrent, as the job: ${job.oursMs} ms), hand-written ${rfm.handMs} ms, median ratio ${rfm.ratio} (per run ${rfm.runRatios.join(', ')}; job ${job.ratio})`,
  );

  writeResults('customer-analytics.json', {
    settings: config,
    seedSeconds,
    customers: Number(oursRow.n),
    profitability: {
      oursMs: profit.oursMs,
      handWrittenMs: profit.handMs,
      ratio: profit.ratio,
      runRatios: profit.runRatios,
      met: profit.ratio <= 1.5,
    },
    rfm: {
      refreshMs: rfm.oursMs,
      concurrentRefreshMs: job.oursMs,
      handWrittenMs: rfm.handMs,
      ratio: rfm.ratio,
      runRatios: rfm.runRatios,
      concurrentRatio: job.ratio,
      met: rfm.ratio <= 1.5,
    },
    target: 1.5,
  });
});
