import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
catalog:
  taxCategories:
    - { key: standard, label: { en: VAT 11% }, rate: "11", default: true }
    - { key: exempt, label: { en: Exempt }, rate: "0" }
`;

type Auth = { authorization: string };
type Order = Record<string, unknown> & {
  id: string;
  version: number;
  number: string;
  status: string;
  total: { amount: string; currency: string };
  lines: { id: string; kind: string; quantity: string; returnedQuantity: string }[];
};

describe('orders', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let catalog: ReturnType<typeof catalogFactories>;
  let people: ReturnType<typeof accessFactories>;
  let account: { id: string };
  let contact: { id: string };
  let laptop: { id: string };
  let service: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('orders', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    catalog = catalogFactories(server, admin);
    people = accessFactories(server, token);
    const standard = await catalog.priceBook({ name: 'Standard', isStandard: true });
    laptop = await catalog.product({ sku: 'LPT-14', name: { en: 'Laptop 14' } });
    service = await catalog.product({ name: { en: 'Setup' }, taxCategory: 'exempt' });
    await catalog.entry(standard.id, laptop.id, '10000000');
    await catalog.entry(standard.id, service.id, '500000');
    account = await customers.account();
    contact = await customers.contact({ accountId: account.id });
  });
  afterAll(async () => {
    await server.stop();
  });

  const place = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/orders').set(auth).send(body);
  const placed = async (body: Record<string, unknown> = {}, auth: Auth = admin) => {
    const res = await place(
      { accountId: account.id, lines: [{ productId: laptop.id, quantity: '2' }], ...body },
      auth,
    );
    if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Order;
  };
  const patch = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.http
      .patch(`/api/v1/orders/${id}`)
      .set({ ...admin, ...headers })
      .send(body);
  const deliver = async (id: string) => {
    for (const status of ['confirmed', 'in_fulfilment', 'shipped', 'delivered'])
      expect((await patch(id, { status })).status).toBe(200);
  };
  const giveBack = (
    id: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    server.http
      .post(`/api/v1/orders/${id}/returns`)
      .set({ ...admin, ...headers })
      .send(body);

  it('places an order: prices frozen, taxes by category, a number, the lines, an event and timeline entries', async () => {
    const res = await place({
      accountId: account.id,
      contactId: contact.id,
      orderedAt: '2026-05-04T09:00:00+07:00',
      notes: 'Deliver to the back door',
      lines: [
        { productId: laptop.id, quantity: '2', discountPercent: '10' },
        {
          productId: service.id,
          quantity: '3',
          unitPrice: { amount: '333.33', currency: 'IDR' },
          discountPercent: null,
          configurationId: null,
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/orders/${res.body.id}`);
    const order = res.body as Order;
    expect(order.number).toMatch(/^SO-\d{6}$/);
    expect(order).toMatchObject({
      accountId: account.id,
      contactId: contact.id,
      opportunityId: null,
      quoteId: null,
      currency: 'IDR',
      status: 'placed',
      orderedAt: '2026-05-04T02:00:00.000Z',
      // 2 × 10,000,000 − 10 % = 18,000,000 at 11 %; 3 × 333.33 = 999.99 → 1,000 (IDR has no cents).
      subtotal: { amount: '18001000', currency: 'IDR' },
      taxes: [
        { category: 'exempt', rate: '0', base: '1000', tax: '0' },
        { category: 'standard', rate: '11', base: '18000000', tax: '1980000' },
      ],
      taxTotal: { amount: '1980000', currency: 'IDR' },
      total: { amount: '19981000', currency: 'IDR' },
      trackingEvents: [],
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        kind: 'sale',
        productId: laptop.id,
        sku: 'LPT-14',
        productName: 'Laptop 14',
        quantity: '2',
        unitPrice: { amount: '10000000', currency: 'IDR' },
        discountPercent: '10',
        taxCategory: 'standard',
        taxRate: '11',
        net: { amount: '18000000', currency: 'IDR' },
        returnedQuantity: '0',
        creditOfLineId: null,
      }),
      expect.objectContaining({
        lineNo: 2,
        taxCategory: 'exempt',
        net: { amount: '1000', currency: 'IDR' },
      }),
    ]);

    // Later price changes leave the order as it was placed.
    const read = await server.http.get(`/api/v1/orders/${order.id}`).set(admin);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe(`"${order.version}"`);
    expect(read.body.lines).toEqual(order.lines);
    const events = await eventsOf(server, order.id);
    const placedEvent = events.find((e) => e.type === 'order.placed');
    expect(placedEvent?.data).toMatchObject({
      number: order.number,
      accountId: account.id,
      total: { amount: '19981000', currency: 'IDR' },
      lines: [expect.objectContaining({ sku: 'LPT-14', quantity: '2' }), expect.anything()],
    });
    for (const path of [`accounts/${account.id}`, `contacts/${contact.id}`]) {
      const timeline = await server.http
        .get(`/api/v1/${path}/timeline?filter[type][eq]=order`)
        .set(admin);
      expect(timeline.status).toBe(200);
      expect(timeline.body.data).toContainEqual(
        expect.objectContaining({
          type: 'order',
          source: { entity: 'orders', id: order.id },
          title: `Order ${order.number}: 19981000 IDR, placed`,
        }),
      );
    }
    const listed = await server.http
      .get(
        `/api/v1/orders?filter[accountId][eq]=${account.id}&filter[status][eq]=placed&sort=-orderedAt`,
      )
      .set(admin);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((o: Order) => o.id)).toContain(order.id);
  });

  it('moves along placed → confirmed → in_fulfilment → shipped → delivered, with history and events', async () => {
    const order = await placed();
    await deliver(order.id);
    const read = await server.http.get(`/api/v1/orders/${order.id}`).set(admin);
    expect(read.body.status).toBe('delivered');
    const history = await server.http.get(`/api/v1/orders/${order.id}/history`).set(admin);
    const moves = (history.body.data as { changes: { field: string; new: unknown }[] }[])
      .flatMap((h) => h.changes)
      .filter((c) => c.field === 'status')
      .map((c) => c.new);
    expect(moves.reverse()).toEqual([
      'placed',
      'confirmed',
      'in_fulfilment',
      'shipped',
      'delivered',
    ]);
    const changed = (await eventsOf(server, order.id)).filter(
      (e) => e.type === 'order.status_changed',
    );
    expect(changed.map((e) => [e.data.from, e.data.to])).toEqual([
      ['placed', 'confirmed'],
      ['confirmed', 'in_fulfilment'],
      ['in_fulfilment', 'shipped'],
      ['shipped', 'delivered'],
    ]);
  });

  it('refuses illegal status changes with 409 problem+json, and a stale ETag with 412', async () => {
    const order = await placed();
    const skip = await patch(order.id, { status: 'shipped' });
    expect(skip.status).toBe(409);
    expect(skip.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(skip.body).toMatchObject({
      from: 'placed',
      to: 'shipped',
      allowed: ['confirmed', 'cancelled'],
    });
    expect((await patch(order.id, { status: 'returned' })).status).toBe(409);
    expect((await patch(order.id, { status: 'teleported' })).status).toBe(400);
    const stale = await patch(order.id, { status: 'confirmed' }, { 'if-match': '"99"' });
    expect(stale.status).toBe(412);
    await patch(order.id, { status: 'confirmed' }, { 'if-match': `"${order.version}"` }).expect(
      200,
    );

    const shipped = await placed();
    for (const status of ['confirmed', 'in_fulfilment', 'shipped'])
      await patch(shipped.id, { status }).expect(200);
    const lateCancel = await patch(shipped.id, { status: 'cancelled' });
    expect(lateCancel.status).toBe(409);
    expect(lateCancel.body.detail).toContain('shipped');

    const cancelled = await placed();
    await patch(cancelled.id, { status: 'cancelled' }).expect(200);
    expect((await patch(cancelled.id, { status: 'confirmed' })).status).toBe(409);
  });

  it('takes tracking events and lists them on the order', async () => {
    const order = await placed();
    await patch(order.id, { status: 'confirmed' }).expect(200);
    const first = await server.http
      .post(`/api/v1/orders/${order.id}/tracking-events`)
      .set(admin)
      .send({
        occurredAt: '2026-05-05T08:00:00+07:00',
        status: 'picked_up',
        carrier: 'JNE',
        trackingNumber: 'JNE123',
        location: 'Jakarta',
      });
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(
      `/api/v1/orders/${order.id}/tracking-events/${first.body.id}`,
    );
    const earlier = await server.http
      .post(`/api/v1/orders/${order.id}/tracking-events`)
      .set(admin)
      .send({ occurredAt: '2026-05-04T20:00:00Z', status: 'label_created', note: 'Label printed' });
    expect(earlier.status).toBe(201);
    const list = await server.http.get(`/api/v1/orders/${order.id}/tracking-events`).set(admin);
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { status: string }) => e.status)).toEqual([
      'label_created',
      'picked_up',
    ]);
    expect(list.body.data[1]).toMatchObject({
      orderId: order.id,
      occurredAt: '2026-05-05T01:00:00.000Z',
      carrier: 'JNE',
      trackingNumber: 'JNE123',
      location: 'Jakarta',
      note: null,
    });
    const one = await server.http.get(first.headers.location).set(admin);
    expect(one.body).toEqual(list.body.data[1]);
    const read = await server.http.get(`/api/v1/orders/${order.id}`).set(admin);
    expect(read.body.trackingEvents).toEqual(list.body.data);
    expect((await eventsOf(server, order.id)).map((e) => e.type)).toContain(
      'order.tracking_event_added',
    );
    expect(
      (
        await server.http
          .get(`/api/v1/orders/${order.id}/tracking-events/${randomUUID()}`)
          .set(admin)
      ).status,
    ).toBe(404);
  });

  it.each([
    ['missing date', { occurredAt: undefined }, 'occurredAt'],
    ['date without zone', { occurredAt: '2026-05-05T08:00:00' }, 'occurredAt'],
    ['unknown status', { status: 'lost_at_sea' }, 'status'],
    ['carrier of wrong type', { carrier: 7 }, 'carrier'],
    ['carrier too long', { carrier: 'x'.repeat(101) }, 'carrier'],
    ['note too long', { note: 'x'.repeat(2001) }, 'note'],
    ['unknown field', { weight: '2kg' }, 'weight'],
  ])('refuses a tracking event with %s → 400', async (_name, change, field) => {
    const order = await placed();
    const res = await server.http
      .post(`/api/v1/orders/${order.id}/tracking-events`)
      .set(admin)
      .send({ occurredAt: '2026-05-05T08:00:00Z', status: 'in_transit', ...change });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses tracking events on a cancelled order', async () => {
    const order = await placed();
    await patch(order.id, { status: 'cancelled' }).expect(200);
    const res = await server.http
      .post(`/api/v1/orders/${order.id}/tracking-events`)
      .set(admin)
      .send({ occurredAt: '2026-05-05T08:00:00Z', status: 'in_transit' });
    expect(res.status).toBe(409);
  });

  describe('returns', () => {
    it('credits part of a delivered order, then the rest, and the order becomes returned', async () => {
      const order = await placed({
        lines: [
          { productId: laptop.id, quantity: '2' },
          { productId: service.id, quantity: '1' },
        ],
      });
      expect(order.total.amount).toBe('22700000');
      expect(
        (await giveBack(order.id, { lines: [{ lineId: order.lines[0].id, quantity: '1' }] }))
          .status,
      ).toBe(409);
      await deliver(order.id);
      const first = await giveBack(order.id, {
        lines: [{ lineId: order.lines[0].id, quantity: '1' }],
        reason: 'Damaged screen',
        returnedAt: '2026-06-01T10:00:00+07:00',
      });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe(`"${first.body.version}"`);
      expect(first.body.status).toBe('delivered');
      expect(first.body.total).toEqual({ amount: '11600000', currency: 'IDR' });
      expect(first.body.lines).toHaveLength(3);
      expect(first.body.lines[0].returnedQuantity).toBe('1');
      expect(first.body.lines[2]).toMatchObject({
        lineNo: 3,
        kind: 'credit',
        creditOfLineId: order.lines[0].id,
        quantity: '-1',
        unitPrice: { amount: '10000000', currency: 'IDR' },
        net: { amount: '-10000000', currency: 'IDR' },
        bookedAt: '2026-06-01T03:00:00.000Z',
        reason: 'Damaged screen',
      });

      const tooMany = await giveBack(order.id, {
        lines: [{ lineId: order.lines[0].id, quantity: '2' }],
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.detail).toContain('at most 1 more');
      expect(tooMany.body.errors[0].field).toBe('lines[0].quantity');
      // The same line twice in one request counts both times.
      const twice = await giveBack(order.id, {
        lines: [
          { lineId: order.lines[0].id, quantity: '1' },
          { lineId: order.lines[0].id, quantity: '1' },
        ],
      });
      expect(twice.status).toBe(422);
      const stale = await giveBack(
        order.id,
        { lines: [{ lineId: order.lines[1].id, quantity: '1' }] },
        { 'if-match': `"${order.version}"` },
      );
      expect(stale.status).toBe(412);

      const rest = await giveBack(
        order.id,
        {
          lines: [
            { lineId: order.lines[0].id, quantity: '1' },
            { lineId: order.lines[1].id, quantity: '1' },
          ],
        },
        { 'if-match': `"${first.body.version}"` },
      );
      expect(rest.status).toBe(200);
      expect(rest.body).toMatchObject({
        status: 'returned',
        subtotal: { amount: '0', currency: 'IDR' },
        taxTotal: { amount: '0', currency: 'IDR' },
        total: { amount: '0', currency: 'IDR' },
      });
      const types = (await eventsOf(server, order.id)).map((e) => e.type);
      expect(types.filter((t) => t === 'order.returned')).toHaveLength(2);
      expect(types).toContain('order.status_changed');
      expect(
        (await giveBack(order.id, { lines: [{ lineId: order.lines[1].id, quantity: '1' }] }))
          .status,
      ).toBe(409);
    });

    it.each([
      ['no lines', { lines: [] }, 'lines'],
      ['lines missing', { lines: undefined }, 'lines'],
      ['zero quantity', { lines: [{ lineId: 'first', quantity: '0' }] }, 'lines[0].quantity'],
      ['negative quantity', { lines: [{ lineId: 'first', quantity: '-1' }] }, 'lines[0].quantity'],
      [
        'quantity of wrong type',
        { lines: [{ lineId: 'first', quantity: 1 }] },
        'lines[0].quantity',
      ],
      [
        'a line of another order',
        { lines: [{ lineId: randomUUID(), quantity: '1' }] },
        'lines[0].lineId',
      ],
      ['reason too long', { reason: 'x'.repeat(2001) }, 'reason'],
      ['unknown field', { refund: true }, 'refund'],
    ])('refuses a return with %s → 400', async (_name, body, field) => {
      const order = await placed();
      await deliver(order.id);
      const lines = (body as { lines?: { lineId: string }[] }).lines?.map((l) => ({
        ...l,
        lineId: l.lineId === 'first' ? order.lines[0].id : l.lineId,
      }));
      const res = await giveBack(order.id, {
        lines: [{ lineId: order.lines[0].id, quantity: '1' }],
        ...body,
        ...(lines ? { lines } : {}),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('bad input on placing', () => {
    it.each([
      ['missing account', { accountId: undefined }, 'accountId'],
      ['account not a uuid', { accountId: 'acme' }, 'accountId'],
      ['unknown account', { accountId: randomUUID() }, 'accountId'],
      ['missing lines', { lines: undefined }, 'lines'],
      ['no lines', { lines: [] }, 'lines'],
      ['lines of wrong type', { lines: 'laptop' }, 'lines'],
      ['zero quantity', { lines: [{ productId: 'laptop', quantity: '0' }] }, 'lines[0].quantity'],
      [
        'negative quantity',
        { lines: [{ productId: 'laptop', quantity: '-2' }] },
        'lines[0].quantity',
      ],
      [
        'quantity of wrong type',
        { lines: [{ productId: 'laptop', quantity: 2 }] },
        'lines[0].quantity',
      ],
      [
        'unknown product',
        { lines: [{ productId: randomUUID(), quantity: '1' }] },
        'lines[0].productId',
      ],
      [
        'discount over 100',
        { lines: [{ productId: 'laptop', quantity: '1', discountPercent: '150' }] },
        'lines[0].discountPercent',
      ],
      [
        'price in another currency',
        {
          lines: [
            { productId: 'laptop', quantity: '1', unitPrice: { amount: '5', currency: 'USD' } },
          ],
        },
        'lines[0].unitPrice.currency',
      ],
      [
        'unknown field in a line',
        { lines: [{ productId: 'laptop', quantity: '1', colour: 'red' }] },
        'colour',
      ],
      ['notes too long', { notes: 'x'.repeat(5001) }, 'notes'],
      ['currency not ISO 4217', { currency: 'RUPIAH' }, 'currency'],
      ['order time without zone', { orderedAt: '2026-05-04T09:00:00' }, 'orderedAt'],
      ['unknown field', { discountCode: 'X' }, 'discountCode'],
      ['totals are the server’s', { total: { amount: '1', currency: 'IDR' } }, 'total'],
      ['status is placed first', { status: 'delivered' }, 'status'],
    ])('%s → 400 naming the field', async (_name, change, field) => {
      const lines = (change as { lines?: unknown }).lines;
      const body: Record<string, unknown> = {
        accountId: account.id,
        lines: [{ productId: laptop.id, quantity: '1' }],
        ...change,
      };
      if (Array.isArray(lines))
        body.lines = lines.map((l: Record<string, unknown>) =>
          l.productId === 'laptop' ? { ...l, productId: laptop.id } : l,
        );
      const res = await place(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(
        res.body.errors.map((e: { field: string }) =>
          e.field.replace(/^lines\.(\d+)/, 'lines[$1]'),
        ),
      ).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
    });

    it('refuses an inactive product, one outside its availability, and one priced only in another currency', async () => {
      const inactive = await catalog.product({ active: false });
      const seasonal = await catalog.product({
        availableFrom: '2026-06-01',
        availableTo: '2026-08-31',
      });
      const usdOnly = await catalog.product();
      const dollars = await catalog.priceBook({ currency: 'USD' });
      await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: dollars.id,
          productId: usdOnly.id,
          unitPrice: { amount: '90.00', currency: 'USD' },
        })
        .expect(201);
      const one = (productId: string, extra: Record<string, unknown> = {}) =>
        place({
          accountId: account.id,
          orderedAt: '2026-05-04T09:00:00Z',
          lines: [{ productId, quantity: '1' }],
          ...extra,
        });
      const a = await one(inactive.id);
      expect(a.status).toBe(422);
      expect(a.body.type).toContain('product-inactive');
      const b = await one(seasonal.id);
      expect(b.status).toBe(422);
      expect(b.body.detail).toContain('2026-06-01');
      const c = await one(usdOnly.id);
      expect(c.status).toBe(422);
      expect(c.body.errors[0].field).toBe('lines[0].unitPrice');
      // In dollars it prices from the dollar book.
      const d = await one(usdOnly.id, { currency: 'USD' });
      expect(d.status).toBe(201);
      expect(d.body.total).toEqual({ amount: '99.90', currency: 'USD' });
    });

    it('answers 404 for an unknown order and a PATCH with an unknown field with 400', async () => {
      expect((await server.http.get(`/api/v1/orders/${randomUUID()}`).set(admin)).status).toBe(404);
      const order = await placed();
      expect((await patch(order.id, { total: { amount: '1', currency: 'IDR' } })).status).toBe(400);
      expect((await patch(order.id, { accountId: randomUUID() })).status).toBe(400);
      expect((await patch(order.id, { notes: 'x'.repeat(5001) })).status).toBe(400);
      expect((await patch(order.id, { notes: 12 })).status).toBe(400);
    });
  });

  it('follows an account merge: the order and its lines move to the surviving account', async () => {
    const survivor = await customers.account();
    const duplicate = await customers.account();
    const order = await placed({ accountId: duplicate.id });
    const merged = await server.http
      .post(`/api/v1/accounts/${survivor.id}/merge`)
      .set(admin)
      .send({ duplicateIds: [duplicate.id] });
    expect(merged.status).toBe(200);
    const read = await server.http.get(`/api/v1/orders/${order.id}`).set(admin);
    expect(read.body.accountId).toBe(survivor.id);
    const { rows } = await server.db.query<{ account_id: string }>(
      `SELECT DISTINCT account_id::text FROM order_lines WHERE order_id = $1`,
      [order.id],
    );
    expect(rows).toEqual([{ account_id: survivor.id }]);
  });

  it('answers revenue queries by customer, period and product through their indexes', async () => {
    const other = await customers.account();
    const client = await server.db.connect();
    try {
      // Two years of orders, mostly of another account and product, rolled back afterwards.
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO orders (id, account_id, currency, ordered_at, subtotal_amount, subtotal_currency,
                tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
         SELECT gen_random_uuid(), CASE WHEN g % 500 = 0 THEN $1::uuid ELSE $2::uuid END, 'IDR',
                timestamptz '2025-01-01' + g * interval '1 hour', 100, 'IDR', 11, 'IDR', 111, 'IDR',
                (SELECT id FROM users ORDER BY created_at LIMIT 1)
           FROM generate_series(1, 20000) g`,
        [account.id, other.id],
      );
      await client.query(
        `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity,
                unit_price, tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         SELECT gen_random_uuid(), o.id, 1, 'sale',
                CASE WHEN row_number() OVER () % 500 = 0 THEN $1::uuid ELSE $2::uuid END,
                'X', 'X', 1, 100, 'standard', 11, 100, 'IDR', o.account_id, o.ordered_at
           FROM orders o WHERE o.created_by_id IS NULL`,
        [laptop.id, service.id],
      );
      await client.query('ANALYZE orders');
      await client.query('ANALYZE order_lines');
      const plan = async (sql: string) =>
        JSON.stringify((await client.query(`EXPLAIN ${sql}`)).rows);
      expect(
        await plan(
          `SELECT sum(total_amount) FROM orders WHERE account_id = '${account.id}' AND ordered_at >= '2026-01-01' AND deleted_at IS NULL`,
        ),
      ).toContain('orders_account_ordered_idx');
      expect(
        await plan(
          `SELECT sum(total_amount) FROM orders WHERE ordered_at >= '2026-01-01' AND ordered_at < '2026-01-08' AND deleted_at IS NULL`,
        ),
      ).toContain('orders_ordered_idx');
      expect(
        await plan(
          `SELECT sum(net_amount) FROM order_lines WHERE product_id = '${laptop.id}' AND booked_at >= '2026-01-01'`,
        ),
      ).toContain('order_lines_product_idx');
      expect(
        await plan(
          `SELECT sum(net_amount) FROM order_lines WHERE booked_at >= '2026-01-01' AND booked_at < '2026-01-08'`,
        ),
      ).toContain('order_lines_booked_idx');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  describe('access', () => {
    it("hides another team's orders (404) and lets a teammate read but not change them (403)", async () => {
      const teamA = await people.team();
      const teamB = await people.team();
      const repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      const mate = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      const repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      const marketing = await people.userWithToken('marketing');
      const own = await factories(server, repA.token).account();
      const order = await placed({ accountId: own.id }, repA.auth);
      expect(order.ownerId).toBe(repA.user.id);

      const asMate = await server.http.get(`/api/v1/orders/${order.id}`).set(mate.auth);
      expect(asMate.status).toBe(200);
      const mateMove = await server.http
        .patch(`/api/v1/orders/${order.id}`)
        .set(mate.auth)
        .send({ status: 'confirmed' });
      expect(mateMove.status).toBe(403);
      const mateTrack = await server.http
        .post(`/api/v1/orders/${order.id}/tracking-events`)
        .set(mate.auth)
        .send({ occurredAt: '2026-05-05T08:00:00Z', status: 'in_transit' });
      expect(mateTrack.status).toBe(403);

      for (const req of [
        server.http.get(`/api/v1/orders/${order.id}`),
        server.http.patch(`/api/v1/orders/${order.id}`).send({ status: 'confirmed' }),
        server.http.get(`/api/v1/orders/${order.id}/tracking-events`),
        server.http
          .post(`/api/v1/orders/${order.id}/tracking-events`)
          .send({ occurredAt: '2026-05-05T08:00:00Z', status: 'in_transit' }),
        server.http
          .post(`/api/v1/orders/${order.id}/returns`)
          .send({ lines: [{ lineId: order.lines[0].id, quantity: '1' }] }),
      ])
        expect((await req.set(repB.auth)).status).toBe(404);
      const listB = await server.http.get('/api/v1/orders').set(repB.auth);
      expect(listB.body.data.map((o: Order) => o.id)).not.toContain(order.id);
      expect((await server.http.get('/api/v1/orders').set(marketing.auth)).status).toBe(403);
      // The account's timeline shows the order only to whom may read it.
      const onTimeline = await server.http
        .get(`/api/v1/accounts/${own.id}/timeline?filter[type][eq]=order`)
        .set(repA.auth);
      expect(onTimeline.body.data).toHaveLength(1);
    });
  });
  it('numbers orders past a million without repeating a number', async () => {
    // Order 1,000,000 used to be cut to six digits, SO-100000 again, and collide.
    await server.db.query(`SELECT setval('order_number_seq', 999998)`);
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push((await placed()).number);
    expect(numbers).toEqual(['SO-999999', 'SO-1000000', 'SO-1000001']);
    const { rows } = await server.db.query<{ n: string }>(
      `SELECT document_number('WO-', 1000000) AS n UNION ALL SELECT document_number('WO-', 42)`,
    );
    expect(rows.map((r) => r.n)).toEqual(['WO-1000000', 'WO-000042']);
  });
});
