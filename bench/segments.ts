/**
 * `npm run bench:segments`: a dynamic segment of three conditions — lifecycle stage, created
 * in the last year, bought from a product family in the last 180 days — compiled from its
 * rule and timed against a hand-written query of the same meaning, in one run over the same
 * data. Both count their contacts; the counts must agree. Reported as the median of the
 * runs and the ratio compiled / hand-written (target ≤ 1.5); results go to
 * bench/results/segments.json.
 *
 * Settings (environment): BENCH_CONTACTS (1,000,000), BENCH_ORDER_LINES (5,000,000),
 * BENCH_RUNS (5). The data is made with generate_series directly in PostgreSQL.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { checkRule, FactRegistry, segmentQuery } from '#operational/marketing/segments/index.js';
import { BUILT_IN_FACTS } from '#operational/marketing/segments/facts/built-in-facts.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { runBench, startMigratedDatabase, writeResults } from './bench-env.js';
import { log, setting } from './bench-support.js';

const config = {
  contacts: setting('BENCH_CONTACTS', 1_000_000),
  orderLines: setting('BENCH_ORDER_LINES', 5_000_000),
  runs: setting('BENCH_RUNS', 5),
};

const OWNER = '0192f000-0000-7000-8000-00000000be01';
const ROLE = '0192f000-0000-7000-8000-000000000001';
const FAMILY = (i: number) =>
  `0192f000-0000-7000-8000-${(0xf000 + i).toString(16).padStart(12, '0')}`;

async function seed(db: pg.Client): Promise<void> {
  const { contacts, orderLines } = config;
  const orders = Math.max(1, Math.round(orderLines / 2.5));
  const accounts = Math.max(1, Math.round(contacts / 10));
  log(`generating ${contacts} contacts, ${orders} orders, ${orderLines} order lines`);
  await db.query(
    `INSERT INTO users (id, email, email_normalized, password_hash, role_id) VALUES ($1, 'b@x.io', 'b@x.io', 'x', $2)`,
    [OWNER, ROLE],
  );
  await db.query(
    `INSERT INTO product_families (id, name, search_name, owner_id)
     SELECT ('0192f000-0000-7000-8000-' || lpad(to_hex(61440 + i), 12, '0'))::uuid, jsonb_build_object('en', 'F' || i), 'f' || i, $1
       FROM generate_series(0, 19) i`,
    [OWNER],
  );
  await db.query(
    `INSERT INTO products (id, sku, name, family_id, tax_category, search_name, owner_id)
     SELECT gen_random_uuid(), 'P' || i, jsonb_build_object('en', 'P' || i),
            ('0192f000-0000-7000-8000-' || lpad(to_hex(61440 + i % 20), 12, '0'))::uuid, 'standard', 'p' || i, $1
       FROM generate_series(0, 199) i`,
    [OWNER],
  );
  await db.query(
    `INSERT INTO accounts (id, name, industry, owner_id, name_key)
     SELECT gen_random_uuid(), 'A' || i, (ARRAY['retail','banking','mining','telco'])[1 + i % 4], $1, 'a' || i
       FROM generate_series(1, $2) i`,
    [OWNER, accounts],
  );
  await db.query(`CREATE TEMP TABLE acc AS SELECT row_number() OVER () AS n, id FROM accounts`);
  await db.query(`CREATE INDEX ON acc (n)`);
  await db.query(
    `INSERT INTO contacts (id, last_name, lifecycle_stage, created_at, account_id, owner_id, name_key)
     SELECT gen_random_uuid(), 'C' || i,
            (ARRAY['subscriber','lead','marketing_qualified','sales_qualified','opportunity','customer','evangelist','other'])[1 + (i * 7919) % 8],
            now() - make_interval(secs => ((i * 104729) % (3 * 365 * 86400))::double precision),
            acc.id, $1, 'c' || i
       FROM generate_series(1::bigint, $3) i JOIN acc ON acc.n = 1 + i % $2`,
    [OWNER, accounts, contacts],
  );
  await db.query(`CREATE TEMP TABLE con AS SELECT row_number() OVER () AS n, id FROM contacts`);
  await db.query(`CREATE INDEX ON con (n)`);
  const firstAccount = (await db.query<{ id: string }>(`SELECT id FROM accounts LIMIT 1`)).rows[0]
    .id;
  await db.query(
    `INSERT INTO orders (id, account_id, contact_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                         tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
     SELECT gen_random_uuid(), $1, con.id, 'IDR', CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'delivered' END,
            now() - make_interval(secs => ((i * 7727) % (2 * 365 * 86400))::double precision),
            1000, 'IDR', 110, 'IDR', 1110, 'IDR', $2
       FROM generate_series(1::bigint, $3) i JOIN con ON con.n = 1 + (i * 31) % $4`,
    [firstAccount, OWNER, orders, contacts],
  );
  await db.query(
    `CREATE TEMP TABLE ord AS SELECT row_number() OVER () AS n, id, ordered_at FROM orders`,
  );
  await db.query(`CREATE INDEX ON ord (n)`);
  await db.query(`CREATE TEMP TABLE prd AS SELECT row_number() OVER () AS n, id FROM products`);
  await db.query(
    `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                              tax_category, tax_rate, net_amount, currency, account_id, booked_at)
     SELECT gen_random_uuid(), ord.id, i, 'sale', prd.id, 'S', 'P', 1, 400, 'standard', 11, 400, 'IDR', $1, ord.ordered_at
       FROM generate_series(1::bigint, $2) i
       JOIN ord ON ord.n = 1 + (i - 1) % $3
       JOIN prd ON prd.n = 1 + (i * 13) % 200`,
    [firstAccount, orderLines, orders],
  );
  log('analyzing');
  await db.query(`ANALYZE`);
}

/** Median milliseconds of `runs` executions of a count. */
async function time(db: pg.Client, sql: string, params: unknown[]) {
  const ms: number[] = [];
  let count = 0;
  for (let i = 0; i < config.runs; i++) {
    const t0 = performance.now();
    const { rows } = await db.query<{ n: string }>(sql, params);
    ms.push(performance.now() - t0);
    count = Number(rows[0].n);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Number(ms[Math.floor(ms.length / 2)].toFixed(1)), count };
}

runBench('segments', async (run) => {
  const database = await startMigratedDatabase(run);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  run.onStop(() => db.end());
  const t0 = performance.now();
  await seed(db);
  const seedSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));

  const family = FAMILY(3);
  const rule = {
    all: [
      { field: 'lifecycleStage', op: 'eq', value: 'customer' },
      { field: 'createdAt', op: 'withinLast', value: { days: 365 } },
      { fact: 'purchased', productFamilyId: family, withinDays: 180 },
    ],
  };
  const facts = new FactRegistry();
  for (const f of BUILT_IN_FACTS) facts.register(f);
  const params = new SqlParams();
  const compiled = segmentQuery(
    checkRule(rule, { contacts: querySchemaOf(CONTACT_DEFINITION), facts }),
    { params, facts },
  );
  const compiledCount = `SELECT count(*) AS n FROM (${compiled}) s`;
  const handCount = `
    SELECT count(*) AS n FROM contacts c
     WHERE c.deleted_at IS NULL AND c.lifecycle_stage = 'customer'
       AND c.created_at BETWEEN now() - interval '365 days' AND now()
       AND c.id IN (SELECT o.contact_id FROM orders o
                      JOIN order_lines l ON l.order_id = o.id
                      JOIN products p ON p.id = l.product_id
                     WHERE o.deleted_at IS NULL AND o.status <> 'cancelled' AND l.kind = 'sale'
                       AND l.booked_at >= now() - interval '180 days' AND p.family_id = $1)`;

  log('warming up');
  await db.query(compiledCount, params.values);
  await db.query(handCount, [family]);
  const hand = await time(db, handCount, [family]);
  const fromRule = await time(db, compiledCount, params.values);
  if (hand.count !== fromRule.count)
    throw new Error(`counts differ: compiled ${fromRule.count}, hand-written ${hand.count}`);
  const ratio = Number((fromRule.medianMs / hand.medianMs).toFixed(2));
  const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${compiledCount}`, params.values);
  log(
    `segment of ${fromRule.count} contacts: compiled ${fromRule.medianMs} ms, hand-written ${hand.medianMs} ms, ratio ${ratio} (target ≤ 1.5)`,
  );
  writeResults('segments.json', {
    settings: config,
    seedSeconds,
    members: fromRule.count,
    compiledMs: fromRule.medianMs,
    handWrittenMs: hand.medianMs,
    ratio,
    target: 1.5,
    met: ratio <= 1.5,
    compiledPlan: plan.rows.map((r) => r['QUERY PLAN']),
  });
});
