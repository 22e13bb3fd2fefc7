import type pg from 'pg';

/**
 * A small fixed company history for customer analytics, written with SQL so that every date
 * is exact (`now() − N days`) and the expected figures can be worked out by hand (see
 * customer-analytics.e2e-spec.ts for the arithmetic).
 *
 * Accounts A–E (E belongs to `repId`, the rest to `adminId`), one contact each (a1 … e1),
 * products P1 (cost 40,000), P2 (cost 100,000, family F2), P3 (cost 10,000), P4 (never
 * bought); all amounts IDR.
 */
export const IDS = {
  familyF2: '0192f000-0000-7000-8000-0000000ac0f2',
  account: (k: string) => `0192f000-0000-7000-8000-0000000aa${k}00`,
  contact: (k: string) => `0192f000-0000-7000-8000-0000000cc${k}00`,
  product: (n: number) => `0192f000-0000-7000-8000-0000000bb${n}00`,
  order: (k: string, n: number) => `0192f000-0000-7000-8000-0000000dd${k}${n}0`,
  campaign: (n: number) => `0192f000-0000-7000-8000-0000000ee${n}00`,
  loneContact: '0192f000-0000-7000-8000-0000000ccf00',
};

/** Hex keys of the accounts: a … e. */
const KEYS = ['a', 'b', 'c', 'd', 'e'];

interface Line {
  product: number;
  qty: number;
  price: number;
  discount?: number;
}

export async function insertAnalyticsDataset(
  db: pg.Pool,
  adminId: string,
  repId: string,
): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  await q(
    `INSERT INTO product_families (id, name, search_name, owner_id) VALUES ($1, '{"en":"Devices"}', 'devices', $2)`,
    [IDS.familyF2, adminId],
  );
  const products: [number, string, number | null, string | null][] = [
    [1, 'P1', 40000, null],
    [2, 'P2', 100000, IDS.familyF2],
    [3, 'P3', 10000, null],
    [4, 'P4', 5000, null],
  ];
  for (const [n, sku, cost, family] of products)
    await q(
      `INSERT INTO products (id, sku, name, family_id, tax_category, cost_price_amount, cost_price_currency, search_name, owner_id)
       VALUES ($1, $2, jsonb_build_object('en', $2::text), $3, 'standard', $4, 'IDR', lower($2), $5)`,
      [IDS.product(n), sku, family, cost, adminId],
    );
  for (const k of KEYS) {
    const owner = k === 'e' ? repId : adminId;
    await q(
      `INSERT INTO accounts (id, name, type, owner_id, name_key) VALUES ($1, $2, 'customer', $3, lower($2))`,
      [IDS.account(k), `Account ${k.toUpperCase()}`, owner],
    );
    await q(
      `INSERT INTO contacts (id, first_name, last_name, account_id, owner_id, name_key, lifecycle_stage)
       VALUES ($1, 'Contact', $2, $3, $4, lower($2), 'customer')`,
      [IDS.contact(k), k.toUpperCase(), IDS.account(k), owner],
    );
  }
  await q(
    `INSERT INTO contacts (id, last_name, owner_id, name_key) VALUES ($1, 'Lone', $2, 'lone')`,
    [IDS.loneContact, adminId],
  );

  const order = async (
    k: string,
    n: number,
    daysAgo: number,
    lines: Line[],
    status = 'delivered',
  ) => {
    const id = IDS.order(k, n);
    await q(
      `INSERT INTO orders (id, account_id, contact_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                           tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
       VALUES ($1, $2, $3, 'IDR', $4, now() - make_interval(days => $5), 0, 'IDR', 0, 'IDR', 0, 'IDR', $6)`,
      [id, IDS.account(k), IDS.contact(k), status, daysAgo, adminId],
    );
    for (const [i, l] of lines.entries()) {
      const net = l.qty * l.price * (1 - (l.discount ?? 0) / 100);
      await q(
        `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                                  discount_percent, tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         SELECT gen_random_uuid(), $1, $2, 'sale', $3, 'P' || $4::text, 'P' || $4::text, $5, $6, $7, 'standard', 0, $8, 'IDR', $9, o.ordered_at
           FROM orders o WHERE o.id = $1`,
        [
          id,
          i + 1,
          IDS.product(l.product),
          l.product,
          l.qty,
          l.price,
          l.discount ?? 0,
          net,
          IDS.account(k),
        ],
      );
    }
  };
  await order('a', 1, 10, [
    { product: 1, qty: 2, price: 100000, discount: 10 },
    { product: 2, qty: 1, price: 300000 },
  ]);
  await order('a', 2, 40, [{ product: 1, qty: 1, price: 100000 }]);
  await order('a', 3, 400, [{ product: 2, qty: 1, price: 300000 }]);
  // One P1 of A1 comes back five days ago, at the price paid: −1 × 100,000 × 0.9.
  await q(
    `INSERT INTO order_lines (id, order_id, line_no, kind, credit_of_line_id, product_id, sku, product_name, quantity,
                              unit_price, discount_percent, tax_category, tax_rate, net_amount, currency, account_id, booked_at)
     SELECT gen_random_uuid(), l.order_id, 3, 'credit', l.id, l.product_id, l.sku, l.product_name, -1, l.unit_price,
            l.discount_percent, 'standard', 0, -90000, 'IDR', l.account_id, now() - interval '5 days'
       FROM order_lines l WHERE l.order_id = $1 AND l.line_no = 1`,
    [IDS.order('a', 1)],
  );
  await order('b', 1, 100, [{ product: 1, qty: 5, price: 100000 }]);
  await order('b', 2, 200, [{ product: 3, qty: 1, price: 50000 }]);
  await order('c', 1, 20, [
    { product: 1, qty: 1, price: 100000 },
    { product: 3, qty: 2, price: 50000 },
  ]);
  await order('d', 1, 300, [{ product: 2, qty: 1, price: 300000 }]);
  await order('e', 1, 500, [{ product: 3, qty: 1, price: 50000 }]);
  await order('e', 2, 1, [{ product: 2, qty: 1, price: 300000 }], 'cancelled');

  // K1 acquired A (first order A3) and D (D1); it is also credited with B1, not B's first.
  // K2 reached a1 (after A's first purchase), b1, and c1 (before C's first purchase).
  await q(
    `INSERT INTO campaigns (id, name, type, status, owner_id) VALUES
       ($1, 'Launch', 'email', 'completed', $3), ($2, 'Upsell', 'email', 'completed', $3)`,
    [IDS.campaign(1), IDS.campaign(2), adminId],
  );
  await q(
    `INSERT INTO campaign_costs (id, campaign_id, kind, category, amount, currency, incurred_on) VALUES
       (gen_random_uuid(), $1, 'actual', 'media', 600000, 'IDR', current_date - 410),
       (gen_random_uuid(), $1, 'actual', 'agency', 400000, 'IDR', current_date - 405),
       (gen_random_uuid(), $1, 'planned', 'media', 5000000, 'IDR', current_date - 420),
       (gen_random_uuid(), $2, 'actual', 'media', 300000, 'IDR', current_date - 60)`,
    [IDS.campaign(1), IDS.campaign(2)],
  );
  await q(
    `INSERT INTO campaign_attributions (campaign_id, entity, record_id, source) VALUES
       ($1, 'orders', $2, 'explicit'), ($1, 'orders', $3, 'explicit'), ($1, 'orders', $4, 'explicit')`,
    [IDS.campaign(1), IDS.order('a', 3), IDS.order('d', 1), IDS.order('b', 1)],
  );
  await q(
    `INSERT INTO campaign_members (campaign_id, contact_id, added_at) VALUES
       ($1, $2, now() - interval '30 days'), ($1, $3, now() - interval '50 days'), ($1, $4, now() - interval '25 days')`,
    [IDS.campaign(2), IDS.contact('a'), IDS.contact('b'), IDS.contact('c')],
  );
  await q(
    `INSERT INTO campaign_responses (id, campaign_id, contact_id, responded_at)
     VALUES (gen_random_uuid(), $1, $2, now() - interval '28 days')`,
    [IDS.campaign(2), IDS.contact('a')],
  );

  // A's service: an open complaint breached 3 days ago, a 30-minute call, 2 hours of field work.
  await q(
    `INSERT INTO cases (id, subject, account_id, contact_id, type, status, owner_id, created_at, resolution_breached_at)
     VALUES (gen_random_uuid(), 'Broken unit', $1, $2, 'complaint', 'open', $3, now() - interval '15 days', now() - interval '3 days')`,
    [IDS.account('a'), IDS.contact('a'), adminId],
  );
  await q(
    `INSERT INTO calls (id, direction, from_number, to_number, customer_number, contact_id, agent_id, started_at,
                        duration_seconds, outcome, owner_id)
     VALUES (gen_random_uuid(), 'inbound', '+6281100000001', '+6221555000', '6281100000001', $1, $2,
             now() - interval '8 days', 1800, 'answered', $2)`,
    [IDS.contact('a'), adminId],
  );
  await q(
    `INSERT INTO work_orders (id, subject, account_id, status, time_entries, owner_id)
     VALUES (gen_random_uuid(), 'Repair', $1, 'completed',
             jsonb_build_array(jsonb_build_object('technicianId', gen_random_uuid(),
               'startedAt', to_char((now() - interval '12 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'endedAt', to_char((now() - interval '12 days' + interval '2 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), $2)`,
    [IDS.account('a'), adminId],
  );
  await q(
    `INSERT INTO activities (id, type, subject, status, completed_at, occurred_at, participant_contact_ids, owner_id)
     VALUES (gen_random_uuid(), 'meeting', 'Review', 'completed', now() - interval '3 days', now() - interval '3 days',
             ARRAY[$1::text], $2)`,
    [IDS.contact('a'), adminId],
  );
  await q(
    `INSERT INTO opportunities (id, name, account_id, amount_amount, amount_currency, probability, pipeline, stage, forecast_category, owner_id)
     VALUES (gen_random_uuid(), 'Renewal', $1, 1000000, 'IDR', 50, 'default', 'proposal', 'pipeline', $2)`,
    [IDS.account('a'), adminId],
  );
  await q(
    `INSERT INTO segments (id, name, type, owner_id) VALUES ('0192f000-0000-7000-8000-0000000ff100', 'Key buyers', 'static', $1)`,
    [adminId],
  );
  await q(
    `INSERT INTO segment_members (segment_id, contact_id) VALUES ('0192f000-0000-7000-8000-0000000ff100', $1)`,
    [IDS.contact('a')],
  );
  // c1 wants only the newsletter: "offers" (the topic of family F2) is ruled out.
  await q(`INSERT INTO contact_preferences (contact_id, topics) VALUES ($1, '{newsletter}')`, [
    IDS.contact('c'),
  ]);
}
