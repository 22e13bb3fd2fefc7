import type pg from 'pg';

/**
 * A small fixed company history for the cubes and reports, with every figure the tests
 * assert worked out by hand in the tests themselves. Organization time zone Asia/Jakarta
 * (UTC+7), reporting currency IDR, USD→IDR 15000 from 2026-01-01.
 */
export const IDS = {
  jawa: '0193a000-0000-7000-8000-0000000000a1',
  bali: '0193a000-0000-7000-8000-0000000000a2',
  hardware: '0193a000-0000-7000-8000-0000000000f1',
  services: '0193a000-0000-7000-8000-0000000000f2',
  laptop: '0193a000-0000-7000-8000-0000000000b1',
  support: '0193a000-0000-7000-8000-0000000000b2',
};

const id = (group: string, n: number) =>
  `0193a000-0000-7000-${group}-${n.toString(16).padStart(12, '0')}`;

export interface Owners {
  admin: string;
  rep: string;
  repTeam: string;
}

/** Sales (order lines), opportunities and cases. */
export async function loadAnalyticsDataset(db: pg.Pool, o: Owners): Promise<void> {
  await db.query(
    `INSERT INTO exchange_rates (id, from_currency, to_currency, rate, valid_from)
     VALUES ($1, 'USD', 'IDR', 15000, '2026-01-01')`,
    [id('8e00', 1)],
  );
  await db.query(
    `INSERT INTO accounts (id, name, name_key, industry, type, addresses, custom_fields, owner_id) VALUES
       ($1, 'Jawa Retail', 'jawa retail', 'retail', 'customer', '[{"region": "Jawa Barat", "country": "ID"}]', '{"tier": "gold"}', $3),
       ($2, 'Bali Mining', 'bali mining', 'mining', 'customer', '[{"region": "Bali", "country": "ID"}]', '{"tier": "silver"}', $3)`,
    [IDS.jawa, IDS.bali, o.admin],
  );
  await db.query(
    `INSERT INTO product_families (id, name, search_name, owner_id) VALUES
       ($1, '{"en": "Hardware"}', 'hardware', $3), ($2, '{"en": "Services"}', 'services', $3)`,
    [IDS.hardware, IDS.services, o.admin],
  );
  await db.query(
    `INSERT INTO products (id, sku, name, family_id, tax_category, cost_price_amount, cost_price_currency, search_name, owner_id) VALUES
       ($1, 'LAP', '{"en": "Laptop"}', $3, 'standard', 60, 'IDR', 'laptop', $5),
       ($2, 'SUP', '{"en": "Support"}', $4, 'standard', 20, 'IDR', 'support', $5)`,
    [IDS.laptop, IDS.support, IDS.hardware, IDS.services, o.admin],
  );
  // order: account, owner, team, currency, status; lines: product, quantity, net, booked at (UTC)
  const orders: [
    string,
    string,
    string | null,
    string,
    string,
    [string, number, string, string][],
  ][] = [
    [
      'jawa',
      o.admin,
      null,
      'IDR',
      'placed',
      [
        ['laptop', 2, '200', '2026-01-10T03:00:00Z'],
        ['support', 1, '100', '2026-01-10T03:00:00Z'],
      ],
    ],
    ['bali', o.rep, o.repTeam, 'IDR', 'placed', [['laptop', 1, '150', '2026-02-15T03:00:00Z']]],
    ['jawa', o.admin, null, 'USD', 'placed', [['support', 1, '0.02', '2026-04-05T03:00:00Z']]],
    ['bali', o.admin, null, 'IDR', 'cancelled', [['laptop', 1, '999', '2026-01-20T03:00:00Z']]],
    // 18:00 UTC on 31 March is 1 April in Jakarta: the second quarter.
    ['bali', o.admin, null, 'IDR', 'delivered', [['laptop', 1, '50', '2026-03-31T18:00:00Z']]],
  ];
  let lineNo = 0;
  for (const [i, [account, owner, team, currency, status, lines]] of orders.entries()) {
    const orderId = id('8e01', i + 1);
    const accountId = IDS[account as 'jawa' | 'bali'];
    await db.query(
      `INSERT INTO orders (id, account_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                           tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id, team_id)
       VALUES ($1, $2, $3, $4, $5, 0, $3, 0, $3, 0, $3, $6, $7)`,
      [orderId, accountId, currency, status, lines[0][3], owner, team],
    );
    for (const [n, [product, quantity, net, at]] of lines.entries())
      await db.query(
        `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                                  tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         VALUES ($1, $2, $3, 'sale', $4, 'S', 'P', $5, $6, 'standard', 0, $6, $7, $8, $9)`,
        [
          id('8e02', ++lineNo),
          orderId,
          n + 1,
          IDS[product as 'laptop' | 'support'],
          quantity,
          net,
          currency,
          accountId,
          at,
        ],
      );
  }
  // account, status, amount, closed (or created when open)
  const opportunities: [string, string, string, string][] = [
    ['jawa', 'won', '1000', '2026-01-05T03:00:00Z'],
    ['jawa', 'lost', '500', '2026-01-06T03:00:00Z'],
    ['jawa', 'won', '300', '2026-02-01T03:00:00Z'],
    ['bali', 'lost', '200', '2026-02-02T03:00:00Z'],
    ['bali', 'open', '700', '2026-03-01T03:00:00Z'],
  ];
  for (const [i, [account, status, amount, at]] of opportunities.entries())
    await db.query(
      `INSERT INTO opportunities (id, name, account_id, amount_amount, amount_currency, probability, pipeline, stage,
                                  status, closed_at, created_at, owner_id, forecast_category)
       VALUES ($1, 'Deal', $2, $3, 'IDR', 50, 'default', $4, $4, $5, $6, $7,
               CASE $4 WHEN 'won' THEN 'closed' WHEN 'lost' THEN 'omitted' ELSE 'pipeline' END)`,
      [
        id('8e03', i + 1),
        IDS[account as 'jawa' | 'bali'],
        amount,
        status,
        status === 'open' ? null : at,
        at,
        o.admin,
      ],
    );
  // account, breached
  const cases: [string, boolean][] = [
    ['jawa', true],
    ['jawa', true],
    ['bali', false],
    ['bali', true],
  ];
  for (const [i, [account, breached]] of cases.entries())
    await db.query(
      `INSERT INTO cases (id, subject, account_id, created_at, resolution_breached_at, owner_id)
       VALUES ($1, 'Broken', $2, '2026-03-02T03:00:00Z', $3, $4)`,
      [
        id('8e04', i + 1),
        IDS[account as 'jawa' | 'bali'],
        breached ? '2026-03-03T03:00:00Z' : null,
        o.admin,
      ],
    );
}
