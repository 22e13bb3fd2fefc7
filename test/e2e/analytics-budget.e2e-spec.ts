import { accessFactories } from '../support/access-factories.js';
import { expectProblem } from '../support/problems.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Auth = { authorization: string };
const idr = (amount: string) => ({ amount, currency: 'IDR' });

/**
 * Contacts reached: a = gold by e-mail, b = gold by phone, c = silver by e-mail, d = silver by phone.
 * Profit per contact (rate × margin − cost): a 0.2×100−1 = 19, b 0.5×100−10 = 40, c 0.05×100−1 = 4, d 0.1×100−10 = 0.
 * Budget a + 10b + c + 10d ≤ 600; e-mail cap a + c ≤ 100; phone cap 10b + 10d ≤ 500;
 * frequency 1: a + b ≤ 100 (gold), c + d ≤ 1000 (silver); gold minimum a + 10b ≥ 50.
 * By hand: b = 50 fills the phone cap (2000); gold's frequency leaves a = 50 (950); the budget and
 * the e-mail cap leave c = 50 (200); profit 3150. Giving up one b for one more a loses 40, gains
 * 19 and costs one c (−4): −25, so no move improves it. Revenue 50×20 + 50×50 + 50×5 = 3750, cost 600.
 */
const PROBLEM = {
  currency: 'IDR',
  totalBudget: '600',
  frequencyCap: 1,
  segments: [
    { key: 'gold', contacts: 100, minimumSpend: '50' },
    { key: 'silver', contacts: 1000 },
  ],
  channels: [
    { key: 'email', cap: '100' },
    { key: 'phone', cap: '500' },
  ],
  candidates: [
    {
      segment: 'gold',
      channel: 'email',
      responseRate: '0.2',
      marginPerResponse: '100',
      costPerContact: '1',
    },
    {
      segment: 'gold',
      channel: 'phone',
      responseRate: '0.5',
      marginPerResponse: '100',
      costPerContact: '10',
    },
    {
      segment: 'silver',
      channel: 'email',
      responseRate: '0.05',
      marginPerResponse: '100',
      costPerContact: '1',
    },
    {
      segment: 'silver',
      channel: 'phone',
      responseRate: '0.1',
      marginPerResponse: '100',
      costPerContact: '10',
    },
  ],
};

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
budgetPlan: { minHistorySample: 2, historyDays: 365 }
`;
const uid = (n: number) => `0192f000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const [A, B, PRODUCT, EMAIL, PHONE] = [
  uid(0xb001),
  uid(0xb002),
  uid(0xb003),
  uid(0xb004),
  uid(0xb005),
];
const [a1, a2, a3, a4, b1, b2] = [1, 2, 3, 4, 5, 6].map((i) => uid(0xc000 + i));

/**
 * Campaign history, small enough to compute by hand. Account A bought 300 (order 1, credited to
 * the e-mail campaign) and 700; B bought 100 (credited to the phone campaign); each line is one
 * unit of a product costing 40. By revenue A is in the top half (tier silver), B is not (bronze).
 * - E-mail campaign, actual cost 200 over 5 members (a1–a4, b1: 40 each); a1, a2 and b1 responded.
 * - Phone campaign, actual cost 30 over 3 members (a1, b1, b2: 10 each); b2 responded.
 */
async function loadHistory(server: TestServer, owner: string): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => server.db.query(sql, params);
  await q(
    `INSERT INTO accounts (id, name, name_key, owner_id) VALUES ($1, 'A', 'a', $3), ($2, 'B', 'b', $3)`,
    [A, B, owner],
  );
  await q(
    `INSERT INTO contacts (id, last_name, name_key, account_id, owner_id)
     SELECT c, 'C', 'c', CASE WHEN i <= 4 THEN $7::uuid ELSE $8::uuid END, $9
       FROM unnest(ARRAY[$1, $2, $3, $4, $5, $6]::uuid[]) WITH ORDINALITY x(c, i)`,
    [a1, a2, a3, a4, b1, b2, A, B, owner],
  );
  await q(
    `INSERT INTO products (id, sku, name, tax_category, cost_price_amount, cost_price_currency, search_name, owner_id)
     VALUES ($1, 'P', '{"en": "P"}', 'standard', 40, 'IDR', 'p', $2)`,
    [PRODUCT, owner],
  );
  for (const [n, account, net] of [
    [1, A, 300],
    [2, A, 700],
    [3, B, 100],
  ] as const) {
    await q(
      `INSERT INTO orders (id, account_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                           tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
       VALUES ($1, $2, 'IDR', 'delivered', now() - interval '10 days', 0, 'IDR', 0, 'IDR', 0, 'IDR', $3)`,
      [uid(0xd000 + n), account, owner],
    );
    await q(
      `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                                tax_category, tax_rate, net_amount, currency, account_id, booked_at)
       VALUES ($1, $2, 1, 'sale', $3, 'P', 'P', 1, $4, 'standard', 0, $4, 'IDR', $5, now() - interval '10 days')`,
      [uid(0xe000 + n), uid(0xd000 + n), PRODUCT, net, account],
    );
  }
  await q(
    `INSERT INTO campaigns (id, name, type, channel, owner_id)
     VALUES ($1, 'Mail', 'email', 'email', $3), ($2, 'Call', 'telemarketing', 'phone', $3)`,
    [EMAIL, PHONE, owner],
  );
  await q(
    `INSERT INTO campaign_costs (id, campaign_id, kind, category, amount, currency, incurred_on)
     VALUES ($1, $3, 'actual', 'media', 200, 'IDR', current_date), ($2, $4, 'actual', 'media', 30, 'IDR', current_date),
            ($5, $3, 'planned', 'media', 9999, 'IDR', current_date)`,
    [uid(0xf001), uid(0xf002), EMAIL, PHONE, uid(0xf003)],
  );
  await q(
    `INSERT INTO campaign_members (campaign_id, contact_id)
     SELECT $1::uuid, unnest(ARRAY[$3, $4, $5, $6, $7]::uuid[]) UNION ALL SELECT $2::uuid, unnest(ARRAY[$3, $7, $8]::uuid[])`,
    [EMAIL, PHONE, a1, a2, a3, a4, b1, b2],
  );
  await q(
    `INSERT INTO campaign_responses (id, campaign_id, contact_id)
     VALUES ($1, $5, $7), ($2, $5, $8), ($3, $5, $9), ($4, $6, $10)`,
    [uid(0xa001), uid(0xa002), uid(0xa003), uid(0xa004), EMAIL, PHONE, a1, a2, b1, b2],
  );
  await q(
    `INSERT INTO campaign_attributions (campaign_id, entity, record_id, source)
     VALUES ($1, 'orders', $3, 'explicit'), ($2, 'orders', $4, 'explicit')`,
    [EMAIL, PHONE, uid(0xd001), uid(0xd003)],
  );
}

describe('analytics budget planner', () => {
  let server: TestServer;
  let admin: Auth;
  let agent: Auth;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CONFIG: writeSalesConfig('budget', CONFIG) } });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const { rows } = await server.db.query<{ id: string }>(
      `SELECT id FROM users WHERE email = 'admin@example.com'`,
    );
    await loadHistory(server, rows[0].id);
    expect((await server.http.post('/api/v1/analytics/refresh').set(admin).send()).status).toBe(
      200,
    );
    const people = accessFactories(server, token);
    // A role granting nothing: no read on campaigns.
    agent = (await people.userWithToken((await people.role()).id)).auth;
  });
  afterAll(async () => {
    await server.stop();
  });

  const plan = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/analytics/budget-plan').set(auth).send(body);

  it('solves the allocation that maximizes expected profit and names the binding constraints', async () => {
    const res = await plan(PROBLEM);
    expect(res.status).toBe(200);
    expect(res.body.plan.map((l: { contacts: string }) => l.contacts)).toEqual([
      '50.00',
      '50.00',
      '50.00',
      '0.00',
    ]);
    expect(res.body.expectedRevenue).toEqual(idr('3750'));
    expect(res.body.cost).toEqual(idr('600'));
    expect(res.body.expectedProfit).toEqual(idr('3150'));
    expect([...res.body.bindingConstraints].sort()).toEqual(
      [
        'channels[email].cap',
        'channels[phone].cap',
        'segments[gold].frequencyCap',
        'totalBudget',
      ].sort(),
    );
  });

  it('answers 422 naming the constraints that conflict', async () => {
    // Gold must get 700, the budget is 600; gold alone could take 10 × 100 = 1000 by phone (cap 1000).
    const res = await plan({
      ...PROBLEM,
      segments: [
        { key: 'gold', contacts: 100, minimumSpend: '700' },
        { key: 'silver', contacts: 1000 },
      ],
      channels: [
        { key: 'email', cap: '100' },
        { key: 'phone', cap: '1000' },
      ],
    });
    expectProblem(res, 422);
    expect(res.body.conflictingConstraints).toEqual(['totalBudget', 'segments[gold].minimumSpend']);
  });

  it('takes rates from campaign history when a candidate gives none, and says so', async () => {
    const tiers = await server.db.query<{ account_id: string; tier: string }>(
      `SELECT account_id, tier FROM analytics_customer_values ORDER BY account_id`,
    );
    expect(tiers.rows.map((r) => r.tier)).toEqual(['silver', 'bronze']);
    const res = await plan({
      currency: 'IDR',
      totalBudget: '10000',
      frequencyCap: 1,
      segments: [
        { key: 'silver', contacts: 10 },
        { key: 'bronze', contacts: 10 },
      ],
      channels: [{ key: 'email' }, { key: 'phone' }],
      candidates: [
        { segment: 'silver', channel: 'email' },
        { segment: 'bronze', channel: 'phone' },
        {
          segment: 'bronze',
          channel: 'email',
          responseRate: '0.1',
          marginPerResponse: '10',
          costPerContact: '5',
        },
      ],
    });
    expect(res.status).toBe(200);
    // silver × e-mail: a1–a4 were members (4), a1 and a2 responded (0.5); cost 4 × 40 / 4 = 40;
    // margin of order 1 (300 − 40 = 260) over 2 responses = 130. Profit per contact 65 − 40 = 25.
    // bronze × phone: b1, b2 (2), b2 responded (0.5); cost 10; margin 100 − 40 = 60 over 1 = 60.
    // Profit per contact 30 − 10 = 20. Given bronze × e-mail: 1 − 5 = −4, left out.
    expect(res.body.plan.map((l: { rates: object }) => l.rates)).toEqual([
      {
        responseRate: '0.5',
        marginPerResponse: '130',
        costPerContact: '40',
        source: 'history',
        sample: { contacts: 4, responses: 2 },
      },
      {
        responseRate: '0.5',
        marginPerResponse: '60',
        costPerContact: '10',
        source: 'history',
        sample: { contacts: 2, responses: 1 },
      },
      { responseRate: '0.1', marginPerResponse: '10', costPerContact: '5', source: 'given' },
    ]);
    // Each segment's frequency cap takes 10 contacts: revenue 10 × 0.5 × 130 + 10 × 0.5 × 60 = 950,
    // cost 10 × 40 + 10 × 10 = 500, profit 450.
    expect(res.body.plan.map((l: { contacts: string }) => l.contacts)).toEqual([
      '10.00',
      '10.00',
      '0.00',
    ]);
    expect(res.body.expectedRevenue).toEqual(idr('950'));
    expect(res.body.cost).toEqual(idr('500'));
    expect(res.body.expectedProfit).toEqual(idr('450'));
  });

  it('answers 422 naming each candidate whose history is too thin', async () => {
    const res = await plan({
      ...PROBLEM,
      segments: [
        { key: 'silver', contacts: 10 },
        { key: 'bronze', contacts: 10 },
      ],
      candidates: [
        { segment: 'bronze', channel: 'email' },
        { segment: 'silver', channel: 'phone' },
        { segment: 'silver', channel: 'email' },
      ],
    });
    expectProblem(res, 422);
    // bronze × e-mail: only b1 (1); silver × phone: only a1 (1); the minimum is 2.
    expect(res.body.thinCandidates).toEqual([
      { candidate: 'candidates[0]', segment: 'bronze', channel: 'email', contacts: 1 },
      { candidate: 'candidates[1]', segment: 'silver', channel: 'phone', contacts: 1 },
    ]);
    expect(res.body.detail).toContain('candidates[0]');
  });

  it('rejects a candidate giving some of its rates, or a rate of the wrong type or length', async () => {
    const partial = await plan({
      ...PROBLEM,
      candidates: [{ segment: 'gold', channel: 'email', responseRate: '0.2' }],
    });
    expectProblem(partial, 400);
    expect(partial.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'candidates[0].marginPerResponse',
      'candidates[0].costPerContact',
    ]);
    expectProblem(
      await plan({ ...PROBLEM, candidates: [{ ...PROBLEM.candidates[0], costPerContact: 1 }] }),
      400,
    );
    expectProblem(
      await plan({
        ...PROBLEM,
        candidates: [{ ...PROBLEM.candidates[0], marginPerResponse: '1'.repeat(31) }],
      }),
      400,
    );
    expectProblem(
      await plan({ ...PROBLEM, candidates: [{ segment: 'gold', channel: 'email', rate: '1' }] }),
      400,
    );
    expectProblem(await plan({ ...PROBLEM, candidates: [{ channel: 'email' }] }), 400);
  });

  it('rejects bad input', async () => {
    const { totalBudget: _, ...noBudget } = PROBLEM;
    expectProblem(await plan(noBudget), 400);
    expectProblem(await plan({ ...PROBLEM, totalBudget: 600 }), 400);
    expectProblem(await plan({ ...PROBLEM, colour: 'red' }), 400);
    expectProblem(
      await plan({ ...PROBLEM, segments: [{ key: 'x'.repeat(101), contacts: 1 }] }),
      400,
    );
    const unknown = await plan({
      ...PROBLEM,
      candidates: [{ ...PROBLEM.candidates[0], channel: 'fax' }],
    });
    expectProblem(unknown, 400);
    expect(unknown.body.errors[0].field).toBe('candidates[0].channel');
    expectProblem(await plan(PROBLEM, agent), 403);
  });
});
