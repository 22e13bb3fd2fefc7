import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { configuratorFactories } from '../support/configurator-factories.js';
import { quoteFactories } from '../support/quote-factories.js';
import { eventsOf, eventually, writeSalesConfig } from '../support/sales-factories.js';
import { binary, pdfText } from '../support/pdf-text.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
quotes:
  maxDiscountPercent: { sales_rep: 10, sales_manager: 30 }
  approverRoles: [sales_manager]
`;

const IDR = (amount: string) => ({ amount, currency: 'IDR' });
const printed = (amount: string) => `IDR ${Number(amount).toLocaleString('en-US')}`;

type Line = { productId: string; configurationId: string | null; quantity: string };

describe('from quote to order', () => {
  let server: TestServer;
  let admin: ReturnType<typeof quoteFactories>;
  let rep: ReturnType<typeof quoteFactories>;
  let manager: ReturnType<typeof quoteFactories>;
  let outsider: ReturnType<typeof quoteFactories>;
  let analyst: ReturnType<typeof quoteFactories>;
  let laptop: { id: string };
  let service: { id: string };
  let workstation: { id: string };
  let memory: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('quote-order', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = quoteFactories(server, token);
    const people = accessFactories(server, token);
    const team = await people.team();
    const other = await people.team();
    rep = quoteFactories(
      server,
      (await people.userWithToken('sales_rep', { teamIds: [team.id] })).token,
    );
    manager = quoteFactories(
      server,
      (await people.userWithToken('sales_manager', { teamIds: [team.id] })).token,
    );
    outsider = quoteFactories(
      server,
      (await people.userWithToken('sales_rep', { teamIds: [other.id] })).token,
    );
    analyst = quoteFactories(
      server,
      (await people.userWithToken('analyst', { teamIds: [team.id] })).token,
    );
    const book = await admin.catalog.priceBook({ name: 'Standar', isStandard: true });
    laptop = await admin.catalog.product({ name: { en: 'Business laptop', id: 'Laptop bisnis' } });
    service = await admin.catalog.product({ name: { en: 'Installation' }, taxCategory: 'exempt' });
    await admin.catalog.entry(book.id, laptop.id, '1000000');
    await admin.catalog.entry(book.id, service.id, '750000');
    // A configurable workstation: 2,000,000 plus a memory option of 500,000, in IDR and USD.
    const make = configuratorFactories(server, admin.auth);
    workstation = await make.product({ name: { en: 'Workstation' } });
    await make.entry(book.id, workstation.id, '2000000');
    const group = await make.group(workstation.id, 'Memory');
    memory = await make.productOption(group.id, book.id, '500000');
    const usd = await make.priceBook({ name: 'Dollar', currency: 'USD', isStandard: true });
    await make.entry(usd.id, workstation.id, '130', {
      unitPrice: { amount: '130', currency: 'USD' },
    });
    await make.entry(usd.id, (memory as unknown as { product: { id: string } }).product.id, '32', {
      unitPrice: { amount: '32', currency: 'USD' },
    });
  });

  /** A saved configuration of two workstations with the memory option. */
  async function saved(who = rep, currency = 'IDR') {
    const res = await server.http
      .post('/api/v1/configurations')
      .set(who.auth)
      .send({
        productId: workstation.id,
        currency,
        quantity: '2',
        selections: [{ optionId: memory.id }],
      });
    if (res.status !== 201)
      throw new Error(`configuration: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; total: { amount: string; currency: string } };
  }
  afterAll(async () => {
    await server.stop();
  });

  /** A rep's quote, moved to `until` (approved by the manager when the discount asks for it). */
  async function quoteIn(until: 'draft' | 'sent' | 'accepted', header = '5') {
    const deal = await rep.opportunity({ amount: IDR('5000000') });
    const quote = await rep.forOpportunity(deal, { headerDiscountPercent: header });
    await rep.line(quote.id, laptop.id, { quantity: '3', discountPercent: '10' });
    await rep.line(quote.id, service.id, { quantity: '7', unitPrice: IDR('333333.33') });
    if (until === 'draft') return { deal, quote: await rep.get(quote.id) };
    const submitted = await rep.act(quote.id, 'submit');
    if (submitted.body.status === 'in_review') await manager.act(quote.id, 'approve').expect(200);
    await rep.act(quote.id, 'send').expect(200);
    if (until === 'sent') return { deal, quote: await rep.get(quote.id) };
    await rep.act(quote.id, 'accept').expect(200);
    return { deal, quote: await rep.get(quote.id) };
  }

  const order = (id: string, who = rep, body?: object) =>
    server.http
      .post(`/api/v1/quotes/${id}/order`)
      .set(who.auth)
      .send(body ?? {});

  it('places the order of an accepted quote with its lines and grand total as quoted', async () => {
    const { deal, quote } = await quoteIn('accepted');
    const res = await order(quote.id);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/orders/${res.body.id}`);
    expect(res.body).toMatchObject({
      quoteId: quote.id,
      opportunityId: deal.id,
      accountId: quote.accountId,
      currency: 'IDR',
      status: 'placed',
      total: quote.grandTotal,
      taxTotal: quote.taxTotal,
    });
    expect(res.body.lines.map((l: Line) => [l.productId, l.quantity])).toEqual([
      [laptop.id, '3'],
      [service.id, '7'],
    ]);
    // 10% on the line, then 5% of the subtotal over the lines: 14.5% in all on the laptop.
    expect(res.body.lines[0]).toMatchObject({
      unitPrice: IDR('1000000'),
      discountPercent: '14.5',
      net: IDR('2565000'),
    });
    const lines = (
      await server.http.get(`/api/v1/quote-lines?filter[quoteId][eq]=${quote.id}`).set(rep.auth)
    ).body.data as { netAmount: { amount: string }; headerDiscountAmount: { amount: string } }[];
    const taxable = (l: (typeof lines)[number]) =>
      Number(l.netAmount.amount) - Number(l.headerDiscountAmount.amount);
    expect(res.body.lines.map((l: { net: { amount: string } }) => Number(l.net.amount))).toEqual(
      lines.map(taxable),
    );
    const placed = (await eventsOf(server, res.body.id)).find((e) => e.type === 'order.placed');
    expect(placed?.data).toMatchObject({ quoteId: quote.id, total: quote.grandTotal });
  });

  it('places it once per quote: a second call names the existing order', async () => {
    const { quote } = await quoteIn('accepted', '0');
    const first = await order(quote.id);
    expect(first.status).toBe(201);
    const again = await order(quote.id, manager);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'order_quote_already_ordered',
      orderId: first.body.id,
    });
    expect(again.body.detail).toContain(first.body.number);
    const { quote: raced } = await quoteIn('accepted', '0');
    const racing = await Promise.all([order(raced.id), order(raced.id)]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('holds one live order per quote in the database, and places none through POST /orders', async () => {
    const { quote } = await quoteIn('accepted', '0');
    const first = await order(quote.id);
    expect(first.status).toBe(201);
    const other = await order((await quoteIn('accepted', '0')).quote.id);
    // Past the service and its lock: the unique index refuses a second live order of the quote.
    await expect(
      server.db.query(`UPDATE orders SET quote_id = $1 WHERE id = $2`, [quote.id, other.body.id]),
    ).rejects.toMatchObject({ code: '23505', constraint: 'orders_quote_key' });

    // A deleted order frees its quote; restoring it while another lives is a 409.
    await server.http.delete(`/api/v1/orders/${first.body.id}`).set(rep.auth).expect(204);
    const second = await order(quote.id);
    expect(second.status).toBe(201);
    const restored = await server.http
      .post(`/api/v1/orders/${first.body.id}/restore`)
      .set(rep.auth);
    expect(restored.status).toBe(409);
    expect(restored.body).toMatchObject({ code: 'unique_violation' });

    const plain = {
      accountId: quote.accountId,
      lines: [{ productId: laptop.id, quantity: '1' }],
    };
    for (const quoteId of [quote.id, null, 'not-a-uuid', 42]) {
      const res = await server.http
        .post('/api/v1/orders')
        .set(rep.auth)
        .send({ ...plain, quoteId });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('quoteId');
    }
    const bulk = await server.http
      .post('/api/v1/orders/bulk')
      .set(rep.auth)
      .send({ items: [plain, { ...plain, quoteId: quote.id }] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400]);
    const orders = await server.http
      .get(`/api/v1/orders?filter[quoteId][eq]=${quote.id}`)
      .set(rep.auth);
    expect(orders.body.data.map((o: { id: string }) => o.id)).toEqual([second.body.id]);
  });

  it('accepts and orders in one step, and leaves the quote sent when the order cannot be placed', async () => {
    const { quote } = await quoteIn('sent', '0');
    const refused = await analyst.act(quote.id, 'accept', {}, { createOrder: true });
    expect([403, 404]).toContain(refused.status);
    const res = await rep.act(quote.id, 'accept', {}, { createOrder: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', orderId: expect.any(String) });
    const placed = await server.http.get(`/api/v1/orders/${res.body.orderId}`).set(rep.auth);
    expect(placed.body).toMatchObject({ quoteId: quote.id, total: quote.grandTotal });

    const { quote: other } = await quoteIn('sent', '0');
    const wrong = await rep.act(other.id, 'accept', {}, { createOrder: 'yes' });
    expect(wrong.status).toBe(400);
    const unknown = await rep.act(other.id, 'accept', {}, { createOrder: true, extra: 1 });
    expect(unknown.status).toBe(400);
    expect((await rep.get(other.id)).status).toBe('sent');
  });

  it('refuses a quote that is not accepted, outside scope, or without create on orders', async () => {
    const { quote: draft } = await quoteIn('draft');
    const fromDraft = await order(draft.id);
    expect(fromDraft.status).toBe(409);
    expect(fromDraft.body).toMatchObject({
      code: 'order_quote_not_accepted',
      quoteStatus: 'draft',
    });
    const { quote: sent } = await quoteIn('sent');
    const fromSent = await order(sent.id);
    expect(fromSent.status).toBe(409);
    expect(fromSent.body).toMatchObject({ code: 'order_quote_not_accepted', quoteStatus: 'sent' });

    const { quote } = await quoteIn('accepted', '0');
    expect((await order(quote.id, outsider)).status).toBe(404);
    expect((await order(randomUUID())).status).toBe(404);
    expect((await order('not-a-uuid')).status).toBe(400);
    const unknown = await order(quote.id, rep, { lines: [] });
    expect(unknown.status).toBe(400);
    const forbidden = await order(quote.id, analyst);
    expect(forbidden.status).toBe(403);
    const orders = await server.http
      .get(`/api/v1/orders?filter[quoteId][eq]=${quote.id}`)
      .set(admin.auth);
    expect(orders.body.data).toEqual([]);
  });

  describe('lines selling a saved configuration', () => {
    it('prices a quote line and an opportunity line from the configuration, and the order keeps it', async () => {
      const configuration = await saved();
      expect(configuration.total).toEqual(IDR('5000000'));
      const deal = await rep.opportunity({ amount: IDR('0') });
      const oppLine = await server.http
        .post('/api/v1/opportunity-lines')
        .set(rep.auth)
        .send({ opportunityId: deal.id, configurationId: configuration.id, quantity: '2' });
      expect(oppLine.status).toBe(201);
      expect(oppLine.body).toMatchObject({
        productId: workstation.id,
        configurationId: configuration.id,
        unitPrice: IDR('2500000'),
      });
      const amount = await server.http.get(`/api/v1/opportunities/${deal.id}`).set(rep.auth);
      expect(amount.body.amount).toEqual(IDR('5000000'));

      const quote = await rep.forOpportunity(deal);
      const line = await rep.line(quote.id, undefined as unknown as string, {
        productId: undefined,
        configurationId: configuration.id,
        quantity: '2',
      });
      expect(line).toMatchObject({
        productId: workstation.id,
        configurationId: configuration.id,
        unitPrice: IDR('2500000'),
        grossAmount: IDR('5000000'),
      });
      const same = await rep.line(quote.id, workstation.id, { configurationId: configuration.id });
      expect(same.unitPrice).toEqual(IDR('2500000'));
      // The configuration of a line is set once.
      const moved = await server.http
        .patch(`/api/v1/quote-lines/${same.id}`)
        .set(rep.auth)
        .send({ configurationId: null });
      expect(moved.status).toBe(400);
      const movedDeal = await server.http
        .patch(`/api/v1/opportunity-lines/${String(oppLine.body.id)}`)
        .set(rep.auth)
        .send({ configurationId: null });
      expect(movedDeal.status).toBe(400);
      await rep.act(quote.id, 'submit').expect(200);
      await rep.act(quote.id, 'send').expect(200);
      const accepted = await rep.act(quote.id, 'accept', {}, { createOrder: true });
      expect(accepted.status).toBe(200);
      const order = await server.http.get(`/api/v1/orders/${accepted.body.orderId}`).set(rep.auth);
      expect(order.body.lines.map((l: Line) => l.configurationId)).toEqual([
        configuration.id,
        configuration.id,
      ]);
      expect(order.body.total).toEqual(accepted.body.grandTotal);
    });

    it("refuses another product, another currency and another team's configuration", async () => {
      const quote = await rep.quote();
      const deal = await rep.opportunity({ amount: IDR('0') });
      const line = (body: Record<string, unknown>) =>
        server.http
          .post('/api/v1/quote-lines')
          .set(rep.auth)
          .send({ quoteId: quote.id, quantity: '1', ...body });
      const oppLine = (body: Record<string, unknown>) =>
        server.http
          .post('/api/v1/opportunity-lines')
          .set(rep.auth)
          .send({ opportunityId: deal.id, quantity: '1', ...body });
      const mine = await saved();

      // A quote answers its own currency problem (422); an opportunity line a field error.
      for (const [post, currencyStatus] of [
        [line, 422],
        [oppLine, 400],
      ] as const) {
        const other = await post({ configurationId: mine.id, productId: laptop.id });
        expect(other.status).toBe(400);
        expect(other.body.errors).toEqual([expect.objectContaining({ field: 'productId' })]);

        const dollars = await post({ configurationId: (await saved(rep, 'USD')).id });
        expect(dollars.status).toBe(currencyStatus);
        expect(dollars.body.errors).toEqual([
          expect.objectContaining({ field: 'configurationId' }),
        ]);

        const theirs = await post({ configurationId: (await saved(outsider)).id });
        expect(theirs.status).toBe(400);
        expect(theirs.body.errors).toEqual([expect.objectContaining({ field: 'configurationId' })]);
        const missing = await post({ configurationId: randomUUID() });
        expect(missing.status).toBe(400);
        const neither = await post({});
        expect(neither.status).toBe(400);
        expect(neither.body.errors).toEqual([expect.objectContaining({ field: 'productId' })]);
        const wrongType = await post({ configurationId: 42 });
        expect(wrongType.status).toBe(400);
      }
      const dollars = await line({ configurationId: (await saved(rep, 'USD')).id });
      expect(dollars.body.code).toBe('quote_currency_mismatch');
    });
  });

  it('takes a deal from its lines through an approved, accepted quote to a delivered order and a return', async () => {
    // An opportunity worth its product lines.
    const deal = await rep.opportunity({ amount: IDR('0') });
    const dealLine = await server.http
      .post('/api/v1/opportunity-lines')
      .set(rep.auth)
      .send({ opportunityId: deal.id, productId: laptop.id, quantity: '2' });
    expect(dealLine.status).toBe(201);
    const worth = await server.http.get(`/api/v1/opportunities/${deal.id}`).set(rep.auth);
    expect(worth.body.amount).toEqual(IDR('2000000'));

    // A saved configuration, priced again today.
    const configuration = await saved();
    const repriced = await server.http
      .post(`/api/v1/configurations/${configuration.id}/price`)
      .set(rep.auth)
      .send({});
    expect(repriced.status).toBe(200);
    expect(repriced.body.total).toEqual(IDR('5000000'));

    // The quote: the laptops at 15 % off (over the rep's 10 %) and the configuration.
    const quote = await rep.forOpportunity(deal);
    await rep.line(quote.id, laptop.id, { quantity: '2', discountPercent: '15' });
    await rep.line(quote.id, workstation.id, { configurationId: configuration.id, quantity: '2' });
    const submitted = await rep.act(quote.id, 'submit');
    expect(submitted.body).toMatchObject({ status: 'in_review', approvalRequired: true });
    expect((await rep.act(quote.id, 'approve')).status).toBe(403);
    expect((await manager.act(quote.id, 'approve')).body.status).toBe('approved');
    const approved = await rep.get(quote.id);
    // 2 × 1,000,000 − 15 % = 1,700,000 + 11 % tax; 5,000,000 + 11 % tax.
    expect(approved).toMatchObject({
      subtotal: IDR('6700000'),
      taxTotal: IDR('737000'),
      grandTotal: IDR('7437000'),
    });

    const pdf = await server.http
      .get(`/api/v1/quotes/${quote.id}/document`)
      .set(rep.auth)
      .buffer(true)
      .parse(binary as never);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    const options = (repriced.body.lines as { optionId: string | null; description: string }[])
      .filter((l) => l.optionId !== null)
      .map((l) => `+ ${l.description}`);
    expect(options).toHaveLength(1);
    for (const expected of [
      String(quote.number),
      'Workstation',
      ...options,
      printed('6700000'),
      printed('737000'),
      printed('7437000'),
    ])
      expect(text).toContain(expected);

    expect((await rep.act(quote.id, 'send')).body.status).toBe('sent');
    expect((await rep.act(quote.id, 'accept')).body.status).toBe('accepted');
    const won = await eventually(
      async () =>
        (await server.http.get(`/api/v1/opportunities/${deal.id}`).set(rep.auth)).body as {
          status: string;
        },
      (o) => o.status === 'won',
    );
    expect(won.status).toBe('won');

    // The order, at the quote's totals, through its lifecycle.
    const placed = await order(quote.id);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      ownerId: quote.ownerId,
      subtotal: approved.subtotal,
      taxTotal: approved.taxTotal,
      total: approved.grandTotal,
    });
    const id = placed.body.id as string;
    const move = (status: string) =>
      server.http.patch(`/api/v1/orders/${id}`).set(rep.auth).send({ status });
    expect((await move('confirmed')).body.status).toBe('confirmed');
    expect((await move('in_fulfilment')).body.status).toBe('in_fulfilment');
    expect((await move('shipped')).body.status).toBe('shipped');
    const tracked = await server.http
      .post(`/api/v1/orders/${id}/tracking-events`)
      .set(rep.auth)
      .send({
        occurredAt: new Date().toISOString(),
        status: 'in_transit',
        carrier: 'JNE',
        trackingNumber: 'JNE123456',
      });
    expect(tracked.status).toBe(201);
    expect((await move('delivered')).body.status).toBe('delivered');
    const laptopLine = (placed.body.lines as (Line & { id: string })[])[0];
    const returned = await server.http
      .post(`/api/v1/orders/${id}/returns`)
      .set(rep.auth)
      .send({ lines: [{ lineId: laptopLine.id, quantity: '1' }], reason: 'Wrong keyboard' });
    expect(returned.status).toBe(200);
    expect(returned.body.status).toBe('delivered');
    // One laptop of 850,000 net comes back with its tax: 943,500 off the total.
    expect(returned.body.total).toEqual(IDR('6493500'));
    expect(returned.body.trackingEvents).toEqual([
      expect.objectContaining({ carrier: 'JNE', trackingNumber: 'JNE123456' }),
    ]);

    const timeline = await server.http
      .get(`/api/v1/accounts/${String(quote.accountId)}/timeline?filter[type][eq]=order`)
      .set(rep.auth);
    expect(timeline.body.data).toContainEqual(
      expect.objectContaining({ source: { entity: 'orders', id } }),
    );
  });
});
