import { accessFactories } from '../support/access-factories.js';
import { loadAnalyticsDataset } from '../support/analytics-dataset.js';
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
});
