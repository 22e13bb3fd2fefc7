import { accessFactories } from '../support/access-factories.js';
import type { CatalogRecord } from '../support/catalog-factories.js';
import { configuratorFactories } from '../support/configurator-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
customization:
  accounts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier, id: Tingkat }
        options: [{ value: gold, label: { en: Gold, id: Emas } }]
`;
const DAY = '2026-05-04';
const UNKNOWN = '0192f000-0000-7000-8000-0000000000ee';

type Violation = { code: string; ruleId: string | null; optionIds: string[]; message: string };
type Line = { kind: string; amount: { amount: string }; tierMinQuantity: string | null };

describe('product configurator', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof configuratorFactories>;
  let people: ReturnType<typeof accessFactories>;
  let customers: ReturnType<typeof factories>;
  let laptop: CatalogRecord;
  let o: Record<
    'ram16' | 'ram32' | 'ssd512' | 'ssd1t' | 'dock' | 'hub' | 'warranty' | 'engraving',
    CatalogRecord & { product?: CatalogRecord }
  >;
  let r: Record<'requires' | 'excludes' | 'onlyWith' | 'limit', CatalogRecord>;
  let memory: CatalogRecord;
  let storage: CatalogRecord;

  const call = (
    path: 'validate' | 'price',
    body: Record<string, unknown>,
    auth = admin,
    lang = 'en',
  ) =>
    server.http
      .post(`/api/v1/configurations/${path}`)
      .set({ ...auth, 'accept-language': lang })
      .send(body);
  const config = (selections: unknown[], fields: Record<string, unknown> = {}) => ({
    productId: laptop.id,
    currency: 'IDR',
    quantity: '1',
    day: DAY,
    selections,
    ...fields,
  });
  const pick = (...keys: (keyof typeof o)[]) => keys.map((k) => ({ optionId: o[k].id }));
  const VALID = () => [...pick('ram32', 'ssd512', 'ssd1t', 'dock', 'warranty')];

  beforeAll(async () => {
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('configurator', CONFIG),
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = configuratorFactories(server, admin);
    people = accessFactories(server, token);
    customers = factories(server, token);
    const book = await make.priceBook({ name: 'Standar', isStandard: true });
    laptop = await make.product({ name: { en: 'Business laptop', id: 'Laptop bisnis' } });
    await make.entry(book.id, laptop.id, '10000000.00');
    await make.entry(book.id, laptop.id, '9500000.00', { minQuantity: '10' });
    memory = await make.group(laptop.id, 'Memory', { required: true, maxChoices: 1 });
    storage = await make.group(laptop.id, 'Storage', { minChoices: 2 });
    const extras = await make.group(laptop.id, 'Accessories');
    o = {
      ram16: await make.productOption(memory.id, book.id, '500000.00'),
      ram32: await make.productOption(memory.id, book.id, '1234567.5'),
      ssd512: await make.productOption(storage.id, book.id, '750000.00', { maxQuantity: '4' }),
      ssd1t: await make.productOption(storage.id, book.id, '1500000.00'),
      dock: await make.productOption(extras.id, book.id, '1200000.00'),
      hub: await make.productOption(extras.id, book.id, '150000.00'),
      warranty: await make.surchargeOption(extras.id, 'Warranty 3y', [
        { amount: '250000.00', currency: 'IDR' },
        { amount: '15.00', currency: 'USD' },
      ]),
      engraving: await make.surchargeOption(extras.id, 'Engraving', [
        { amount: '100000.00', currency: 'IDR' },
      ]),
    };
    r = {
      requires: await make.rule('requires', o.dock.id, {
        targetOptionIds: [o.warranty.id],
        message: { en: 'A dock needs the warranty', id: 'Dok memerlukan garansi' },
      }),
      excludes: await make.rule('excludes', o.hub.id, { targetOptionIds: [o.dock.id] }),
      onlyWith: await make.rule('only-with', o.engraving.id, { targetOptionIds: [o.ram32.id] }),
      limit: await make.rule('quantity-limit', o.ssd512.id, {
        targetOptionIds: [o.ssd1t.id],
        maxQuantity: '3',
      }),
    };
    await make.bundle(laptop.id, [o.dock.id, o.warranty.id], '10');
    await make.discount({ tier: 'gold', discountPercent: '5' });
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('validate', () => {
    it('accepts a configuration that keeps every rule', async () => {
      const res = await call('validate', config(VALID()));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ valid: true, violations: [] });
    });

    it('lists every broken rule at once, with rule ids and the options involved', async () => {
      const other = await make.product();
      const otherGroup = await make.group(other.id, 'Other');
      const foreign = await make.surchargeOption(otherGroup.id, 'Foreign', [
        { amount: '1.00', currency: 'IDR' },
      ]);
      const res = await call(
        'validate',
        config([
          ...pick('ram16', 'ram32', 'dock', 'hub', 'engraving'),
          { optionId: o.ssd512.id, quantity: '5' },
          { optionId: UNKNOWN },
          { optionId: foreign.id },
        ]),
      );
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      const violations = res.body.violations as Violation[];
      expect(violations.map((v) => v.code).sort()).toEqual(
        [
          'option_unknown',
          'option_other_product',
          'option_quantity',
          'group_max',
          'group_min',
          'requires',
          'excludes',
          'quantity_limit',
        ].sort(),
      );
      const byCode = Object.fromEntries(violations.map((v) => [v.code, v]));
      expect(byCode.requires).toMatchObject({
        ruleId: r.requires.id,
        optionIds: [o.dock.id, o.warranty.id],
        message: 'A dock needs the warranty',
      });
      expect(byCode.excludes.ruleId).toBe(r.excludes.id);
      expect(byCode.quantity_limit.ruleId).toBe(r.limit.id);
      expect(byCode.group_max.optionIds.sort()).toEqual([o.ram16.id, o.ram32.id].sort());
    });

    it('reports a required group, only-with, inactive and unavailable options, in Indonesian', async () => {
      const late = await make.product({ availableTo: '2026-01-31' });
      const group = await make.group(laptop.id, 'Late');
      const lateOption = await server.http
        .post('/api/v1/product-options')
        .set(admin)
        .send({ groupId: group.id, optionProductId: late.id });
      const inactive = await make.surchargeOption(
        group.id,
        'Old',
        [{ amount: '1', currency: 'IDR' }],
        {
          active: false,
        },
      );
      const res = await call(
        'validate',
        config([...pick('engraving'), { optionId: lateOption.body.id }, { optionId: inactive.id }]),
        admin,
        'id',
      );
      const violations = res.body.violations as Violation[];
      expect(violations.map((v) => v.code).sort()).toEqual(
        ['group_required', 'option_inactive', 'option_unavailable', 'only_with'].sort(),
      );
      expect(violations.find((v) => v.code === 'group_required')!.message).toBe(
        'Pilih sedikitnya 1 pada "Memory".',
      );
      expect(violations.find((v) => v.code === 'only_with')!.ruleId).toBe(r.onlyWith.id);
      await server.http.delete(`/api/v1/product-option-groups/${group.id}`).set(admin);
    });

    it('stops checking a rule once it is deleted, and again once it is restored', async () => {
      const body = config([
        ...VALID().filter((s) => s.optionId !== o.dock.id),
        ...pick('hub', 'dock'),
      ]);
      expect((await call('validate', body)).body.violations.map((v: Violation) => v.code)).toEqual([
        'excludes',
      ]);
      await server.http.delete(`/api/v1/product-option-rules/${r.excludes.id}`).set(admin);
      expect((await call('validate', body)).body.valid).toBe(true);
      await server.http.post(`/api/v1/product-option-rules/${r.excludes.id}/restore`).set(admin);
      expect((await call('validate', body)).body.valid).toBe(false);
    });
  });

  describe('price', () => {
    it('prices line by line, rounded half-even, with the bundle discount and the total as their sum', async () => {
      const res = await call('price', config(VALID(), { quantity: '3' }));
      expect(res.status).toBe(200);
      const lines = res.body.lines as Line[];
      expect(lines.map((l) => [l.kind, l.amount.amount])).toEqual([
        ['product', '30000000'],
        ['option', '3703702'],
        ['option', '2250000'],
        ['option', '4500000'],
        ['option', '3600000'],
        ['surcharge', '750000'],
        ['bundle-discount', '-435000'],
      ]);
      expect(res.body).toMatchObject({
        currency: 'IDR',
        quantity: '3',
        date: DAY,
        subtotal: { amount: '44803702', currency: 'IDR' },
        discountTotal: { amount: '-435000', currency: 'IDR' },
        total: { amount: '44368702', currency: 'IDR' },
      });
    });

    it('applies the volume tier and the segment discount of the account', async () => {
      const gold = await customers.account({ customFields: { tier: 'gold' } });
      const res = await call('price', config(VALID(), { quantity: '10', accountId: gold.id }));
      expect(res.status).toBe(200);
      const lines = res.body.lines as Line[];
      expect(lines[0]).toMatchObject({ tierMinQuantity: '10', amount: { amount: '95000000' } });
      expect(lines.at(-1)).toMatchObject({ kind: 'segment-discount', percent: '5' });
      const sum = lines.reduce((s, l) => s + Math.round(Number(l.amount.amount) * 100), 0);
      expect(Math.round(Number(res.body.total.amount) * 100)).toBe(sum);
    });

    it('answers 422 with the violations for a configuration that breaks rules', async () => {
      const res = await call('price', config(pick('hub', 'dock')));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.code).toBe('configuration_invalid');
      expect(res.body.violations.map((v: Violation) => v.code)).toContain('excludes');
    });

    it('answers 404 without a price in the currency, prices in cents in USD, and 422 without a surcharge', async () => {
      const noPrice = await call('price', config(VALID(), { currency: 'USD' }));
      expect(noPrice.status).toBe(404);
      expect(noPrice.body.code).toBe('price_not_found');
      const usd = await make.priceBook({ name: 'USD', currency: 'USD', isStandard: true });
      for (const p of [laptop, o.ram32.product, o.ssd512.product, o.ssd1t.product, o.dock.product])
        await make.entry(usd.id, p!.id, '10.00', {
          unitPrice: { amount: p === o.ram32.product ? '10.005' : '10.00', currency: 'USD' },
        });
      const inUsd = await call('price', config(VALID(), { currency: 'USD' }));
      expect(inUsd.status).toBe(200);
      expect(inUsd.body.lines.map((l: Line) => l.amount.amount)).toEqual([
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '15.00',
        '-2.50',
      ]);
      expect(inUsd.body.total).toEqual({ amount: '62.50', currency: 'USD' });
      const noSurcharge = await call(
        'price',
        config([...pick('ram32', 'ssd512', 'ssd1t', 'engraving')], { currency: 'USD' }),
      );
      expect(noSurcharge.status).toBe(422);
      expect(noSurcharge.body.code).toBe('option_surcharge_missing');
    });

    it('answers 404 for an unknown product or account and 422 for an inactive product', async () => {
      expect((await call('price', config([], { productId: UNKNOWN }))).status).toBe(404);
      expect((await call('price', config(VALID(), { accountId: UNKNOWN }))).status).toBe(404);
      const off = await make.product({ active: false });
      const res = await call('validate', config([], { productId: off.id }));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('product_inactive');
    });

    it.each([
      ['no product', { productId: undefined }, 'productId'],
      ['a quantity of the wrong type', { quantity: 2 }, 'quantity'],
      ['a zero quantity', { quantity: '0' }, 'quantity'],
      ['an unknown currency', { currency: 'XYZ' }, 'currency'],
      ['a currency too long', { currency: 'IDRR' }, 'currency'],
      ['an impossible day', { day: '2026-02-30' }, 'day'],
      ['an unknown field', { discount: '50' }, 'discount'],
      ['selections that are no list', { selections: 'all' }, 'selections'],
      ['too many selections', { selections: Array(201).fill({ optionId: UNKNOWN }) }, 'selections'],
      [
        'an option id that is no UUID',
        { selections: [{ optionId: 'x' }] },
        'selections[0].optionId',
      ],
      [
        'an unknown selection field',
        { selections: [{ optionId: UNKNOWN, colour: 1 }] },
        'selections[0].colour',
      ],
    ])('answers 400 for %s', async (_what, fields, field) => {
      for (const path of ['validate', 'price'] as const) {
        const res = await call(path, config([], fields));
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });
  });

  describe('saved configurations', () => {
    it('saves a priced configuration, reprices it on change with history and events, and checks ETags', async () => {
      const created = await server.http
        .post('/api/v1/configurations')
        .set(admin)
        .send({ ...config(VALID()), name: 'IT team laptops' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/configurations/${created.body.id}`);
      expect(created.body.total).toEqual({ amount: '14789568', currency: 'IDR' });
      expect(created.body.lines).toHaveLength(7);
      const read = await server.http.get(`/api/v1/configurations/${created.body.id}`).set(admin);
      const patched = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ quantity: '2' });
      expect(patched.status).toBe(200);
      expect(patched.body.total.amount).toBe('29579135');
      const stale = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ quantity: '4' });
      expect(stale.status).toBe(412);
      const broken = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set(admin)
        .send({ selections: pick('hub', 'dock') });
      expect(broken.status).toBe(422);
      const history = await server.http
        .get(`/api/v1/configurations/${created.body.id}/history`)
        .set(admin);
      expect(history.body.data[0].changes.map((c: { field: string }) => c.field)).toEqual(
        expect.arrayContaining(['quantity', 'total']),
      );
      const events = (await eventsOf(server, created.body.id)).map((e) => e.type);
      expect(events).toEqual([
        'configuration.created',
        'configuration.priced',
        'configuration.updated',
        'configuration.priced',
      ]);
      const listed = await server.http
        .get(
          `/api/v1/configurations?filter[productId][eq]=${laptop.id}&filter[total.amount][gte]=20000000`,
        )
        .set(admin);
      expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    });

    it("answers 404 for another team's configuration and lets sellers read the model but not change it", async () => {
      const [teamA, teamB] = [await people.team(), await people.team()];
      const repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      const repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      const mine = await server.http
        .post('/api/v1/configurations')
        .set(repA.auth)
        .send(config(VALID()));
      expect(mine.status).toBe(201);
      const theirs = await server.http.get(`/api/v1/configurations/${mine.body.id}`).set(repB.auth);
      expect(theirs.status).toBe(404);
      const patch = await server.http
        .patch(`/api/v1/configurations/${mine.body.id}`)
        .set(repB.auth)
        .send({ quantity: '2' });
      expect(patch.status).toBe(404);
      expect((await server.http.get('/api/v1/product-option-groups').set(repB.auth)).status).toBe(
        200,
      );
      const write = await server.http
        .post('/api/v1/product-option-groups')
        .set(repB.auth)
        .send({ productId: laptop.id, name: { en: 'Colour' } });
      expect(write.status).toBe(403);
    });

    it.each([
      ['missing currency', { currency: undefined }, 'currency'],
      ['a wrong type', { selections: {} }, 'selections'],
      ['a name too long', { name: 'n'.repeat(201) }, 'name'],
      ['an unknown field', { total: { amount: '1', currency: 'IDR' } }, 'total'],
      ['an unknown product', { productId: UNKNOWN }, 'productId'],
    ])('answers 400 for %s', async (_what, fields, field) => {
      const res = await server.http
        .post('/api/v1/configurations')
        .set(admin)
        .send(config(VALID(), fields));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('model records', () => {
    it.each([
      ['product-option-groups', () => ({ productId: laptop.id }), 'name'],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'X' }, minChoices: 3, maxChoices: 2 }),
        'maxChoices',
      ],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'x'.repeat(201) } }),
        'name.en',
      ],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'X' }, size: 1 }),
        'size',
      ],
      [
        'product-options',
        () => ({
          groupId: memory.id,
          optionProductId: o.dock.product!.id,
          surcharges: [{ amount: '1', currency: 'IDR' }],
        }),
        'surcharges',
      ],
      ['product-options', () => ({ groupId: memory.id }), 'optionProductId'],
      [
        'product-options',
        () => ({ groupId: memory.id, optionProductId: laptop.id }),
        'optionProductId',
      ],
      [
        'product-options',
        () => ({
          groupId: memory.id,
          name: { en: 'X' },
          surcharges: [{ amount: '-1', currency: 'IDR' }],
        }),
        'surcharges[0].amount',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'requires', optionId: o.dock.id }),
        'targetOptionIds',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'forbids', optionId: o.dock.id, targetOptionIds: [o.hub.id] }),
        'kind',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'excludes', optionId: o.dock.id, targetOptionIds: [UNKNOWN] }),
        'targetOptionIds',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'quantity-limit', optionId: o.dock.id }),
        'maxQuantity',
      ],
      [
        'product-bundles',
        () => ({
          productId: laptop.id,
          name: { en: 'B' },
          optionIds: [o.dock.id],
          discountPercent: '5',
        }),
        'optionIds',
      ],
      [
        'product-bundles',
        () => ({
          productId: laptop.id,
          name: { en: 'B' },
          optionIds: [o.dock.id, o.hub.id],
          discountPercent: '101',
        }),
        'discountPercent',
      ],
      [
        'configuration-discounts',
        () => ({ name: 'D', discountPercent: '5', validFrom: '2026-02-01', validTo: '2026-01-01' }),
        'validTo',
      ],
    ])('%s answers 400 for a bad body (%#)', async (path, body, field) => {
      const res = await server.http.post(`/api/v1/${path}`).set(admin).send(body());
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('lists options of a group by filter, with ETags, history and events', async () => {
      const listed = await server.http
        .get(`/api/v1/product-options?filter[groupId][eq]=${memory.id}&sort=createdAt`)
        .set(admin);
      expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([o.ram16.id, o.ram32.id]);
      expect(listed.body.data[0].productId).toBe(laptop.id);
      const read = await server.http.get(`/api/v1/product-options/${o.ram16.id}`).set(admin);
      const ok = await server.http
        .patch(`/api/v1/product-options/${o.ram16.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ sortOrder: 5 });
      expect(ok.status).toBe(200);
      const stale = await server.http
        .patch(`/api/v1/product-options/${o.ram16.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ sortOrder: 6 });
      expect(stale.status).toBe(412);
      const history = await server.http
        .get(`/api/v1/product-options/${o.ram16.id}/history`)
        .set(admin);
      expect(history.body.data[0].changes).toEqual([{ field: 'sortOrder', old: 0, new: 5 }]);
      expect((await eventsOf(server, o.ram16.id)).map((e) => e.type)).toEqual([
        'product-option.created',
        'product-option.updated',
      ]);
    });
  });
});
