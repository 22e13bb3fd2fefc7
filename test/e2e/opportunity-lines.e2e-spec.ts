import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, salesFactories, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
forecasting: { reportingCurrency: IDR }
pipelines:
  - key: sales
    label: { en: New business }
    default: true
    stages:
      - { key: qualification, label: { en: Qualification }, probability: 10, kind: open }
      - { key: proposal, label: { en: Proposal }, probability: 50, kind: open }
      - { key: won, label: { en: Won }, probability: 100, kind: won, requiredFields: [amount] }
      - { key: lost, label: { en: Lost }, probability: 0, kind: lost }
  - key: lines
    label: { en: Lines board }
    stages:
      - { key: early, label: { en: Early }, probability: 50, kind: open }
      - { key: done, label: { en: Done }, probability: 100, kind: won }
      - { key: gone, label: { en: Gone }, probability: 0, kind: lost }
`;

type Auth = { authorization: string };
type Line = Record<string, unknown> & { id: string; version: number };

describe('opportunity lines', () => {
  let server: TestServer;
  let admin: Auth;
  let make: ReturnType<typeof salesFactories>;
  let catalog: ReturnType<typeof catalogFactories>;
  let people: ReturnType<typeof accessFactories>;
  let standard: { id: string };
  let laptop: { id: string };
  let support: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('opp-lines', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
    catalog = catalogFactories(server, admin);
    people = accessFactories(server, token);
    standard = await catalog.priceBook({ name: 'Standard IDR', isStandard: true });
    laptop = await catalog.product({ name: { en: 'Laptop' } });
    support = await catalog.product({ name: { en: 'Support' }, taxCategory: 'exempt' });
    await catalog.entry(standard.id, laptop.id, '10000000.00');
    await catalog.entry(standard.id, laptop.id, '9000000.00', { minQuantity: '10' });
    await catalog.entry(standard.id, support.id, '1500000.00');
  });
  afterAll(async () => {
    await server.stop();
  });

  const addLine = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/opportunity-lines').set(auth).send(body);
  const opportunityOf = async (id: string) =>
    (await server.http.get(`/api/v1/opportunities/${id}`).set(admin)).body as Record<
      string,
      unknown
    > & { version: number };

  it('prices a line from the price books, discounts it, and makes the opportunity worth its lines', async () => {
    const deal = await make.opportunity({ amount: { amount: '5.00', currency: 'IDR' } });
    const first = await addLine({ opportunityId: deal.id, productId: laptop.id, quantity: '2' });
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/opportunity-lines/${first.body.id}`);
    expect(first.body).toMatchObject({
      opportunityId: deal.id,
      productId: laptop.id,
      configurationId: null,
      quantity: '2',
      unitPrice: { amount: '10000000.00', currency: 'IDR' },
      discountPercent: '0',
      total: { amount: '20000000', currency: 'IDR' },
      ownerId: deal.ownerId,
    });
    // The volume tier applies from 10 on; a discount of 12.5 % comes off the unit price.
    const second = await addLine({
      opportunityId: deal.id,
      productId: laptop.id,
      quantity: '10',
      discountPercent: '12.5',
      position: 2,
    });
    expect(second.body.unitPrice.amount).toBe('9000000.00');
    expect(second.body.total.amount).toBe('78750000');
    // Null stands for "not given" where a field has a default.
    const defaults = await addLine({
      opportunityId: deal.id,
      productId: support.id,
      quantity: '1',
      discountPercent: null,
      position: null,
      unitPrice: null,
    });
    expect(defaults.status).toBe(201);
    expect(defaults.body).toMatchObject({ discountPercent: '0', position: 0 });
    await server.http
      .delete(`/api/v1/opportunity-lines/${defaults.body.id}`)
      .set(admin)
      .expect(204);
    // A configuration that does not exist is refused.
    const unknownConfiguration = await addLine({
      opportunityId: deal.id,
      productId: support.id,
      quantity: '1',
      configurationId: randomUUID(),
    });
    expect(unknownConfiguration.status).toBe(400);
    expect(unknownConfiguration.body.errors).toEqual([
      expect.objectContaining({ field: 'configurationId' }),
    ]);
    // A given price is taken as it is.
    const third = await addLine({
      opportunityId: deal.id,
      productId: support.id,
      quantity: '1.5',
      unitPrice: { amount: '333.333', currency: 'IDR' },
    });
    expect(third.status).toBe(201);
    // IDR has no minor unit in the currency table: totals round to whole rupiah.
    expect(third.body.total.amount).toBe('500');
    expect((await opportunityOf(deal.id)).amount).toEqual({
      amount: '98750500',
      currency: 'IDR',
    });

    const list = await server.http
      .get(`/api/v1/opportunity-lines?filter[opportunityId][eq]=${deal.id}&sort=position`)
      .set(admin);
    expect(list.status).toBe(200);
    expect(list.body.data.map((l: Line) => l.id)).toEqual([
      first.body.id,
      third.body.id,
      second.body.id,
    ]);

    const patched = await server.http
      .patch(`/api/v1/opportunity-lines/${first.body.id}`)
      .set({ ...admin, 'if-match': `"${first.body.version}"` })
      .send({ quantity: '3' });
    expect(patched.status).toBe(200);
    expect(patched.body.total.amount).toBe('30000000');
    // Back to the books' price for the new quantity: null asks for it again.
    const repriced = await server.http
      .patch(`/api/v1/opportunity-lines/${third.body.id}`)
      .set(admin)
      .send({ unitPrice: null });
    expect(repriced.body.unitPrice.amount).toBe('1500000.00');
    expect((await opportunityOf(deal.id)).amount).toEqual({
      amount: '111000000',
      currency: 'IDR',
    });

    const removed = await server.http
      .delete(`/api/v1/opportunity-lines/${second.body.id}`)
      .set(admin);
    expect(removed.status).toBe(204);
    expect(((await opportunityOf(deal.id)).amount as { amount: string }).amount).toBe('32250000');

    const history = await server.http.get(`/api/v1/opportunities/${deal.id}/history`).set(admin);
    const amountChanges = (
      history.body.data as { changes: { field: string; new: unknown }[] }[]
    ).flatMap((h) => h.changes.filter((c) => c.field === 'amount'));
    expect(amountChanges.length).toBeGreaterThanOrEqual(5);
    const lineHistory = await server.http
      .get(`/api/v1/opportunity-lines/${first.body.id}/history`)
      .set(admin);
    expect(lineHistory.body.data.map((h: { action: string }) => h.action)).toEqual([
      'update',
      'create',
    ]);
    const types = (await eventsOf(server, first.body.id)).map((e) => e.type);
    expect(types).toEqual(['opportunity-line.created', 'opportunity-line.updated']);
  });

  it('refuses an explicit amount on an opportunity with lines, and allows it again without them', async () => {
    const deal = await make.opportunity();
    const line = await addLine({ opportunityId: deal.id, productId: support.id, quantity: '1' });
    const refused = await make.move(deal.id, { amount: { amount: '1.00', currency: 'IDR' } });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toContain('(1500000 IDR)');
    // Other fields still change, and the same amount is no change at all.
    const renamed = await make.move(deal.id, {
      name: 'Renamed',
      amount: { amount: '1500000', currency: 'IDR' },
    });
    expect(renamed.status).toBe(200);
    await server.http.delete(`/api/v1/opportunity-lines/${line.body.id}`).set(admin).expect(204);
    expect((await opportunityOf(deal.id)).amount).toEqual({ amount: '0', currency: 'IDR' });
    const manual = await make.move(deal.id, { amount: { amount: '7.00', currency: 'IDR' } });
    expect(manual.status).toBe(200);
  });

  it('moves the pipeline board and the forecast with the lines', async () => {
    const deal = await make.opportunity({
      pipeline: 'lines',
      expectedCloseDate: '2026-02-10',
    });
    const boardAmount = async () => {
      const board = await server.http.get('/api/v1/pipelines/lines/board').set(admin);
      expect(board.status).toBe(200);
      return (board.body.stages as { key: string; amounts: { amount: string }[] }[])[0].amounts;
    };
    const forecastPipeline = async () => {
      const res = await server.http
        .get('/api/v1/forecasts/weighted?period=quarter&from=2026-01-01&to=2026-03-31')
        .set(admin);
      expect(res.status).toBe(200);
      return res.body.total.totals.openPipeline as string;
    };
    const before = await forecastPipeline();
    const line = await addLine({ opportunityId: deal.id, productId: laptop.id, quantity: '1' });
    expect(await boardAmount()).toEqual([
      { currency: 'IDR', amount: '10000000', weighted: '5000000' },
    ]);
    expect(Number(await forecastPipeline()) - Number(before)).toBe(10000000);
    await server.http
      .patch(`/api/v1/opportunity-lines/${line.body.id}`)
      .set(admin)
      .send({ quantity: '2' })
      .expect(200);
    expect((await boardAmount())[0].amount).toBe('20000000');
    expect(Number(await forecastPipeline()) - Number(before)).toBe(20000000);
  });

  it('lets only who may update the opportunity write its lines, and hides another team’s lines', async () => {
    const teamA = await people.team();
    const teamB = await people.team();
    const repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
    const mate = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
    const repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
    const account = await factories(server, repA.token).account();
    const deal = await server.http
      .post('/api/v1/opportunities')
      .set(repA.auth)
      .send({ name: 'Rep deal', accountId: account.id });
    expect(deal.status).toBe(201);
    const line = await addLine(
      { opportunityId: deal.body.id, productId: support.id, quantity: '1' },
      repA.auth,
    );
    expect(line.status).toBe(201);
    // A teammate reads the deal and its lines, but may not change them.
    expect(
      (await server.http.get(`/api/v1/opportunity-lines/${line.body.id}`).set(mate.auth)).status,
    ).toBe(200);
    expect(
      (
        await addLine(
          { opportunityId: deal.body.id, productId: support.id, quantity: '1' },
          mate.auth,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await server.http
          .patch(`/api/v1/opportunity-lines/${line.body.id}`)
          .set(mate.auth)
          .send({ quantity: '2' })
      ).status,
    ).toBe(403);
    // Another team sees neither.
    expect(
      (await server.http.get(`/api/v1/opportunity-lines/${line.body.id}`).set(repB.auth)).status,
    ).toBe(404);
    expect(
      (
        await server.http
          .patch(`/api/v1/opportunity-lines/${line.body.id}`)
          .set(repB.auth)
          .send({ quantity: '2' })
      ).status,
    ).toBe(404);
    const other = await addLine(
      { opportunityId: deal.body.id, productId: support.id, quantity: '1' },
      repB.auth,
    );
    expect(other.status).toBe(400);
    expect(other.body.errors[0].field).toBe('opportunityId');
    // Reassigning the deal carries its lines to the new owner.
    await make.move(deal.body.id, { ownerId: mate.user.id, teamId: teamA.id }).expect(200);
    const moved = await server.http.get(`/api/v1/opportunity-lines/${line.body.id}`).set(admin);
    expect(moved.body.ownerId).toBe(mate.user.id);
  });

  describe('bad input', () => {
    let deal: { id: string };
    beforeAll(async () => {
      deal = await make.opportunity();
    });

    it.each([
      ['zero quantity', { quantity: '0' }, 'quantity'],
      ['negative quantity', { quantity: '-1' }, 'quantity'],
      ['quantity of wrong type', { quantity: 3 }, 'quantity'],
      ['missing quantity', { quantity: undefined }, 'quantity'],
      ['missing product', { productId: undefined }, 'productId'],
      ['product not a uuid', { productId: 'laptop' }, 'productId'],
      ['unknown product', { productId: randomUUID() }, 'productId'],
      ['discount over 100', { discountPercent: '101' }, 'discountPercent'],
      ['negative discount', { discountPercent: '-1' }, 'discountPercent'],
      ['description too long', { description: 'x'.repeat(2001) }, 'description'],
      ['unknown field', { colour: 'red' }, 'colour'],
      ['total is the server’s', { total: { amount: '1', currency: 'IDR' } }, 'total'],
      [
        'price in another currency',
        { unitPrice: { amount: '10.00', currency: 'USD' } },
        'unitPrice.currency',
      ],
    ])('%s → 400 naming the field', async (_name, change, field) => {
      const res = await addLine({
        opportunityId: deal.id,
        productId: laptop.id,
        quantity: '1',
        ...change,
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses an inactive product, one out of its availability, and one priced only in another currency', async () => {
      const inactive = await catalog.product({ active: false });
      const retired = await catalog.product({ availableTo: '2020-12-31' });
      const dollars = await catalog.product();
      const usdBook = await catalog.priceBook({ currency: 'USD' });
      await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: usdBook.id,
          productId: dollars.id,
          unitPrice: { amount: '700.00', currency: 'USD' },
        })
        .expect(201);
      const a = await addLine({ opportunityId: deal.id, productId: inactive.id, quantity: '1' });
      expect([a.status, a.body.type]).toEqual([422, expect.stringContaining('product-inactive')]);
      const b = await addLine({ opportunityId: deal.id, productId: retired.id, quantity: '1' });
      expect(b.status).toBe(422);
      expect(b.body.detail).toContain('2020-12-31');
      const c = await addLine(
        { opportunityId: deal.id, productId: dollars.id, quantity: '1' },
        admin,
      );
      expect(c.status).toBe(422);
      expect(c.body.detail).toContain('IDR');
      expect(c.body.errors[0].field).toBe('unitPrice');
      // Priced by hand in the deal's currency, it is accepted.
      const d = await addLine({
        opportunityId: deal.id,
        productId: dollars.id,
        quantity: '1',
        unitPrice: { amount: '11000000', currency: 'IDR' },
      });
      expect(d.status).toBe(201);
    });

    it('refuses a stale ETag with 412, a changed product with 400, and answers 404 for an unknown line', async () => {
      const line = await addLine({ opportunityId: deal.id, productId: laptop.id, quantity: '1' });
      const stale = await server.http
        .patch(`/api/v1/opportunity-lines/${line.body.id}`)
        .set({ ...admin, 'if-match': '"99"' })
        .send({ quantity: '2' });
      expect(stale.status).toBe(412);
      const productChange = await server.http
        .patch(`/api/v1/opportunity-lines/${line.body.id}`)
        .set(admin)
        .send({ productId: support.id });
      expect(productChange.status).toBe(400);
      const zero = await server.http
        .patch(`/api/v1/opportunity-lines/${line.body.id}`)
        .set(admin)
        .send({ quantity: '0' });
      expect(zero.status).toBe(400);
      expect(
        (await server.http.get(`/api/v1/opportunity-lines/${randomUUID()}`).set(admin)).status,
      ).toBe(404);
      const staleDelete = await server.http
        .delete(`/api/v1/opportunity-lines/${line.body.id}`)
        .set({ ...admin, 'if-match': '"99"' });
      expect(staleDelete.status).toBe(412);
    });
  });
});
