import fc from 'fast-check';
import { checkCubeQuery, compileCubeQuery, type CubeQuery } from '#analytical/cube/cube-query.js';
import { accessFactories } from '../support/access-factories.js';
import { IDS, loadAnalyticsDataset } from '../support/analytics-dataset.js';
import { expectProblem } from '../support/problems.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
customization:
  accounts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier }
        options: [{ value: gold, label: { en: Gold } }, { value: silver, label: { en: Silver } }]
`;

type Auth = { authorization: string };
const idr = (amount: string) => ({ amount, currency: 'IDR' });

describe('analytics cube', () => {
  let server: TestServer;
  let admin: Auth;
  let rep: Auth;
  let marketing: Auth;
  let repId: string;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('cube', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const people = accessFactories(server, token);
    const team = await people.team();
    const salesRep = await people.userWithToken('sales_rep', { teamIds: [team.id] });
    rep = salesRep.auth;
    repId = salesRep.user.id;
    marketing = (await people.userWithToken('marketing')).auth;
    const { rows } = await server.db.query<{ id: string }>(
      `SELECT id FROM users WHERE email = 'admin@example.com'`,
    );
    await loadAnalyticsDataset(server.db, {
      admin: rows[0].id,
      rep: salesRep.user.id,
      repTeam: team.id,
    });
    const refreshed = await server.http.post('/api/v1/analytics/cubes/refresh').set(admin).send();
    expect(refreshed.status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
  });

  const cube = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/analytics/cube').set(auth).send(body);

  it('revenue, margin and orders by quarter and region, with subtotals and a grand total', async () => {
    const res = await cube({
      cube: 'sales',
      measures: ['revenue', 'margin', 'orders'],
      dimensions: ['time.quarter', 'region'],
      totals: 'rollup',
    });
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('IDR');
    expect(Date.parse(res.body.dataAsOf)).toBeGreaterThan(Date.now() - 600_000);
    // Lines (net, cost = cost price × quantity): Q1 Jawa Barat 200 (120) + 100 (20) in one order;
    // Q1 Bali 150 (60); Q2 Jawa Barat 0.02 USD × 15000 = 300 (20); Q2 Bali 50 (60), booked
    // 31 March 18:00 UTC = 1 April in Jakarta. The cancelled order's 999 counts nowhere.
    // Margins: Q1 JB 300 − 140 = 160, Q1 Bali 90, Q1 250; Q2 JB 280, Q2 Bali −10, Q2 270; all 520.
    const rows = (
      res.body.rows as { dimensions: object; measures: object; rolledUp: string[] }[]
    ).map((r) => [r.dimensions, r.measures, r.rolledUp]);
    expect(rows).toEqual([
      [
        { 'time.quarter': '2026-Q1', region: 'Bali' },
        { revenue: idr('150'), margin: idr('90'), orders: 1 },
        [],
      ],
      [
        { 'time.quarter': '2026-Q1', region: 'Jawa Barat' },
        { revenue: idr('300'), margin: idr('160'), orders: 1 },
        [],
      ],
      [
        { 'time.quarter': '2026-Q1', region: null },
        { revenue: idr('450'), margin: idr('250'), orders: 2 },
        ['region'],
      ],
      [
        { 'time.quarter': '2026-Q2', region: 'Bali' },
        { revenue: idr('50'), margin: idr('-10'), orders: 1 },
        [],
      ],
      [
        { 'time.quarter': '2026-Q2', region: 'Jawa Barat' },
        { revenue: idr('300'), margin: idr('280'), orders: 1 },
        [],
      ],
      [
        { 'time.quarter': '2026-Q2', region: null },
        { revenue: idr('350'), margin: idr('270'), orders: 2 },
        ['region'],
      ],
      [
        { 'time.quarter': null, region: null },
        { revenue: idr('800'), margin: idr('520'), orders: 4 },
        ['time.quarter', 'region'],
      ],
    ]);
  });

  it('drills down to months and slices by product family and by an account custom field', async () => {
    const res = await cube({
      cube: 'sales',
      measures: ['revenue'],
      dimensions: ['time.month'],
      filters: [{ dimension: 'productFamily', op: 'eq', value: 'Hardware' }],
    });
    expect(res.status).toBe(200);
    // Hardware lines: January 200, February 150, April 50.
    expect(
      res.body.rows.map((r: { dimensions: object; measures: object }) => [
        r.dimensions,
        r.measures,
      ]),
    ).toEqual([
      [{ 'time.month': '2026-01' }, { revenue: idr('200') }],
      [{ 'time.month': '2026-02' }, { revenue: idr('150') }],
      [{ 'time.month': '2026-04' }, { revenue: idr('50') }],
    ]);
    const gold = await cube({
      cube: 'sales',
      measures: ['revenue', 'avgOrderValue'],
      dimensions: ['account.customFields.tier'],
      filters: [{ dimension: 'time', op: 'gte', value: '2026-01-01' }],
    });
    // gold = Jawa: 200 + 100 + 300 = 600 over 2 orders (300 each); silver = Bali: 150 + 50 over 2 (100).
    expect(
      gold.body.rows.map((r: { dimensions: object; measures: object }) => [
        r.dimensions,
        r.measures,
      ]),
    ).toEqual([
      [{ 'account.customFields.tier': 'gold' }, { revenue: idr('600'), avgOrderValue: idr('300') }],
      [
        { 'account.customFields.tier': 'silver' },
        { revenue: idr('200'), avgOrderValue: idr('100') },
      ],
    ]);
  });

  it('pivots quarters into columns', async () => {
    const res = await cube({
      cube: 'sales',
      measures: ['revenue'],
      dimensions: ['region', 'time.quarter'],
      shape: 'pivot',
    });
    expect(res.status).toBe(200);
    expect(res.body.pivot.columns).toEqual([
      { value: '2026-Q1', total: false },
      { value: '2026-Q2', total: false },
    ]);
    expect(res.body.pivot.rows).toEqual([
      {
        dimensions: { region: 'Bali' },
        rolledUp: [],
        cells: [{ revenue: idr('150') }, { revenue: idr('50') }],
      },
      {
        dimensions: { region: 'Jawa Barat' },
        rolledUp: [],
        cells: [{ revenue: idr('300') }, { revenue: idr('300') }],
      },
    ]);
  });

  it('win rate, won revenue and pipeline by region from the opportunities cube', async () => {
    const res = await cube({
      cube: 'opportunities',
      measures: ['winRate', 'wonRevenue', 'pipelineValue', 'avgDealSize'],
      dimensions: ['region'],
    });
    expect(res.status).toBe(200);
    // Jawa Barat: won 1000 and 300, lost 500 → 2/3; won 1300, average 650. Bali: lost 200, open 700 → 0/1.
    expect(
      res.body.rows.map((r: { dimensions: object; measures: object }) => [
        r.dimensions,
        r.measures,
      ]),
    ).toEqual([
      [
        { region: 'Bali' },
        { winRate: '0.0000', wonRevenue: idr('0'), pipelineValue: idr('700'), avgDealSize: null },
      ],
      [
        { region: 'Jawa Barat' },
        {
          winRate: '0.6667',
          wonRevenue: idr('1300'),
          pipelineValue: idr('0'),
          avgDealSize: idr('650'),
        },
      ],
    ]);
  });

  it('aggregates only the records in the caller’s scope', async () => {
    const res = await cube({ cube: 'sales', measures: ['revenue', 'orders'] }, rep);
    expect(res.status).toBe(200);
    // The rep owns one order, Bali's 150 in February.
    expect(res.body.rows).toEqual([
      { dimensions: {}, measures: { revenue: idr('150'), orders: 1 }, rolledUp: [] },
    ]);
    expectProblem(await cube({ cube: 'sales', measures: ['revenue'] }, marketing), 403);
  });

  it('answers 403 naming each measure, dimension and filter made of a field the role hides', async () => {
    const people = accessFactories(server, admin.authorization.slice(7));
    const readAll = {
      create: 'none',
      read: 'all',
      update: 'none',
      delete: 'none',
      reassign: false,
    };
    const role = await people.role({
      permissions: {
        admin: false,
        entities: { orders: readAll, opportunities: readAll, accounts: readAll },
        fields: {
          accounts: { industry: 'hidden', 'customFields.tier': 'hidden' },
          opportunities: { amount: 'hidden' },
        },
      },
    });
    const analyst = (await people.userWithToken(role.id)).auth;
    const hidden = await cube(
      {
        cube: 'sales',
        measures: ['revenue'],
        dimensions: ['region', 'industry'],
        filters: [{ dimension: 'account.customFields.tier', op: 'eq', value: 'gold' }],
      },
      analyst,
    );
    expectProblem(hidden, 403);
    expect(hidden.body.detail).toContain('accounts.industry');
    expect(hidden.body.errors).toEqual([
      expect.objectContaining({ field: 'dimensions[1]', code: 'hiddenField' }),
      expect.objectContaining({ field: 'filters[0].dimension', code: 'hiddenField' }),
    ]);
    expect(hidden.body.errors[1].message).toContain('accounts.customFields.tier');
    expect(hidden.body.rows).toBeUndefined();
    const amount = await cube(
      { cube: 'opportunities', measures: ['count', 'wonRevenue'], dimensions: ['status'] },
      analyst,
    );
    expectProblem(amount, 403);
    expect(amount.body.errors.map((e: { field: string }) => e.field)).toEqual(['measures[1]']);
    expect(amount.body.errors[0].message).toContain('opportunities.amount');
    // What the role does see still answers: revenue by region (Bali 200, Jawa Barat 600).
    const visible = await cube(
      { cube: 'sales', measures: ['revenue'], dimensions: ['region'] },
      analyst,
    );
    expect(visible.status).toBe(200);
    expect(
      visible.body.rows.map((r: { dimensions: object; measures: object }) => [
        r.dimensions,
        r.measures,
      ]),
    ).toEqual([
      [{ region: 'Bali' }, { revenue: idr('200') }],
      [{ region: 'Jawa Barat' }, { revenue: idr('600') }],
    ]);
    // The same query as an admin, who sees every field, answers.
    expect((await cube({ cube: 'opportunities', measures: ['wonRevenue'] })).status).toBe(200);
  });

  it('names every unknown cube, measure, dimension and sort in one 400', async () => {
    const res = await cube({
      cube: 'sales',
      measures: ['revenue', 'profitt'],
      dimensions: ['time.decade', 'planet'],
      filters: [{ dimension: 'colour', op: 'eq', value: 'red' }],
      sort: ['-volume'],
    });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'measures[1]',
      'dimensions[0]',
      'dimensions[1]',
      'filters[0].dimension',
      'sort[0]',
    ]);
    expect(res.body.errors[0].message).toContain('profitt');
    const noCube = await cube({ cube: 'weather', measures: ['rain'] });
    expectProblem(noCube, 400);
    expect(noCube.body.errors[0].field).toBe('cube');
  });

  it('rejects bad input: missing, wrong type, too long, unknown field, bad filter value', async () => {
    expectProblem(await cube({ measures: ['revenue'] }), 400);
    expectProblem(await cube({ cube: 'sales', measures: 'revenue' }), 400);
    expectProblem(await cube({ cube: 'sales', measures: ['x'.repeat(101)] }), 400);
    expectProblem(await cube({ cube: 'sales', measures: ['revenue'], colour: 'red' }), 400);
    expectProblem(await cube({ cube: 'sales', measures: ['revenue'], limit: 0 }), 400);
    const badDay = await cube({
      cube: 'sales',
      measures: ['revenue'],
      filters: [{ dimension: 'time', op: 'gte', value: 'yesterday' }],
    });
    expectProblem(badDay, 400);
    expect(badDay.body.errors[0].field).toBe('filters[0].value');
    const injection = await cube({
      cube: 'sales',
      measures: ['revenue'],
      dimensions: ['region'],
      filters: [{ dimension: 'region', op: 'eq', value: "x' OR 1=1 --" }],
    });
    expect(injection.status).toBe(200);
    expect(injection.body.rows).toEqual([]);
  });

  it('describes the cubes and lets only admins refresh them', async () => {
    const res = await server.http.get('/api/v1/analytics/cubes').set(rep);
    expect(res.status).toBe(200);
    const sales = res.body.data.find((c: { name: string }) => c.name === 'sales');
    expect(sales.dimensions).toEqual(
      expect.arrayContaining(['time.quarter', 'region', 'account.customFields.tier']),
    );
    expectProblem(await server.http.post('/api/v1/analytics/cubes/refresh').set(rep).send(), 403);
  });

  // Last, because it adds a return and an order without an exchange rate to the history.
  describe('the day summary', () => {
    beforeAll(async () => {
      // The first order's laptops, given back in May; a June order in EUR, which has no rate.
      await server.db.query(
        `INSERT INTO order_lines (id, order_id, line_no, kind, credit_of_line_id, product_id, sku, product_name,
                                  quantity, unit_price, tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         VALUES ('0193a000-0000-7000-8e02-0000000000c1', '0193a000-0000-7000-8e01-000000000001', 3, 'credit',
                 '0193a000-0000-7000-8e02-000000000001', $1, 'S', 'P', -1, 100, 'standard', 0, -100, 'IDR', $2,
                 '2026-05-03T03:00:00Z')`,
        [IDS.laptop, IDS.jawa],
      );
      await server.db.query(
        `INSERT INTO orders (id, account_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                             tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id, team_id)
         VALUES ('0193a000-0000-7000-8e01-0000000000c2', $1, 'EUR', 'placed', '2026-06-01T03:00:00Z',
                 0, 'EUR', 0, 'EUR', 0, 'EUR', $2, NULL)`,
        [IDS.bali, repId],
      );
      await server.db.query(
        `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                                  tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         VALUES ('0193a000-0000-7000-8e02-0000000000c2', '0193a000-0000-7000-8e01-0000000000c2', 1, 'sale', $1,
                 'S', 'P', 1, 7, 'standard', 0, 7, 'EUR', $2, '2026-06-01T03:00:00Z')`,
        [IDS.support, IDS.bali],
      );
      const refreshed = await server.http.post('/api/v1/analytics/cubes/refresh').set(admin).send();
      expect(refreshed.status).toBe(200);
    });

    it('counts an order where it was booked, not again where a return of it was', async () => {
      const res = await cube({
        cube: 'sales',
        measures: ['revenue', 'orders', 'lines', 'avgOrderValue', 'unconverted'],
        dimensions: ['time.month'],
        totals: 'rollup',
      });
      expect(res.status).toBe(200);
      const money = (amount: string | null) => (amount === null ? null : idr(amount));
      expect(
        res.body.rows.map((r: { dimensions: object; measures: object }) => [
          r.dimensions,
          r.measures,
        ]),
      ).toEqual(
        (
          [
            ['2026-01', '300', 1, 2, '300', 0],
            ['2026-02', '150', 1, 1, '150', 0],
            ['2026-04', '350', 2, 2, '175', 0],
            ['2026-05', '-100', 0, 1, null, 0],
            ['2026-06', null, 1, 1, null, 1],
            [null, '700', 5, 7, '140', 1],
          ] as const
        ).map(([month, revenue, orders, lines, avg, unconverted]) => [
          { 'time.month': month },
          { revenue: money(revenue), orders, lines, avgOrderValue: money(avg), unconverted },
        ]),
      );
    });

    it('is read for queries by time, region, industry, segment, owner and team only', () => {
      const viewOf = (query: Omit<CubeQuery, 'cube'>) =>
        compileCubeQuery(
          checkCubeQuery({ cube: 'sales', ...query }, new Map()).query!,
          () => 'TRUE',
        ).view;
      expect(
        viewOf({ measures: ['revenue', 'orders'], dimensions: ['time.month', 'region'] }),
      ).toBe('cube_sales_daily');
      expect(
        viewOf({
          measures: ['margin'],
          dimensions: ['owner', 'team', 'segment'],
          filters: [{ dimension: 'industry', op: 'eq', value: 'retail' }],
        }),
      ).toBe('cube_sales_daily');
      expect(viewOf({ measures: ['revenue'], dimensions: ['productFamily'] })).toBe('cube_sales');
      expect(
        viewOf({
          measures: ['revenue'],
          filters: [{ dimension: 'product', op: 'eq', value: 'x' }],
        }),
      ).toBe('cube_sales');
      expect(viewOf({ measures: ['revenue'], dimensions: ['account'] })).toBe('cube_sales');
    });

    it('answers every query it can exactly as the order lines do, in any scope', async () => {
      const dimension = fc.constantFrom(
        'time',
        'time.day',
        'time.week',
        'time.month',
        'time.quarter',
        'time.year',
        'region',
        'industry',
        'segment',
        'owner',
        'team',
      );
      const filter = fc.oneof(
        fc.record({
          dimension: fc.constantFrom('region', 'industry', 'segment'),
          op: fc.constantFrom('eq' as const, 'ne' as const),
          value: fc.constantFrom('Bali', 'Jawa Barat', 'retail', 'mining', 'customer'),
        }),
        fc.record({
          dimension: fc.constantFrom('region', 'industry', 'team'),
          op: fc.constantFrom('in' as const, 'nin' as const),
          value: fc.subarray(['Bali', 'Jawa Barat', 'retail', 'mining']),
        }),
        fc.record({
          dimension: fc.constant('team'),
          op: fc.constant('isNull' as const),
          value: fc.boolean(),
        }),
        fc.record({
          dimension: fc.constant('time'),
          op: fc.constantFrom('gte' as const, 'lt' as const),
          value: fc.constantFrom('2026-01-15', '2026-04-01', '2026-05-31'),
        }),
      );
      const query = fc.record({
        measures: fc.subarray(
          [
            'revenue',
            'cost',
            'margin',
            'orders',
            'lines',
            'quantity',
            'avgOrderValue',
            'unconverted',
          ],
          { minLength: 1 },
        ),
        dimensions: fc.uniqueArray(dimension, { maxLength: 3 }),
        filters: fc.array(filter, { maxLength: 2 }),
        totals: fc.constantFrom('none' as const, 'rollup' as const, 'cube' as const),
        ownScope: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(query, async ({ ownScope, ...body }) => {
          const checked = checkCubeQuery({ cube: 'sales', ...body }, new Map()).query!;
          const scope = () => (ownScope ? `m.owner_id = '${repId}'` : 'TRUE');
          const summary = compileCubeQuery(checked, scope);
          const lines = compileCubeQuery(checked, scope, { summaries: false });
          expect([summary.view, lines.view]).toEqual(['cube_sales_daily', 'cube_sales']);
          const [a, b] = await Promise.all([
            server.db.query(summary.sql, summary.params),
            server.db.query(lines.sql, lines.params),
          ]);
          expect(a.rows).toEqual(b.rows);
        }),
        { numRuns: 60 },
      );
    });
  });
});
