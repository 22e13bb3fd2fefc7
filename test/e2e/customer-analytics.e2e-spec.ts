import { profitabilitySql } from '#analytical/customers/profitability/profitability-sql.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { accessFactories } from '../support/access-factories.js';
import { IDS, insertAnalyticsDataset } from '../support/customer-analytics-dataset.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: UTC }
catalog:
  taxCategories:
    - { key: standard, label: { en: VAT 0% }, rate: "0", default: true }
customerAnalytics:
  valueTiers: [{ key: gold, topPercent: 20 }, { key: silver, topPercent: 60 }]
  baseTier: bronze
  costs: { serviceHourCost: '100000', caseHandlingHours: '1.5', fieldHourCost: '200000' }
  clv: { discountRate: '0.1', retentionRate: '0.5' }
  recommendations:
    minSupport: '0.1'
    minConfidence: '0.2'
    minLift: '0.5'
    familyTopics: { '${IDS.familyF2}': offers }
`;

type Auth = { authorization: string };
const idr = (amount: string) => ({ amount, currency: 'IDR' });

/**
 * The dataset (test/support/customer-analytics-dataset.ts), by hand:
 *
 * Lifetime net revenue and product cost per account:
 *   A: A1 (−10 d) 2 × 100,000 − 10 % = 180,000 (cost 80,000) + 300,000 (cost 100,000);
 *      A2 (−40 d) 100,000 (cost 40,000); A3 (−400 d) 300,000 (cost 100,000);
 *      return of one P1 (−5 d) −90,000 (cost −40,000)
 *      → revenue 790,000, cost 280,000, gross profit 510,000; 3 orders.
 *   B: B1 (−100 d) 500,000 (cost 200,000); B2 (−200 d) 50,000 (cost 10,000)
 *      → 550,000, cost 210,000, gross profit 340,000.
 *   C: C1 (−20 d) 100,000 + 2 × 50,000 = 200,000 (cost 40,000 + 20,000) → gross profit 140,000.
 *   D: D1 (−300 d) 300,000 (cost 100,000) → gross profit 200,000.
 *   E: E1 (−500 d) 50,000 (cost 10,000) → gross profit 40,000; E2 is cancelled, not counted.
 *
 * RFM (window 365 days; score = ⌈5 × cume_dist⌉ over the five customers):
 *   R by last purchase: E −500 (1/5 → 1), D −300 (2), B −100 (3), C −20 (4), A −10 (5).
 *   F by orders in window: E 0 (1/5 → 1); C, D 1 (3/5 → 3); A, B 2 (5/5 → 5).
 *   M by revenue in window: E 0 (1); C 200,000 (2); D 300,000 (3);
 *     A 180,000 + 300,000 + 100,000 − 90,000 = 490,000 (4); B 550,000 (5).
 *   Segments: A R5 F5 champions; B R3 F5 loyal; C R4 F3 potential_loyalist;
 *     D R2 F3 at_risk; E R1 F1 lost.
 *   Tiers by lifetime revenue, cume_dist descending: A 0.2 ≤ 20 % gold; B 0.4, D 0.6 ≤ 60 % silver;
 *     C 0.8, E 1.0 bronze.
 */
describe('customer analytics', () => {
  let server: TestServer;
  let admin: Auth;
  let rep: Auth;
  let noAnalytics: Auth;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('analytics', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const people = accessFactories(server, token);
    const team = await people.team();
    const repUser = await people.userWithToken('sales_rep', { teamIds: [team.id] });
    rep = repUser.auth;
    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          accounts: {
            create: 'none',
            read: 'all',
            update: 'none',
            delete: 'none',
            reassign: false,
          },
        },
      },
    });
    noAnalytics = (await people.userWithToken(role.id)).auth;
    const adminId = (
      await server.db.query<{ id: string }>(
        `SELECT id FROM users WHERE email = 'admin@example.com'`,
      )
    ).rows[0].id;
    await insertAnalyticsDataset(server.db, adminId, repUser.user.id);
    const refreshed = await server.http.post('/api/v1/analytics/refresh').set(admin).send();
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.valuesAsOf).toEqual(expect.any(String));
  });
  afterAll(async () => {
    await server.stop();
  });

  const get = (path: string, auth: Auth = admin) => server.http.get(path).set(auth);

  describe('RFM and tiers', () => {
    it('scores, names and tiers every customer as worked out by hand', async () => {
      const res = await get('/api/v1/analytics/rfm');
      expect(res.status).toBe(200);
      expect(res.body.dataAsOf).toEqual(expect.any(String));
      const rows = (res.body.data as Record<string, unknown>[]).map((r) => [
        r.accountName,
        r.score,
        r.segment,
        r.tier,
        (r.lifetimeRevenue as { amount: string }).amount,
        r.frequency,
        (r.monetary as { amount: string }).amount,
        r.recencyDays,
      ]);
      expect(rows).toEqual([
        ['Account A', '554', 'champions', 'gold', '790000', 2, '490000', 10],
        ['Account B', '355', 'loyal', 'silver', '550000', 2, '550000', 100],
        ['Account D', '233', 'at_risk', 'silver', '300000', 1, '300000', 300],
        ['Account C', '432', 'potential_loyalist', 'bronze', '200000', 1, '200000', 20],
        ['Account E', '111', 'lost', 'bronze', '50000', 0, '0', 500],
      ]);
      // Tiers: gold A 790,000; silver B + D = 850,000; bronze C + E = 250,000.
      expect(res.body.tiers).toEqual([
        { tier: 'bronze', customers: 2, revenue: idr('250000') },
        { tier: 'gold', customers: 1, revenue: idr('790000') },
        { tier: 'silver', customers: 2, revenue: idr('850000') },
      ]);
      expect(res.body.segments).toHaveLength(5);
    });

    it('filters by segment and pages with a cursor', async () => {
      const loyal = await get('/api/v1/analytics/rfm?segment=loyal');
      expect(loyal.body.data.map((r: { accountName: string }) => r.accountName)).toEqual([
        'Account B',
      ]);
      const first = await get('/api/v1/analytics/rfm?limit=2');
      expect(first.body.data).toHaveLength(2);
      const next = await get(`/api/v1/analytics/rfm?limit=2&cursor=${first.body.meta.nextCursor}`);
      expect(next.body.data.map((r: { accountName: string }) => r.accountName)).toEqual([
        'Account D',
        'Account C',
      ]);
    });

    it('shows a sales rep only the customers in their scope', async () => {
      const res = await get('/api/v1/analytics/rfm', rep);
      expect(res.status).toBe(200);
      expect(res.body.data.map((r: { accountName: string }) => r.accountName)).toEqual([
        'Account E',
      ]);
    });

    it('rejects unknown parameters, unknown segments and bad cursors', async () => {
      for (const query of ['bogus=1', 'segment=vip', 'limit=0', 'limit=501', 'cursor=abc']) {
        const res = await get(`/api/v1/analytics/rfm?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_query');
      }
    });

    it('needs the analytics grant', async () => {
      expect((await get('/api/v1/analytics/rfm', noAnalytics)).status).toBe(403);
      expect((await server.http.post('/api/v1/analytics/refresh').set(rep).send()).status).toBe(
        403,
      );
    });
  });

  describe('Pareto', () => {
    it('gives the top 40 % (2 of 5) and their shares of revenue and gross profit', async () => {
      // Revenue 790 + 550 + 200 + 300 + 50 = 1,890 thousand; top A + B = 1,340 → 0.7090.
      // Gross profit 510 + 340 + 140 + 200 + 40 = 1,230 thousand; top 850 → 0.6911.
      const res = await get('/api/v1/analytics/pareto?topPercent=40');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        topPercent: 40,
        customers: 5,
        topCustomers: 2,
        revenue: idr('1890000'),
        topRevenue: idr('1340000'),
        revenueShare: 0.709,
        grossProfit: idr('1230000'),
        topGrossProfit: idr('850000'),
        grossProfitShare: 0.6911,
        topTruncated: false,
      });
      expect(res.body.top.map((t: { accountName: string }) => t.accountName)).toEqual([
        'Account A',
        'Account B',
      ]);
    });

    it('rejects a share above 100 %, below 1 % or not a number', async () => {
      for (const q of ['topPercent=101', 'topPercent=0', 'topPercent=abc', 'top=20']) {
        expect((await get(`/api/v1/analytics/pareto?${q}`)).status).toBe(400);
      }
    });
  });

  describe('profitability', () => {
    it('builds A’s lifetime statement from its lines', async () => {
      // Gross sales 200,000 + 300,000 + 100,000 + 300,000 = 900,000; discounts 20,000;
      // returns 90,000 → net 790,000; product cost 280,000 → gross profit 510,000.
      // Acquisition: K1's actual cost 600,000 + 400,000 (the planned 5,000,000 does not count)
      //   shared by the 2 customers whose first order it is credited with (A, D) → 500,000.
      // Enhancement: K2's 300,000 over its 3 members → 100,000 for a1.
      // Retention: case 1.5 h × 100,000 = 150,000; call 1,800 s = 0.5 h × 100,000 = 50,000;
      //   field work 2 h × 200,000 = 400,000 → 600,000.
      // Profit 510,000 − 500,000 − 100,000 − 600,000 = −690,000.
      const res = await get(`/api/v1/analytics/profitability/${IDS.account('a')}`);
      expect(res.status).toBe(200);
      // Read live from the records (each ledger line points at one), so no read model age.
      expect(res.body.freshness).toMatchObject({ readModelAsOf: null, readModel: [] });
      expect(Date.now() - Date.parse(res.body.freshness.liveAsOf)).toBeLessThan(60_000);
      expect(res.body).toMatchObject({
        customer: { kind: 'account', id: IDS.account('a') },
        revenue: {
          grossSales: idr('900000'),
          discounts: idr('20000'),
          returns: idr('90000'),
          netRevenue: idr('790000'),
        },
        costs: {
          productCost: idr('280000'),
          costOfServing: idr('300000'),
          acquisition: idr('500000'),
          enhancement: idr('100000'),
          retention: idr('600000'),
        },
        grossProfit: idr('510000'),
        profit: idr('-690000'),
        linesTruncated: false,
      });
      const sources = (res.body.lines as { source: string }[]).map((l) => l.source).sort();
      // 5 order lines (A1 two and its credit, A2, A3), K1, K2, the case, the call, the work order.
      expect(sources).toEqual([
        'call',
        'campaign',
        'campaign',
        'case',
        'order_line',
        'order_line',
        'order_line',
        'order_line',
        'order_line',
        'work_order',
      ]);
    });

    it('limits the statement to a period', async () => {
      // The last 45 days: A1, A2 and the return; not A3 (−400 d) nor its acquisition.
      // Gross 600,000 − discounts 20,000 − returns 90,000 = 490,000; cost 80,000 + 100,000 +
      // 40,000 − 40,000 = 180,000; enhancement 100,000; retention 600,000 → −390,000.
      const from = new Date(Date.now() - 45 * 86_400_000).toISOString().slice(0, 10);
      const res = await get(`/api/v1/analytics/profitability/${IDS.contact('a')}?from=${from}`);
      expect(res.status).toBe(200);
      expect(res.body.customer).toEqual({ kind: 'contact', id: IDS.contact('a') });
      expect(res.body.revenue.netRevenue).toEqual(idr('490000'));
      expect(res.body.costs).toMatchObject({
        productCost: idr('180000'),
        acquisition: idr('0'),
        enhancement: idr('100000'),
      });
      expect(res.body.profit).toEqual(idr('-390000'));
    });

    it('lists every customer in scope with the same figures', async () => {
      const res = await get('/api/v1/analytics/profitability?limit=500');
      expect(res.status).toBe(200);
      const byId = new Map(
        (res.body.data as { accountId: string; profit: unknown; grossProfit: unknown }[]).map(
          (r) => [r.accountId, r],
        ),
      );
      expect(byId.size).toBe(5);
      expect(byId.get(IDS.account('a'))).toMatchObject({ profit: idr('-690000') });
      // D: gross profit 200,000 − its half of K1, 500,000 → −300,000.
      expect(byId.get(IDS.account('d'))).toMatchObject({
        grossProfit: idr('200000'),
        profit: idr('-300000'),
      });
      // B: 340,000 − K2's 100,000 for b1 (B1 is credited to K1 but is not B's first order).
      expect(byId.get(IDS.account('b'))).toMatchObject({ profit: idr('240000') });
      const mine = await get('/api/v1/analytics/profitability', rep);
      expect(mine.body.data.map((r: { accountId: string }) => r.accountId)).toEqual([
        IDS.account('e'),
      ]);
    });

    it('sums the whole book in one statement to the figures of its pages', async () => {
      const day = (ago: number) =>
        new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
      // Without a page the sources are summed per account before customers are picked; with
      // one they are narrowed first. Both must come to the same figures, in any period.
      const statement = async (
        from: string | null,
        page?: { after: string | null; limit: number },
      ) => {
        const p = new SqlParams();
        const sql = profitabilitySql(p, {
          currency: 'IDR',
          timeZone: 'UTC',
          from,
          to: day(0),
          serviceHourCost: '100000',
          caseHandlingHours: '1.5',
          fieldHourCost: '200000',
          customers: 'TRUE',
          lines: false,
          page,
        });
        return (await server.db.query<Record<string, string>>(sql, p.values)).rows;
      };
      for (const from of [null, day(50)]) {
        const book = await statement(from);
        const pages: Record<string, string>[] = [];
        for (let after: string | null = null; ;) {
          const rows = await statement(from, { after, limit: 2 });
          pages.push(...rows);
          if (rows.length < 2) break;
          after = rows[rows.length - 1].accountId;
        }
        expect(book.length).toBeGreaterThanOrEqual(5);
        expect(book).toEqual(pages);
      }
      // A by hand (lifetime): gross 2 × 100,000 + 300,000 + 100,000 + 300,000; 10 % off A1's
      // first line; one P1 returned for 90,000; product cost 280,000.
      const a = (await statement(null)).find((r) => r.accountId === IDS.account('a'))!;
      expect([a.gross_sales, a.discounts, a.returns, a.product_cost].map(Number)).toEqual([
        900_000, 20_000, 90_000, 280_000,
      ]);
    });

    it('answers 404 for unknown and out-of-scope customers, 400 for bad periods', async () => {
      const unknown = '0192f000-0000-7000-8000-000000000bad';
      expect((await get(`/api/v1/analytics/profitability/${unknown}`)).status).toBe(404);
      expect((await get(`/api/v1/analytics/profitability/${IDS.account('a')}`, rep)).status).toBe(
        404,
      );
      expect((await get('/api/v1/analytics/profitability/not-a-uuid')).status).toBe(400);
      for (const q of ['from=2026-02-30', 'from=2026-05-01&to=2026-04-01', 'period=1']) {
        const res = await get(`/api/v1/analytics/profitability/${IDS.account('a')}?${q}`);
        expect(res.status).toBe(400);
      }
      expect((await get('/api/v1/analytics/profitability?to=yesterday')).status).toBe(400);
      const lone = await get(`/api/v1/analytics/profitability/${IDS.loneContact}`);
      expect(lone.status).toBe(422);
      expect(lone.body.code).toBe('analytics_contact_without_account');
    });
  });

  describe('customer 360', () => {
    it('puts purchases, pipeline, service, marketing, RFM, profit, CLV and churn in one answer', async () => {
      const res = await get(`/api/v1/customers/${IDS.account('a')}/profile`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customer: { kind: 'account', id: IDS.account('a'), name: 'Account A' },
        currency: 'IDR',
        // 790,000 / 3 orders = 263,333.33, shown in whole rupiah as 263,333
        purchases: {
          orders: 3,
          lifetimeRevenue: idr('790000'),
          averageOrderValue: idr('263333'),
        },
        openOpportunities: { count: 1, amount: idr('1000000') },
        openCases: 1,
        lastContact: { channel: 'activity:meeting' },
        campaignResponses: { count: 1 },
        segments: [{ name: 'Key buyers' }],
        rfm: { score: '554', segment: 'champions', tier: 'gold' },
        profitability: { profit: idr('-690000') },
        preferences: null,
      });
      // CLV: m = 510,000 / (400 / 365) = 465,375; r = 0.5, d = 0.1:
      // 465,375 × 0.5 / 0.6 = 387,812.50 (a few seconds of tenure move the cents).
      expect(res.body.clv.model).toBe('retention');
      expect(Number(res.body.clv.annualMargin.amount)).toBeCloseTo(465375, -1);
      expect(Number(res.body.clv.value.amount)).toBeCloseTo(387812.5, -1);
      // Churn: recency 10/365 × 40 = 1.10; trend 2 recent vs 0 before → 0; one open complaint
      // 1/2 × 20 = 10; one SLA breach 1/2 × 15 = 7.5 → 18.6 → 19, low.
      expect(res.body.churnRisk).toEqual({
        score: 19,
        level: 'low',
        reasons: [
          { code: 'open_complaints', points: 10, value: 1 },
          { code: 'sla_breaches', points: 7.5, value: 1 },
          { code: 'recency', points: 1.1, value: 10 },
        ],
      });
      // Scores come from the read model as of its refresh; what counts per record is read now.
      expect(res.body.freshness).toMatchObject({
        readModelAsOf: res.body.dataAsOf,
        readModel: ['rfm', 'clv', 'churnRisk'],
      });
      expect(res.body.freshness.live).toEqual(
        expect.arrayContaining(['purchases', 'openCases', 'profitability']),
      );
      expect(Date.now() - Date.parse(res.body.freshness.liveAsOf)).toBeLessThan(60_000);
    });

    it('answers for a contact with its own purchases and preferences', async () => {
      const res = await get(`/api/v1/customers/${IDS.contact('c')}/profile`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customer: { kind: 'contact', id: IDS.contact('c') },
        account: { id: IDS.account('c'), name: 'Account C' },
        purchases: { orders: 1, lifetimeRevenue: idr('200000') },
        preferences: { contactId: IDS.contact('c'), topics: ['newsletter'] },
        rfm: { score: '432', segment: 'potential_loyalist' },
        segments: [],
      });
    });

    it('answers 404 outside the caller’s scope and for unknown ids, 403 without the grant', async () => {
      expect((await get(`/api/v1/customers/${IDS.account('a')}/profile`, rep)).status).toBe(404);
      expect((await get(`/api/v1/customers/${IDS.account('e')}/profile`, rep)).status).toBe(200);
      const unknown = '0192f000-0000-7000-8000-000000000bad';
      expect((await get(`/api/v1/customers/${unknown}/profile`)).status).toBe(404);
      expect((await get('/api/v1/customers/123/profile')).status).toBe(400);
      expect((await get(`/api/v1/customers/${IDS.account('a')}/profile`, noAnalytics)).status).toBe(
        403,
      );
    });
  });

  describe('cohorts', () => {
    it('counts each first-purchase cohort’s buyers month by month', async () => {
      // Each customer's first purchase falls in its own month (first purchases are at least
      // 80 days apart), so every cohort has one customer. A's cohort is the month of −400 d;
      // A bought again in the months of −40 d and −10 d.
      const month = (daysAgo: number) =>
        new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 7);
      const offset = (from: string, to: string) =>
        (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
        Number(to.slice(5)) -
        Number(from.slice(5));
      const res = await get(
        `/api/v1/analytics/cohorts?from=${month(500)}&to=${month(10)}&months=15`,
      );
      expect(res.status).toBe(200);
      expect(res.body.cohorts.map((c: { customers: number }) => c.customers)).toEqual([
        1, 1, 1, 1, 1,
      ]);
      const a = res.body.cohorts.find((c: { cohort: string }) => c.cohort === month(400));
      const expected = Array<number>(15).fill(0);
      for (const days of [400, 40, 10]) expected[offset(month(400), month(days))] = 1;
      expect(a.active).toEqual(expected);
      expect(a.retention[0]).toBe(1);
    });

    it('rejects missing, malformed and reversed months', async () => {
      for (const q of [
        '',
        'from=2026-01',
        'from=2026-13&to=2026-12',
        'from=2026-05&to=2026-01',
        'from=2026-01&to=2026-02&months=61',
      ]) {
        expect((await get(`/api/v1/analytics/cohorts?${q}`)).status).toBe(400);
      }
    });
  });

  describe('next best offer', () => {
    // Baskets (live orders): A1 {P1, P2}, A2 {P1}, A3 {P2}, B1 {P1}, B2 {P3}, C1 {P1, P3},
    // D1 {P2}, E1 {P3}: 8 baskets; P1 in 4, P2 in 3, P3 in 3; P1+P2 once, P1+P3 once.
    // P1→P2: support 1/8 = 0.125, confidence 1/4 = 0.25, lift 0.25 / (3/8) = 0.6667.
    // P2→P1 and P3→P1: confidence 1/3 = 0.3333, lift 0.3333 / (4/8) = 0.6667.
    it('offers products the customer does not own, by rule', async () => {
      const c = await get(`/api/v1/customers/${IDS.account('c')}/recommendations`);
      expect(c.status).toBe(200);
      expect(c.body.dataAsOf).toEqual(expect.any(String));
      expect(c.body.data).toEqual([
        expect.objectContaining({
          productId: IDS.product(2),
          sku: 'P2',
          confidence: 0.25,
          lift: 0.6666666667,
          support: 0.125,
          becauseOf: [IDS.product(1)],
        }),
      ]);
      const d = await get(`/api/v1/customers/${IDS.account('d')}/recommendations`);
      expect(d.body.data).toEqual([
        expect.objectContaining({ productId: IDS.product(1), confidence: 0.3333333333 }),
      ]);
    });

    it('leaves out what the contact’s preferences rule out', async () => {
      // c1 chose only the newsletter; P2's family is mapped to "offers".
      const res = await get(`/api/v1/customers/${IDS.contact('c')}/recommendations`);
      expect(res.status).toBe(200);
      expect(res.body.excludedFamilyIds).toEqual([IDS.familyF2]);
      expect(res.body.data).toEqual([]);
    });

    it('rejects bad input', async () => {
      expect(
        (await get(`/api/v1/customers/${IDS.account('c')}/recommendations?limit=101`)).status,
      ).toBe(400);
      expect((await get(`/api/v1/customers/${IDS.account('c')}/recommendations?x=1`)).status).toBe(
        400,
      );
      expect((await get(`/api/v1/customers/${IDS.account('c')}/recommendations`, rep)).status).toBe(
        404,
      );
    });
  });
});
