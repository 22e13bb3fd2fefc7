import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { salesFactories, writeSalesConfig, type SalesRecord } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

/** Reports in USD (the organization's own currency is IDR), so every other currency converts. */
const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
forecasting: { reportingCurrency: USD }
pipelines:
  - key: sales
    label: { en: New business }
    default: true
    stages:
      - { key: qualification, label: { en: Qualification }, probability: 10, kind: open }
      - { key: proposal, label: { en: Proposal }, probability: 50, kind: open }
      - { key: negotiation, label: { en: Negotiation }, probability: 80, kind: open }
      - { key: verbal, label: { en: Verbal yes }, probability: 75, kind: open, forecastCategory: commit }
      - { key: won, label: { en: Won }, probability: 100, kind: won, requiredFields: [amount] }
      - { key: lost, label: { en: Lost }, probability: 0, kind: lost }
  - key: renewals
    label: { en: Renewals }
    stages:
      - { key: upcoming, label: { en: Upcoming }, probability: 60, kind: open }
      - { key: renewed, label: { en: Renewed }, probability: 100, kind: won }
      - { key: churned, label: { en: Churned }, probability: 0, kind: lost }
`;

const money = (amount: string, currency: string) => ({ amount, currency });
type Auth = { authorization: string };
type Actor = { user: { id: string }; auth: Auth };

describe('forecasting', () => {
  let server: TestServer;
  let admin: Auth;
  let make: ReturnType<typeof salesFactories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('forecast', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
    people = accessFactories(server, token);
    // Rates on different dates; IDR converts to USD only through the USD→IDR rate, inverted.
    for (const [from, to, rate, validFrom] of [
      ['EUR', 'USD', '1.10', '2026-01-01'],
      ['EUR', 'USD', '1.20', '2026-04-01'],
      ['USD', 'IDR', '16000', '2026-01-01'],
    ])
      expect(
        (
          await server.http
            .post('/api/v1/exchange-rates')
            .set(admin)
            .send({ fromCurrency: from, toCurrency: to, rate, validFrom })
        ).status,
      ).toBe(201);
  });
  afterAll(async () => {
    await server.stop();
  });

  const addRate = async (
    fromCurrency: string,
    toCurrency: string,
    rate: string,
    validFrom: string,
  ) => {
    const res = await server.http
      .post('/api/v1/exchange-rates')
      .set(admin)
      .send({ fromCurrency, toCurrency, rate, validFrom });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };

  const weighted = (query: string, auth: Auth = admin) =>
    server.http.get(`/api/v1/forecasts/weighted?${query}`).set(auth);
  const statistical = (query: string, auth: Auth = admin) =>
    server.http.get(`/api/v1/forecasts/statistical?${query}`).set(auth);

  const fieldsOf = (res: { body: { errors?: { field: string; code: string }[] } }) =>
    (res.body.errors ?? []).map((e) => [e.field, e.code]);

  describe('exchange rates', () => {
    it('an admin adds, reads, corrects, deletes and restores a rate, each step in its history', async () => {
      const created = await server.http.post('/api/v1/exchange-rates').set(admin).send({
        fromCurrency: 'CHF',
        toCurrency: 'IDR',
        rate: '18500.25',
        validFrom: '2025-01-01',
      });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/exchange-rates/${created.body.id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        fromCurrency: 'CHF',
        toCurrency: 'IDR',
        rate: '18500.25',
        validFrom: '2025-01-01',
        version: 1,
      });
      const id = created.body.id as string;
      const read = await server.http.get(`/api/v1/exchange-rates/${id}`).set(admin);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');

      const stale = await server.http
        .patch(`/api/v1/exchange-rates/${id}`)
        .set(admin)
        .set('if-match', '"7"')
        .send({ rate: '18600' });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('precondition_failed');
      const corrected = await server.http
        .patch(`/api/v1/exchange-rates/${id}`)
        .set(admin)
        .set('if-match', '"1"')
        .send({ rate: '18600' });
      expect(corrected.status).toBe(200);
      expect(corrected.headers.etag).toBe('"2"');
      expect(corrected.body.rate).toBe('18600');
      // The same rate written another way is no change.
      const same = await server.http
        .patch(`/api/v1/exchange-rates/${id}`)
        .set(admin)
        .send({ rate: '18600.000' });
      expect(same.body.version).toBe(2);

      const staleDelete = await server.http
        .delete(`/api/v1/exchange-rates/${id}`)
        .set(admin)
        .set('if-match', '"1"');
      expect(staleDelete.status).toBe(412);
      const deleted = await server.http
        .delete(`/api/v1/exchange-rates/${id}`)
        .set(admin)
        .set('if-match', '"2"');
      expect(deleted.status).toBe(204);
      expect((await server.http.get(`/api/v1/exchange-rates/${id}`).set(admin)).status).toBe(404);
      const listed = await server.http
        .get('/api/v1/exchange-rates?filter[fromCurrency][eq]=CHF')
        .set(admin);
      expect(listed.body.data).toEqual([]);
      const restored = await server.http.post(`/api/v1/exchange-rates/${id}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.body.version).toBe(4);

      const history = await server.http.get(`/api/v1/exchange-rates/${id}/history`).set(admin);
      expect(history.status).toBe(200);
      expect(history.body.data.map((h: { action: string }) => h.action)).toEqual([
        'restore',
        'delete',
        'update',
        'create',
      ]);
      expect(history.body.data[2].changes).toEqual([
        { field: 'rate', old: '18500.25', new: '18600' },
      ]);
    });

    it('lists with filters, sort, fields and keyset pages', async () => {
      await addRate('NZD', 'IDR', '9800', '2025-02-01');
      await addRate('NZD', 'IDR', '9900', '2025-03-01');
      await addRate('NZD', 'IDR', '9700', '2025-04-01');
      const first = await server.http
        .get(
          '/api/v1/exchange-rates?filter[fromCurrency][eq]=NZD&filter[validFrom][gte]=2025-02-15&sort=validFrom&limit=1&fields=rate,validFrom',
        )
        .set(admin);
      expect(first.status).toBe(200);
      expect(first.body.data).toEqual([
        { id: expect.any(String), rate: '9900', validFrom: '2025-03-01' },
      ]);
      const second = await server.http
        .get(
          `/api/v1/exchange-rates?filter[fromCurrency][eq]=NZD&filter[validFrom][gte]=2025-02-15&sort=validFrom&limit=1&fields=rate,validFrom&cursor=${first.body.meta.nextCursor}`,
        )
        .set(admin);
      expect(second.body.data.map((r: { rate: string }) => r.rate)).toEqual(['9700']);
      expect(second.body.meta.nextCursor).toBeNull();
      const byDefault = await server.http
        .get('/api/v1/exchange-rates?q=nzd/idr&count=exact')
        .set(admin);
      expect(byDefault.body.data.map((r: { validFrom: string }) => r.validFrom)).toEqual([
        '2025-04-01',
        '2025-03-01',
        '2025-02-01',
      ]);
      expect(byDefault.body.meta.total).toBe(3);
      const bad = await server.http
        .get('/api/v1/exchange-rates?filter[note][eq]=x&fields=secret')
        .set(admin);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_query');
    });

    it('refuses bad rates with a 400 naming each field', async () => {
      const post = (body: Record<string, unknown>) =>
        server.http.post('/api/v1/exchange-rates').set(admin).send(body);
      const missing = await post({});
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing)).toEqual([
        ['fromCurrency', 'required'],
        ['toCurrency', 'required'],
        ['rate', 'required'],
        ['validFrom', 'required'],
      ]);
      const ok = { fromCurrency: 'USD', toCurrency: 'IDR', rate: '16000', validFrom: '2024-06-01' };
      for (const rate of ['0', '0.000', '-16000', 'abc', '1e5', '1234567890123', '1.1234567890123'])
        expect(fieldsOf(await post({ ...ok, rate }))).toEqual([['rate', 'positiveDecimal']]);
      expect(fieldsOf(await post({ ...ok, rate: 16000 }))).toEqual(
        expect.arrayContaining([['rate', 'isString']]),
      );
      for (const fromCurrency of ['usd', 'XYZ', 'US', 'DOLLARS'])
        expect(fieldsOf(await post({ ...ok, fromCurrency }))).toEqual([
          ['fromCurrency', 'isCurrency'],
        ]);
      expect(fieldsOf(await post({ ...ok, validFrom: '2024-02-30' }))).toEqual([
        ['validFrom', 'isDate'],
      ]);
      expect(fieldsOf(await post({ ...ok, validFrom: '2024-06-01T00:00:00Z' }))).toEqual([
        ['validFrom', 'isDate'],
      ]);
      const same = await post({ ...ok, toCurrency: 'USD' });
      expect(fieldsOf(same)).toEqual([['toCurrency', 'differentCurrency']]);
      expect(same.body.errors[0].message).toBe('must differ from USD');
      expect(fieldsOf(await post({ ...ok, note: 'x', id: randomUUID() }))).toEqual([
        ['note', 'unknownField'],
        ['id', 'serverOwned'],
      ]);
      const indonesian = await post({ ...ok, rate: '-1' }).set('accept-language', 'id');
      expect(indonesian.body.errors[0].message).toContain('lebih dari 0');
      const list = await server.http
        .get('/api/v1/exchange-rates?filter[validFrom][eq]=2024-06-01')
        .set(admin);
      expect(list.body.data).toEqual([]);
    });

    it('keeps one live rate per pair and day: a second one is 409, also by PATCH or restore', async () => {
      const first = await addRate('AUD', 'IDR', '10500', '2025-05-01');
      const again = await server.http
        .post('/api/v1/exchange-rates')
        .set(admin)
        .send({ fromCurrency: 'AUD', toCurrency: 'IDR', rate: '10600', validFrom: '2025-05-01' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'unique_violation', existingId: first.id });
      // The opposite pair on the same day is another rate.
      await addRate('IDR', 'AUD', '0.0000952', '2025-05-01');
      const other = await addRate('AUD', 'IDR', '10550', '2025-05-02');
      const moved = await server.http
        .patch(`/api/v1/exchange-rates/${other.id}`)
        .set(admin)
        .send({ validFrom: '2025-05-01' });
      expect(moved.status).toBe(409);
      const flipped = await server.http
        .patch(`/api/v1/exchange-rates/${other.id}`)
        .set(admin)
        .send({ toCurrency: 'AUD' });
      expect(fieldsOf(flipped)).toEqual([['toCurrency', 'differentCurrency']]);
      expect(
        (await server.http.delete(`/api/v1/exchange-rates/${first.id}`).set(admin)).status,
      ).toBe(204);
      await addRate('AUD', 'IDR', '10650', '2025-05-01');
      const restore = await server.http
        .post(`/api/v1/exchange-rates/${first.id}/restore`)
        .set(admin);
      expect(restore.status).toBe(409);
    });

    it('lets every signed-in user read rates, and only admins write them', async () => {
      const rep = await people.userWithToken('sales_rep');
      const rate = await addRate('HKD', 'IDR', '2050', '2025-06-01');
      expect((await server.http.get('/api/v1/exchange-rates').set(rep.auth)).status).toBe(200);
      expect(
        (await server.http.get(`/api/v1/exchange-rates/${rate.id}`).set(rep.auth)).status,
      ).toBe(200);
      const writes = [
        server.http
          .post('/api/v1/exchange-rates')
          .send({ fromCurrency: 'HKD', toCurrency: 'IDR', rate: '1', validFrom: '2025-06-02' }),
        server.http.patch(`/api/v1/exchange-rates/${rate.id}`).send({ rate: '1' }),
        server.http.delete(`/api/v1/exchange-rates/${rate.id}`),
        server.http.post(`/api/v1/exchange-rates/${rate.id}/restore`),
        server.http.get(`/api/v1/exchange-rates/${rate.id}/history`),
      ];
      for (const req of writes) {
        const res = await req.set(rep.auth);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect((await server.http.get('/api/v1/exchange-rates')).status).toBe(401);
      expect(
        (await server.http.get('/api/v1/exchange-rates/not-a-uuid').set(admin)).body.code,
      ).toBe('invalid_id');
      const unchanged = await server.http.get(`/api/v1/exchange-rates/${rate.id}`).set(admin);
      expect(unchanged.body).toMatchObject({ rate: '2050', version: 1 });
    });

    it('finds the rate of a day: latest on or before it, inverse when only the other way is on file', async () => {
      await addRate('CAD', 'IDR', '11000', '2025-07-01');
      await addRate('CAD', 'IDR', '11500', '2025-08-01');
      await addRate('IDR', 'CAD', '0.00008', '2025-09-01');
      const on = (query: string) =>
        server.http.get(`/api/v1/exchange-rates/effective?${query}`).set(admin);
      expect((await on('from=CAD&to=IDR&date=2025-07-31')).body).toMatchObject({
        rate: '11000',
        inverse: false,
        validFrom: '2025-07-01',
      });
      expect((await on('from=CAD&to=IDR&date=2025-08-01')).body.rate).toBe('11500');
      // The IDR→CAD rate of 2025-09-01 is newer than any CAD→IDR: 1 / 0.00008 = 12500.
      expect((await on('from=CAD&to=IDR&date=2025-12-31')).body).toMatchObject({
        rate: '12500',
        inverse: true,
        validFrom: '2025-09-01',
      });
      expect((await on('from=IDR&to=CAD&date=2025-07-15')).body).toMatchObject({
        rate: '0.000090909090909090909091',
        inverse: true,
      });
      expect((await on('from=CAD&to=CAD&date=2025-07-15')).body).toMatchObject({
        rate: '1',
        exchangeRateId: null,
      });
      const before = await on('from=CAD&to=IDR&date=2025-06-30');
      expect(before.status).toBe(404);
      expect(before.body.code).toBe('exchange_rate_missing');
      expect(before.body.detail).toContain('CAD to IDR on 2025-06-30');
      const bad = await on('from=cad&date=2025-13-01&at=now');
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toEqual([
        ['at', 'unknownField'],
        ['from', 'isCurrency'],
        ['to', 'required'],
        ['date', 'isDate'],
      ]);
    });
  });

  describe('forecast categories on opportunities', () => {
    it('follow probability and stage, take an override while open, and close with the deal', async () => {
      const o = await make.opportunity({ amount: money('100', 'USD') });
      expect(o).toMatchObject({ forecastCategory: 'pipeline', forecastCategoryOverride: null });
      expect((await make.move(o.id, { probability: 95 })).body.forecastCategory).toBe('commit');
      expect((await make.move(o.id, { stage: 'proposal' })).body).toMatchObject({
        probability: 50,
        forecastCategory: 'best_case',
      });
      // The stage's own category wins over its probability (75, below commit).
      expect((await make.move(o.id, { stage: 'verbal' })).body.forecastCategory).toBe('commit');
      const overridden = await make.move(o.id, { forecastCategoryOverride: 'omitted' });
      expect(overridden.body).toMatchObject({
        forecastCategory: 'omitted',
        forecastCategoryOverride: 'omitted',
      });
      expect(
        (await make.move(o.id, { forecastCategoryOverride: null })).body.forecastCategory,
      ).toBe('commit');
      const bad = await make.move(o.id, { forecastCategoryOverride: 'closed' });
      expect(fieldsOf(bad)).toEqual([['forecastCategoryOverride', 'isIn']]);
      const serverOwned = await make.move(o.id, { forecastCategory: 'commit' });
      expect(fieldsOf(serverOwned)).toEqual([['forecastCategory', 'unknownField']]);

      await make.move(o.id, { forecastCategoryOverride: 'pipeline' });
      const won = await make.move(o.id, { stage: 'won' });
      expect(won.body).toMatchObject({
        forecastCategory: 'closed',
        forecastCategoryOverride: null,
      });
      const onClosed = await make.move(o.id, { forecastCategoryOverride: 'commit' });
      expect(onClosed.status).toBe(400);
      expect(fieldsOf(onClosed)).toEqual([['forecastCategoryOverride', 'openOnly']]);
      const lost = await make.opportunity({ stage: 'lost', lostReason: 'price' });
      expect(lost.forecastCategory).toBe('omitted');

      const listed = await server.http
        .get(`/api/v1/opportunities?filter[forecastCategory][eq]=closed&filter[id][eq]=${o.id}`)
        .set(admin);
      expect(listed.body.data.map((r: SalesRecord) => r.id)).toEqual([o.id]);
      const history = await server.http.get(`/api/v1/opportunities/${o.id}/history`).set(admin);
      expect(history.body.data[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'forecastCategory', old: 'pipeline', new: 'closed' },
          { field: 'forecastCategoryOverride', old: 'pipeline', new: null },
        ]),
      );
    });
  });

  describe('weighted forecast', () => {
    let teamA: { id: string };
    let teamB: { id: string };
    let repA: Actor;
    let repA2: Actor;
    let repB: Actor;
    let ids: Record<string, string>;

    beforeAll(async () => {
      teamA = await people.team();
      teamB = await people.team();
      repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repA2 = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      const mine = (fields: Record<string, unknown>) =>
        make.opportunity({ ownerId: repA.user.id, teamId: teamA.id, ...fields });
      const made = {
        a: await mine({ amount: money('1000.00', 'USD'), expectedCloseDate: '2026-02-10' }),
        b: await mine({
          amount: money('333.33', 'EUR'),
          stage: 'proposal',
          expectedCloseDate: '2026-03-15',
        }),
        c: await mine({
          amount: money('500.00', 'EUR'),
          stage: 'proposal',
          expectedCloseDate: '2026-04-15',
        }),
        d: await mine({
          amount: money('32000000.00', 'IDR'),
          stage: 'negotiation',
          forecastCategoryOverride: 'commit',
          expectedCloseDate: '2026-05-20',
        }),
        e: await mine({
          amount: money('3000', 'USD'),
          stage: 'verbal',
          expectedCloseDate: '2026-01-20',
        }),
        f: await mine({
          amount: money('2000', 'USD'),
          stage: 'won',
          expectedCloseDate: '2026-03-31',
        }),
        g: await mine({
          amount: money('700', 'SGD'),
          stage: 'proposal',
          expectedCloseDate: '2026-02-01',
        }),
        h: await mine({
          amount: money('400', 'USD'),
          forecastCategoryOverride: 'omitted',
          expectedCloseDate: '2026-06-01',
        }),
        lost: await mine({
          amount: money('999', 'USD'),
          stage: 'lost',
          lostReason: 'price',
          expectedCloseDate: '2026-02-01',
        }),
        later: await mine({ amount: money('5000', 'USD'), expectedCloseDate: '2026-08-01' }),
        noAmount: await mine({ expectedCloseDate: '2026-01-05' }),
        deleted: await mine({ amount: money('10000', 'USD'), expectedCloseDate: '2026-02-02' }),
        undated: await mine({ amount: money('777', 'USD') }),
      };
      await server.http.delete(`/api/v1/opportunities/${made.deleted.id}`).set(admin);
      ids = Object.fromEntries(Object.entries(made).map(([k, v]) => [k, v.id]));
    });

    const category = (count: number, amount: string, weighted: string) => ({
      count,
      amount,
      weighted,
    });

    it('sums each quarter by category in the reporting currency, by the rate of each close date', async () => {
      const res = await weighted(
        `period=quarter&from=2026-01-01&to=2026-06-30&ownerId=${repA.user.id}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        reportingCurrency: 'USD',
        period: 'quarter',
        from: '2026-01-01',
        to: '2026-06-30',
        groupBy: null,
      });
      const [q1, q2] = res.body.periods;
      expect(res.body.periods).toHaveLength(2);
      // Q1: e commit 3000 (weighted 75 %); b 333.33 EUR × 1.10 = 366.663 at 50 %; a 1000 at
      // 10 % and the amountless one in pipeline; f won 2000; g in SGD has no rate.
      expect(q1).toEqual({
        key: '2026-Q1',
        start: '2026-01-01',
        end: '2026-03-31',
        commit: category(1, '3000.00', '2250.00'),
        bestCase: category(1, '366.66', '183.33'),
        pipeline: category(2, '1000.00', '100.00'),
        omitted: category(0, '0.00', '0.00'),
        closedWon: { count: 1, amount: '2000.00' },
        totals: {
          commit: '5000.00',
          bestCase: '5366.66',
          openPipeline: '4366.66',
          weighted: '4533.33',
        },
        unconverted: 1,
        groups: [],
      });
      // Q2: d 32,000,000 IDR / 16000 = 2000 overridden to commit at 80 %; c 500 EUR × 1.20
      // (the April rate) at 50 %; h omitted by its owner.
      expect(q2).toMatchObject({
        key: '2026-Q2',
        commit: category(1, '2000.00', '1600.00'),
        bestCase: category(1, '600.00', '300.00'),
        pipeline: category(0, '0.00', '0.00'),
        omitted: category(1, '400.00', '40.00'),
        closedWon: { count: 0, amount: '0.00' },
        totals: {
          commit: '2000.00',
          bestCase: '2600.00',
          openPipeline: '2600.00',
          weighted: '1900.00',
        },
        unconverted: 0,
      });
      expect(res.body.total).toMatchObject({
        commit: category(2, '5000.00', '3850.00'),
        bestCase: category(2, '966.66', '483.33'),
        pipeline: category(2, '1000.00', '100.00'),
        omitted: category(1, '400.00', '40.00'),
        closedWon: { count: 1, amount: '2000.00' },
        totals: {
          commit: '7000.00',
          bestCase: '7966.66',
          openPipeline: '6966.66',
          weighted: '6433.33',
        },
        unconverted: 1,
      });
      expect(res.body.missingRates).toEqual([
        {
          currency: 'SGD',
          earliestDate: '2026-02-01',
          latestDate: '2026-02-01',
          count: 1,
          amount: '700.00',
          opportunityIds: [ids.g],
        },
      ]);
    });

    it('by month, every month of the range, cut to from and to', async () => {
      const res = await weighted(
        `period=month&from=2026-01-10&to=2026-06-30&ownerId=${repA.user.id}`,
      );
      expect(res.status).toBe(200);
      const periods = res.body.periods as Record<string, unknown>[];
      expect(periods.map((p) => [p.key, p.start, p.end])).toEqual([
        ['2026-01', '2026-01-10', '2026-01-31'],
        ['2026-02', '2026-02-01', '2026-02-28'],
        ['2026-03', '2026-03-01', '2026-03-31'],
        ['2026-04', '2026-04-01', '2026-04-30'],
        ['2026-05', '2026-05-01', '2026-05-31'],
        ['2026-06', '2026-06-01', '2026-06-30'],
      ]);
      // The amountless opportunity of January 5 is before `from` now.
      expect(periods[0].commit).toEqual(category(1, '3000.00', '2250.00'));
      expect(periods[0].pipeline).toEqual(category(0, '0.00', '0.00'));
      expect(periods[1].pipeline).toEqual(category(1, '1000.00', '100.00'));
      expect(periods[1].unconverted).toBe(1);
      expect(periods[2].closedWon).toEqual({ count: 1, amount: '2000.00' });
      expect(periods[3].bestCase).toEqual(category(1, '600.00', '300.00'));
      expect(periods[4].commit).toEqual(category(1, '2000.00', '1600.00'));
      expect(periods[5].omitted).toEqual(category(1, '400.00', '40.00'));
    });

    it('places a won opportunity without an expected close date on the day it closed', async () => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(
        new Date(),
      );
      await make.move(ids.undated, { stage: 'won' });
      const res = await weighted(`from=${today}&to=${today}&ownerId=${repA.user.id}`);
      expect(res.body.total.closedWon).toEqual({ count: 1, amount: '777.00' });
    });

    describe('groups and scope', () => {
      let noTeam: SalesRecord;

      beforeAll(async () => {
        const renewal = (owner: Actor, teamId: string, amount: string, day: string) =>
          make.opportunity({
            pipeline: 'renewals',
            ownerId: owner.user.id,
            teamId,
            amount: money(amount, 'USD'),
            expectedCloseDate: day,
          });
        await renewal(repA, teamA.id, '100', '2026-07-10');
        await renewal(repA2, teamA.id, '200', '2026-07-20');
        await renewal(repB, teamB.id, '300', '2026-08-05');
        noTeam = await make.opportunity({
          pipeline: 'renewals',
          amount: money('50', 'USD'),
          expectedCloseDate: '2026-09-30',
        });
      });

      const q3 = 'period=quarter&from=2026-07-01&to=2026-09-30&pipeline=renewals';
      const keysAndAmounts = (groups: { key: string | null; bestCase: { amount: string } }[]) =>
        groups.map((g) => [g.key, g.bestCase.amount]);

      it('groups by owner, team and pipeline', async () => {
        const byOwner = await weighted(`${q3}&groupBy=owner`);
        expect(byOwner.status).toBe(200);
        const owners = [
          [repA.user.id, '100.00'],
          [repA2.user.id, '200.00'],
          [repB.user.id, '300.00'],
          [noTeam.ownerId as string, '50.00'],
        ].sort((x, y) => (x[0] < y[0] ? -1 : 1));
        expect(keysAndAmounts(byOwner.body.periods[0].groups)).toEqual(owners);
        expect(keysAndAmounts(byOwner.body.total.groups)).toEqual(owners);
        // Renewals are 60 %: best case, weighted at 60 %.
        expect(byOwner.body.total.bestCase).toEqual(category(4, '650.00', '390.00'));

        const byTeam = await weighted(`${q3}&groupBy=team`);
        const teams: [string | null, string][] = [
          [teamA.id, '300.00'],
          [teamB.id, '300.00'],
        ];
        teams.sort((x, y) => (x[0]! < y[0]! ? -1 : 1)).push([null, '50.00']);
        expect(keysAndAmounts(byTeam.body.total.groups)).toEqual(teams);

        const byPipeline = await weighted(
          `period=quarter&from=2026-01-01&to=2026-09-30&groupBy=pipeline&ownerId=${repA.user.id}`,
        );
        expect(
          byPipeline.body.total.groups.map(
            (g: { key: string; totals: { openPipeline: string } }) => [
              g.key,
              g.totals.openPipeline,
            ],
          ),
        ).toEqual([
          ['renewals', '100.00'],
          ['sales', '11966.66'],
        ]);
      });

      it("counts only what the caller may read: a rep sees the team's deals, never another team's", async () => {
        const forA2 = await weighted(`${q3}&groupBy=owner`, repA2.auth);
        expect(forA2.status).toBe(200);
        expect(forA2.body.total.bestCase.amount).toBe('300.00');
        expect(forA2.body.total.groups.map((g: { key: string }) => g.key).sort()).toEqual(
          [repA.user.id, repA2.user.id].sort(),
        );
        const forB = await weighted(q3, repB.auth);
        expect(forB.body.total.bestCase).toEqual(category(1, '300.00', '180.00'));
        const peeking = await weighted(`${q3}&ownerId=${repA.user.id}`, repB.auth);
        expect(peeking.status).toBe(200);
        expect(peeking.body.total.bestCase.count).toBe(0);
        const salesForB = await weighted(
          `from=2026-01-01&to=2026-06-30&ownerId=${repA.user.id}`,
          repB.auth,
        );
        expect(salesForB.body.total.totals.weighted).toBe('0.00');
        expect(salesForB.body.missingRates).toEqual([]);
      });

      it('answers 403 to a role that may not read opportunities or cannot see their amounts', async () => {
        const marketing = await people.userWithToken('marketing');
        const refused = await weighted(q3, marketing.auth);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('forbidden');
        const role = await people.role({
          permissions: {
            entities: { opportunities: { read: 'all' } },
            fields: { opportunities: { amount: 'hidden' } },
          },
        });
        const blind = await people.userWithToken(role.id);
        const hidden = await weighted(q3, blind.auth);
        expect(hidden.status).toBe(403);
        expect(hidden.body.code).toBe('report_field_hidden');
        expect(hidden.body.detail).toContain('amount');
        expect((await statistical('asOf=2026-07-15', blind.auth)).status).toBe(403);
        // The same role still reads the opportunity itself, without the amount.
        const one = await server.http.get(`/api/v1/opportunities/${noTeam.id}`).set(blind.auth);
        expect(one.status).toBe(200);
        expect(one.body.amount).toBeUndefined();
      });
    });

    it('refuses bad parameters with a 400 naming each', async () => {
      const bad = async (query: string, expected: [string, string][]) => {
        const res = await weighted(query);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_query');
        expect(fieldsOf(res)).toEqual(expected);
        return res;
      };
      await bad('', [
        ['from', 'required'],
        ['to', 'required'],
      ]);
      await bad('from=2026-02-30&to=soon', [
        ['from', 'isDate'],
        ['to', 'isDate'],
      ]);
      await bad('period=week&from=2026-01-01&to=2026-01-31', [['period', 'isIn']]);
      const reversed = await bad('from=2026-03-01&to=2026-02-01', [['to', 'min']]);
      expect(reversed.body.errors[0].message).toBe('must not be before from (2026-03-01)');
      await bad('period=month&from=2026-01-01&to=2029-01-31', [['to', 'max']]);
      expect((await weighted('period=quarter&from=2026-01-01&to=2029-01-31')).status).toBe(200);
      await bad('from=2026-01-01&to=2026-01-31&colour=red', [['colour', 'unknownField']]);
      await bad('from=2026-01-01&to=2026-01-31&filter[stage][eq]=won', [
        ['filter[stage][eq]', 'unknownField'],
      ]);
      await bad('period=month&period=quarter&from=2026-01-01&to=2026-01-31', [['period', 'once']]);
      await bad(`from=2026-01-01&to=2026-01-31&pipeline=${'a'.repeat(101)}`, [
        ['pipeline', 'maxLength'],
      ]);
      await bad('from=2026-01-01&to=2026-01-31&pipeline=Not-A-Key', [['pipeline', 'matches']]);
      await bad('from=2026-01-01&to=2026-01-31&pipeline=nope', [['pipeline', 'isIn']]);
      await bad('from=2026-01-01&to=2026-01-31&groupBy=region', [['groupBy', 'isIn']]);
      await bad('from=2026-01-01&to=2026-01-31&ownerId=42&teamId=x', [
        ['ownerId', 'isUuid'],
        ['teamId', 'isUuid'],
      ]);
      const indonesian = await weighted('from=2026-01-01&to=2026-01-31&groupBy=region').set(
        'accept-language',
        'id',
      );
      expect(indonesian.body.errors[0].message).toBe(
        'harus salah satu dari: owner, team, pipeline',
      );
      expect((await server.http.get('/api/v1/forecasts/weighted?from=2026-01-01')).status).toBe(
        401,
      );
    });
  });

  describe('statistical forecast', () => {
    let rep: Actor;
    let outsider: Actor;

    beforeAll(async () => {
      rep = await people.userWithToken('sales_rep');
      outsider = await people.userWithToken('sales_rep', { teamIds: [(await people.team()).id] });
      const deal = (amount: string, currency: string, day: string, stage = 'won') =>
        make.opportunity({
          ownerId: rep.user.id,
          teamId: null,
          amount: money(amount, currency),
          stage,
          expectedCloseDate: day,
          ...(stage === 'lost' ? { lostReason: 'price' } : {}),
        });
      // Won per month: Feb 2000, Mar 4000 (the SGD deal has no rate), Apr 5000 (2000 USD +
      // 2500 EUR × 1.20), May 4000, Jun 5000; the lost and the open deal of June and the July
      // deal do not count. January has none and comes before the first won deal.
      await deal('2000', 'USD', '2026-02-14');
      await deal('4000', 'USD', '2026-03-03');
      await deal('900', 'SGD', '2026-03-09');
      await deal('2000', 'USD', '2026-04-30');
      await deal('2500', 'EUR', '2026-04-02');
      await deal('4000', 'USD', '2026-05-31');
      await deal('5000', 'USD', '2026-06-01');
      await deal('8000', 'USD', '2026-06-15', 'lost');
      await deal('9000', 'USD', '2026-06-20', 'proposal');
      await deal('7000', 'USD', '2026-07-01');
    });

    it('fits the won amount per month and predicts the next ones with a 95 % interval', async () => {
      const res = await statistical(`asOf=2026-07-15&history=6&horizon=2&ownerId=${rep.user.id}`);
      expect(res.status).toBe(200);
      // y = 2000, 4000, 5000, 4000, 5000 over x = 1..5: x̄ 3, ȳ 4000, Sxx 10, Sxy 6000 →
      // slope 600, intercept 2200; SSE 2.4e6, SST 6e6 → R² 0.6; s = √(2.4e6 / 3) = 894.43.
      expect(res.body).toMatchObject({
        reportingCurrency: 'USD',
        period: 'month',
        asOf: '2026-07-15',
        history: 6,
        horizon: 2,
        periodsUsed: 5,
        slope: '600.00',
        intercept: '2200.00',
        rSquared: 0.6,
        standardError: '894.43',
        confidence: 0.95,
      });
      expect(
        res.body.points.map((p: { key: string; actual: string; fitted: string }) => [
          p.key,
          p.actual,
          p.fitted,
        ]),
      ).toEqual([
        ['2026-02', '2000.00', '2800.00'],
        ['2026-03', '4000.00', '3400.00'],
        ['2026-04', '5000.00', '4000.00'],
        ['2026-05', '4000.00', '4600.00'],
        ['2026-06', '5000.00', '5200.00'],
      ]);
      // x = 6: 5800 ± t · s · √(1 + 1/5 + 9/10) = 5800 ± 3.1824463 · 894.42719 · 1.4491377
      // = 5800 ± 4124.92; x = 7: 6400 ± t · s · √(1 + 1/5 + 16/10) = 6400 ± 4763.05.
      expect(res.body.predictions).toEqual([
        {
          key: '2026-07',
          start: '2026-07-01',
          end: '2026-07-31',
          predicted: '5800.00',
          lower: '1675.08',
          upper: '9924.92',
        },
        {
          key: '2026-08',
          start: '2026-08-01',
          end: '2026-08-31',
          predicted: '6400.00',
          lower: '1636.95',
          upper: '11163.05',
        },
      ]);
      expect(res.body.missingRates).toEqual([
        expect.objectContaining({ currency: 'SGD', earliestDate: '2026-03-09', count: 1 }),
      ]);
    });

    it('explains rather than fits when fewer than 3 periods of history exist', async () => {
      // By quarter the history is 2026-Q1 and Q2 only: the deals started in February.
      const quarters = await statistical(`period=quarter&asOf=2026-07-15&ownerId=${rep.user.id}`);
      expect(quarters.status).toBe(422);
      expect(quarters.body.code).toBe('insufficient_history');
      expect(quarters.body.detail).toContain('covers only 2 quarters up to 2026-06-30');
      const none = await statistical(`asOf=2026-07-15&ownerId=${rep.user.id}`, outsider.auth);
      expect(none.status).toBe(422);
      expect(none.body.detail).toContain('covers only 0 months');
      const indonesian = await statistical(
        `period=quarter&asOf=2026-07-15&ownerId=${rep.user.id}`,
      ).set('accept-language', 'id');
      expect(indonesian.body.detail).toContain('2 kuartal');
    });

    it('refuses bad parameters with a 400 naming each', async () => {
      const bad = async (query: string, expected: [string, string][]) => {
        const res = await statistical(query);
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toEqual(expected);
      };
      await bad('history=2', [['history', 'min']]);
      await bad('history=61&horizon=0', [
        ['history', 'max'],
        ['horizon', 'min'],
      ]);
      await bad('history=twelve&horizon=2.5', [
        ['history', 'isInt'],
        ['horizon', 'isInt'],
      ]);
      await bad('horizon=25&asOf=yesterday', [
        ['horizon', 'max'],
        ['asOf', 'isDate'],
      ]);
      await bad('groupBy=owner&from=2026-01-01', [
        ['groupBy', 'unknownField'],
        ['from', 'unknownField'],
      ]);
      await bad('period=year&history=3&history=4', [
        ['period', 'isIn'],
        ['history', 'once'],
      ]);
    });
  });
});
