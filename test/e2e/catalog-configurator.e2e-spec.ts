import type { CatalogRecord } from '../support/catalog-factories.js';
import {
  configuratorWorld,
  DAY,
  type ConfiguratorWorld,
} from '../support/configurator-factories.js';

const UNKNOWN = '0192f000-0000-7000-8000-0000000000ee';

type Violation = { code: string; ruleId: string | null; optionIds: string[]; message: string };
type Line = { kind: string; amount: { amount: string }; tierMinQuantity: string | null };

describe('product configurator: validate and price', () => {
  let w: ConfiguratorWorld;
  let server: ConfiguratorWorld['server'];
  let admin: ConfiguratorWorld['admin'];
  let make: ConfiguratorWorld['make'];
  let customers: ConfiguratorWorld['customers'];
  let laptop: CatalogRecord;
  let o: ConfiguratorWorld['o'];
  let r: ConfiguratorWorld['r'];
  const config = (selections: unknown[], fields: Record<string, unknown> = {}) =>
    w.config(selections, fields);
  const pick = (...keys: (keyof ConfiguratorWorld['o'])[]) => w.pick(...keys);
  const VALID = () => w.valid();
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

  beforeAll(async () => {
    w = await configuratorWorld('configurator');
    ({ server, admin, make, customers, laptop, o, r } = w);
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
});
