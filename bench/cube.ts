/**
 * `npm run bench:cube`: the sales cube over generated order lines. A 3-dimension query with
 * rollup (quarter × region × product family, revenue and orders) built by the cube API's
 * compiler is timed against the hand-written GROUPING SETS query of the same meaning (same
 * rows, same order), in one run over the same materialized data; every row must agree (target
 * ratio ≤ 1.5). Then an interactive query (revenue, margin and orders by month of one region)
 * is run repeatedly for its p95 (target < 300 ms); it reads the day summary, and is checked
 * against the same query over the order lines. Results go to bench/results/cube.json.
 *
 * Settings (environment): BENCH_CUSTOMERS (100,000; up to 1,000,000), BENCH_ORDER_LINES
 * (10 × customers; up to 10,000,000; orders are 3 × customers), BENCH_RUNS (5),
 * BENCH_INTERACTIVE_RUNS (40). The data is made with generate_series directly in PostgreSQL,
 * every id and date computed from the row number, so no step joins a generated table.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { checkCubeQuery, compileCubeQuery } from '#analytical/cube/cube-query.js';
import { runBench, startMigratedDatabase, writeResults } from './bench-env.js';
import { log, setting } from './bench-support.js';

const customers = Math.min(setting('BENCH_CUSTOMERS', 100_000), 1_000_000);
const config = {
  customers,
  orderLines: Math.min(setting('BENCH_ORDER_LINES', 10 * customers), 10_000_000),
  runs: setting('BENCH_RUNS', 5),
  interactiveRuns: setting('BENCH_INTERACTIVE_RUNS', 40),
};

const OWNER = '0192f000-0000-7000-8000-00000000be01';
const ROLE = '0192f000-0000-7000-8000-000000000001';
const REGIONS = [
  'DKI Jakarta',
  'Jawa Barat',
  'Jawa Timur',
  'Bali',
  'Sumatera Utara',
  'Sulawesi Selatan',
];

/** Order k's customer and time, the same expression wherever a row needs them. */
const orderAccount = (k: string) => `md5('a' || (1 + (${k} * 31) % $1::bigint))::uuid`;
const orderedAt = (k: string) =>
  `now() - make_interval(secs => ((${k} * 7727) % (3 * 365 * 86400))::double precision)`;

async function seed(db: pg.Client): Promise<void> {
  const { customers: accounts, orderLines: lines } = config;
  const orders = 3 * accounts;
  log(`generating ${accounts} accounts, ${orders} orders, ${lines} order lines`);
  await db.query(
    `INSERT INTO users (id, email, email_normalized, password_hash, role_id) VALUES ($1, 'b@x.io', 'b@x.io', 'x', $2)`,
    [OWNER, ROLE],
  );
  await db.query(
    `INSERT INTO product_families (id, name, search_name, owner_id)
     SELECT md5('f' || i)::uuid, jsonb_build_object('en', 'F' || i), 'f' || i, $1
       FROM generate_series(0, 19) i`,
    [OWNER],
  );
  await db.query(
    `INSERT INTO products (id, sku, name, family_id, tax_category, cost_price_amount, cost_price_currency, search_name, owner_id)
     SELECT md5('p' || i)::uuid, 'P' || i, jsonb_build_object('en', 'P' || i),
            md5('f' || i % 20)::uuid, 'standard', 100 + i, 'IDR', 'p' || i, $1
       FROM generate_series(0, 199) i`,
    [OWNER],
  );
  await db.query(
    `INSERT INTO accounts (id, name, industry, addresses, owner_id, name_key)
     SELECT md5('a' || i)::uuid, 'A' || i, (ARRAY['retail','banking','mining','telco'])[1 + i % 4],
            jsonb_build_array(jsonb_build_object('region', ($3::text[])[1 + i % 6], 'country', 'ID')), $1, 'a' || i
       FROM generate_series(1, $2::int) i`,
    [OWNER, accounts, REGIONS],
  );
  await db.query(
    `INSERT INTO orders (id, account_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                         tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
     SELECT md5('o' || k)::uuid, ${orderAccount('k')}, 'IDR', CASE WHEN k % 20 = 0 THEN 'cancelled' ELSE 'delivered' END,
            ${orderedAt('k')}, 1000, 'IDR', 110, 'IDR', 1110, 'IDR', $2
       FROM generate_series(1::bigint, $3::bigint) k`,
    [accounts, OWNER, orders],
  );
  log('order lines');
  await db.query(
    `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                              tax_category, tax_rate, net_amount, currency, account_id, booked_at)
     SELECT md5('l' || i)::uuid, md5('o' || k)::uuid, i, 'sale', md5('p' || (i * 13) % 200)::uuid, 'S', 'P',
            1 + i % 3, 400, 'standard', 11, (400 * (1 + i % 3))::numeric, 'IDR', ${orderAccount('k')}, ${orderedAt('k')}
       FROM generate_series(1::bigint, $2::bigint) i CROSS JOIN LATERAL (SELECT 1 + (i - 1) % $3::bigint AS k) o`,
    [accounts, lines, orders],
  );
  log('refreshing the cube');
  await db.query(`UPDATE cube_settings SET reporting_currency = 'IDR', time_zone = 'Asia/Jakarta'`);
  await db.query(`REFRESH MATERIALIZED VIEW cube_sales`);
  await db.query(`VACUUM ANALYZE cube_sales`);
  await db.query(`REFRESH MATERIALIZED VIEW cube_sales_daily`);
  await db.query(`VACUUM ANALYZE cube_sales_daily`);
  await db.query(`ANALYZE`);
}

async function timed(db: pg.Client, sql: string, params: unknown[], runs: number) {
  const ms: number[] = [];
  let rows: Record<string, unknown>[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await db.query(sql, params)).rows;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(ms[Math.min(ms.length - 1, Math.floor(ms.length * q))].toFixed(1));
  return { medianMs: at(0.5), p95Ms: at(0.95), rows };
}

runBench('cube', async (run) => {
  const database = await startMigratedDatabase(run, undefined, { reusable: true });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  run.onStop(() => db.end());
  const t0 = performance.now();
  if (!database.reused) await seed(db);
  const seedSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));

  const { query } = checkCubeQuery(
    {
      cube: 'sales',
      measures: ['revenue', 'orders'],
      dimensions: ['time.quarter', 'region', 'productFamily'],
      totals: 'rollup',
      limit: 10_000,
    },
    new Map(),
  );
  const compiled = compileCubeQuery(query!, () => 'TRUE');
  const q = `to_char(date_trunc('quarter', m.day), 'YYYY-"Q"Q')`;
  const family = `coalesce(pf.name->>'en', pf.name->>'id')`;
  const hand = `
    SELECT ${q} AS d0, m.region AS d1, ${family} AS d2,
           sum(m.revenue)::text AS m0, count(DISTINCT m.order_id) FILTER (WHERE m.quantity > 0)::text AS m1
      FROM cube_sales m LEFT JOIN product_families pf ON pf.id = m.family_id
     GROUP BY GROUPING SETS ((${q}, m.region, ${family}), (${q}, m.region), (${q}), ())
     ORDER BY GROUPING(${q}), d0 NULLS LAST, GROUPING(m.region), d1 NULLS LAST, GROUPING(${family}), d2 NULLS LAST`;
  log('warming up');
  await db.query(compiled.sql, compiled.params);
  await db.query(hand);
  // Alternating the sides spreads the noise of a shared machine over both; the ratio is the
  // median of the runs' ratios.
  const runRatios: number[] = [];
  let handRun: Awaited<ReturnType<typeof timed>> | undefined;
  let apiRun: Awaited<ReturnType<typeof timed>> | undefined;
  const handMs: number[] = [];
  const apiMs: number[] = [];
  for (let r = 0; r < config.runs; r++) {
    handRun = await timed(db, hand, [], 1);
    apiRun = await timed(db, compiled.sql, compiled.params, 1);
    handMs.push(handRun.medianMs);
    apiMs.push(apiRun.medianMs);
    runRatios.push(Number((apiRun.medianMs / handRun.medianMs).toFixed(2)));
  }
  const cells = (rows: Record<string, unknown>[]) =>
    rows.map((r) => [r.d0, r.d1, r.d2, r.m0, r.m1].join('|')).join('\n');
  if (cells(apiRun!.rows) !== cells(handRun!.rows))
    throw new Error('the cube and the hand-written query disagree');
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ratio = median(runRatios);

  const interactive = checkCubeQuery(
    {
      cube: 'sales',
      measures: ['revenue', 'margin', 'orders'],
      dimensions: ['time.month'],
      filters: [{ dimension: 'region', op: 'eq', value: 'Bali' }],
    },
    new Map(),
  ).query!;
  const i = compileCubeQuery(interactive, () => 'TRUE');
  const interactiveRun = await timed(db, i.sql, i.params, config.interactiveRuns);
  // The same query kept to the line-grain view: the figures must agree, and its time shows
  // what the day summary saves.
  const overLines = compileCubeQuery(interactive, () => 'TRUE', { summaries: false });
  const linesRun = await timed(db, overLines.sql, overLines.params, 5);
  if (JSON.stringify(linesRun.rows) !== JSON.stringify(interactiveRun.rows))
    throw new Error('the day summary and the order lines disagree');
  log(
    `rollup of ${apiRun!.rows.length} rows: cube ${median(apiMs)} ms, hand-written ${median(handMs)} ms, median ratio ${ratio} (per run ${runRatios.join(', ')}; target ≤ 1.5); ` +
      `interactive (from ${i.view}) median ${interactiveRun.medianMs} ms, p95 ${interactiveRun.p95Ms} ms (target < 300); ` +
      `the same over the order lines: median ${linesRun.medianMs} ms`,
  );
  writeResults('cube.json', {
    settings: config,
    seedSeconds,
    rollupRows: apiRun!.rows.length,
    cubeMs: median(apiMs),
    handWrittenMs: median(handMs),
    ratio,
    runRatios,
    ratioTarget: 1.5,
    interactiveMedianMs: interactiveRun.medianMs,
    interactiveP95Ms: interactiveRun.p95Ms,
    interactiveTargetMs: 300,
    interactiveView: i.view,
    interactiveOverLinesMedianMs: linesRun.medianMs,
    met: ratio <= 1.5 && interactiveRun.p95Ms < 300,
  });
});
