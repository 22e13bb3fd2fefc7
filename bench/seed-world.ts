import type pg from 'pg';
import { log } from './bench-support.js';
import { seedContacts, type SeedResult } from './seed-contacts.js';
import { seedSales } from './seed-sales.js';

/**
 * The whole data set of `npm run bench` in one database, written with SQL (generate_series):
 * accounts and contacts (seed-contacts.ts), reps in teams who own them, leads, opportunities
 * and activities with their timeline entries (seed-sales.ts), then products, orders of
 * contacts that belong to an account with their order lines, and cases. The random generator
 * is seeded and everything else follows from the row number, so every run builds the same
 * data (ids are fresh UUIDv7s, in the order rows are written).
 *
 * Orders carry nominal totals: the reads this data set serves do not add up their lines.
 */

export interface WorldSizes {
  contacts: number;
  accounts: number;
  activities: number;
  leads: number;
  opportunities: number;
  orders: number;
  orderLines: number;
  cases: number;
}

export interface WorldSeed extends SeedResult {
  activities: number;
  leads: number;
  opportunities: number;
  timelineEntries: number;
  orders: number;
  orderLines: number;
  cases: number;
  /** The most common account industry and how many contacts belong to such an account. */
  commonIndustry: string;
  commonIndustryCount: number;
}

/** Products, orders of contacts that have an account, their lines, and cases. */
async function seedCommerce(db: pg.Client, sizes: WorldSizes): Promise<void> {
  await db.query('SELECT setseed(0.7071)');
  await db.query('BEGIN');
  const ownerId = (await db.query<{ id: string }>('SELECT owner_id AS id FROM contacts LIMIT 1'))
    .rows[0].id;
  await db.query(
    `INSERT INTO products (id, sku, name, tax_category, search_name, owner_id)
     SELECT uuidv7(), 'SKU-' || lpad(i::text, 4, '0'), jsonb_build_object('en', 'Product ' || i),
            'standard', 'product ' || i, $1
       FROM generate_series(1, 200) i`,
    [ownerId],
  );
  await db.query(
    `CREATE TEMP TABLE customer_pool ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY id) AS n, id, account_id, owner_id, team_id
         FROM contacts WHERE account_id IS NOT NULL`,
  );
  await db.query('CREATE INDEX ON customer_pool (n)');
  await db.query('ANALYZE customer_pool');
  log(`seeding ${sizes.orders} orders`);
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT i, 1 + floor(random() * (SELECT count(*) FROM customer_pool))::int AS c,
              now() - random() * interval '3 years' AS ordered, random() AS u
         FROM generate_series(1, $1::int) i)
     INSERT INTO orders (id, number, account_id, contact_id, currency, status, ordered_at,
                         status_changed_at, subtotal_amount, subtotal_currency, tax_total_amount,
                         tax_total_currency, total_amount, total_currency, owner_id, team_id,
                         created_at, updated_at)
     SELECT uuidv7(), 'SO-B' || lpad(s.i::text, 9, '0'), p.account_id, p.id, 'IDR',
            CASE WHEN s.u < 0.05 THEN 'cancelled' WHEN s.u < 0.1 THEN 'placed'
                 WHEN s.u < 0.15 THEN 'shipped' ELSE 'delivered' END,
            s.ordered, s.ordered, 1000000, 'IDR', 110000, 'IDR', 1110000, 'IDR',
            p.owner_id, p.team_id, s.ordered, s.ordered
       FROM s JOIN customer_pool p ON p.n = s.c`,
    [sizes.orders],
  );
  // Order k has ⌊lines/orders⌋ lines, one more for the first (lines mod orders) orders.
  log(`seeding ${sizes.orderLines} order lines`);
  const perOrder = Math.floor(sizes.orderLines / sizes.orders);
  const extra = sizes.orderLines - perOrder * sizes.orders;
  await db.query(
    `WITH p AS MATERIALIZED (
       SELECT array_agg(id ORDER BY sku) AS ids, array_agg(sku ORDER BY sku) AS skus FROM products),
     o AS (SELECT row_number() OVER (ORDER BY number) AS n, id, account_id, ordered_at FROM orders)
     INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity,
                              unit_price, discount_percent, tax_category, tax_rate, net_amount,
                              currency, account_id, booked_at, created_at)
     SELECT uuidv7(), o.id, l, 'sale', p.ids[k], p.skus[k], 'Product ' || k, q, price, 0,
            'standard', 11, q * price, 'IDR', o.account_id, o.ordered_at, o.ordered_at
       FROM o, p,
            generate_series(1, $1::int + CASE WHEN o.n <= $2::int THEN 1 ELSE 0 END) l,
            LATERAL (SELECT 1 + ((o.n * 13 + l * 7) % 200)::int AS k,
                            1 + ((o.n + l) % 5)::int AS q,
                            (10000 + ((o.n * 31 + l) % 90) * 5000)::numeric AS price) x`,
    [perOrder, extra],
  );
  log(`seeding ${sizes.cases} cases`);
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT i, 1 + floor(random() * (SELECT count(*) FROM customer_pool))::int AS c,
              1 + floor(random() * 4)::int AS pr, random() AS u,
              now() - random() * interval '2 years' AS created
         FROM generate_series(1, $1::int) i)
     INSERT INTO cases (id, number, subject, account_id, contact_id, channel, type, priority,
                        priority_rank, status, owner_id, team_id, created_at, updated_at,
                        status_changed_at)
     SELECT uuidv7(s.created - clock_timestamp()), 'CS-B' || lpad(s.i::text, 9, '0'),
            'Case ' || s.i, p.account_id, p.id,
            (ARRAY['phone', 'email', 'web', 'portal', 'chat'])[1 + s.i % 5],
            (ARRAY['question', 'problem', 'complaint', 'request'])[1 + s.i % 4],
            (ARRAY['low', 'normal', 'high', 'urgent'])[s.pr], s.pr,
            CASE WHEN s.u < 0.3 THEN 'new' WHEN s.u < 0.6 THEN 'open'
                 WHEN s.u < 0.8 THEN 'pending_customer' ELSE 'on_hold' END,
            p.owner_id, p.team_id, s.created, s.created, s.created
       FROM s JOIN customer_pool p ON p.n = s.c`,
    [sizes.cases],
  );
  await db.query('COMMIT');
}

export async function seedWorld(
  db: pg.Client,
  sizes: WorldSizes,
  adminId: string,
): Promise<WorldSeed> {
  const started = Date.now();
  log(`seeding ${sizes.contacts} contacts and ${sizes.accounts} accounts`);
  const people = await seedContacts(db, {
    contacts: sizes.contacts,
    accounts: sizes.accounts,
    ownerId: adminId,
  });
  log(
    `seeding ${sizes.leads} leads, ${sizes.opportunities} opportunities, ${sizes.activities} activities`,
  );
  const sales = await seedSales(db, {
    teams: 4,
    repsPerTeam: 5,
    leads: sizes.leads,
    opportunities: sizes.opportunities,
    activities: sizes.activities,
    adminId,
  });
  await seedCommerce(db, sizes);
  log('VACUUM ANALYZE');
  await db.query('VACUUM ANALYZE');
  // The seeding's dirty pages are written now, not by a checkpoint in the middle of a measurement.
  await db.query('CHECKPOINT');
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const { rows } = await db.query<{ industry: string; n: string }>(
    `SELECT a.industry, count(*) AS n FROM contacts c JOIN accounts a ON a.id = c.account_id
      GROUP BY a.industry ORDER BY n DESC, a.industry LIMIT 1`,
  );
  return {
    ...people,
    activities: sales.activities,
    leads: sales.leads,
    opportunities: sales.opportunities,
    timelineEntries: sales.timelineEntries,
    orders: await count('orders'),
    orderLines: await count('order_lines'),
    cases: await count('cases'),
    commonIndustry: rows[0].industry,
    commonIndustryCount: Number(rows[0].n),
    seconds: (Date.now() - started) / 1000,
  };
}
