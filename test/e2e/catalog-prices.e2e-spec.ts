import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
customization:
  accounts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier, id: Tingkat }
        options: [{ value: gold, label: { en: Gold, id: Emas } }, { value: silver, label: { en: Silver, id: Perak } }]
catalog:
  taxCategories:
    - { key: standard, label: { en: VAT 11%, id: PPN 11% }, rate: '11' }
    - { key: luxury, label: { en: Luxury goods VAT }, rate: '12.5', default: true }
`;

describe('price lookup', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof catalogFactories>;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let standard: { id: string };

  const lookup = (query: Record<string, string>, auth = admin, lang = 'en') =>
    server.http
      .get('/api/v1/prices')
      .query(query)
      .set({ ...auth, 'accept-language': lang });

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('prices', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = catalogFactories(server, admin);
    customers = factories(server, token);
    people = accessFactories(server, token);
    standard = await make.priceBook({ name: 'Harga standar', isStandard: true });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('takes the standard book without an account, with the name in the caller language', async () => {
    const product = await make.product({ name: { en: 'Router', id: 'Perute' } });
    const entry = await make.entry(standard.id, product.id, '1500000.00');
    const res = await lookup(
      { productId: product.id, currency: 'IDR', date: '2026-05-04' },
      admin,
      'id',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      currency: 'IDR',
      date: '2026-05-04',
      accountId: null,
      unpriced: [],
      data: [
        {
          productId: product.id,
          sku: product.sku,
          productName: 'Perute',
          unitPrice: { amount: '1500000.00', currency: 'IDR' },
          quantity: '1',
          priceBook: {
            id: standard.id,
            name: 'Harga standar',
            isStandard: true,
            accountType: null,
            industry: null,
            tier: null,
          },
          entry: { id: entry.id, minQuantity: '1', validFrom: null, validTo: null },
          rule: 'standard',
          reason: 'Price book "Harga standar", the standard book of its currency',
        },
      ],
    });
  });

  it('prefers the book matching the most criteria of the account, and falls back when it has no price', async () => {
    const product = await make.product();
    const other = await make.product();
    await make.entry(standard.id, product.id, '1000.00');
    await make.entry(standard.id, other.id, '2000.00');
    const partners = await make.priceBook({ name: 'Partners', accountType: 'partner' });
    const goldPartners = await make.priceBook({
      name: 'Gold partners',
      accountType: 'partner',
      tier: 'gold',
    });
    await make.entry(partners.id, product.id, '900.00');
    await make.entry(goldPartners.id, product.id, '800.00');
    const gold = await customers.account({ type: 'partner', customFields: { tier: 'gold' } });
    const silver = await customers.account({ type: 'partner', customFields: { tier: 'silver' } });
    const prospect = await customers.account({ type: 'prospect' });

    const forGold = await lookup({ productIds: `${product.id},${other.id}`, accountId: gold.id });
    expect(forGold.status).toBe(200);
    expect(
      forGold.body.data.map((p: { unitPrice: { amount: string }; rule: string }) => [
        p.unitPrice.amount,
        p.rule,
      ]),
    ).toEqual([
      ['800.00', 'segment'],
      ['2000.00', 'standard'],
    ]);
    expect(forGold.body.data[0].reason).toBe(
      'Price book "Gold partners", for accounts of type partner, of tier gold',
    );
    const forSilver = await lookup({ productId: product.id, accountId: silver.id });
    expect(forSilver.body.data[0].priceBook.id).toBe(partners.id);
    const forProspect = await lookup({ productId: product.id, accountId: prospect.id });
    expect(forProspect.body.data[0].priceBook.id).toBe(standard.id);
  });

  it('honours validity days at both ends, inclusive', async () => {
    const product = await make.product();
    await make.entry(standard.id, product.id, '100.00');
    const promo = await make.priceBook({
      name: 'Promo Lebaran',
      validFrom: '2026-03-20',
      validTo: '2026-03-31',
    });
    await make.entry(promo.id, product.id, '80.00');
    const bookOn = async (date: string) =>
      (await lookup({ productId: product.id, date })).body.data[0].priceBook.id as string;
    expect(await bookOn('2026-03-19')).toBe(standard.id);
    expect(await bookOn('2026-03-20')).toBe(promo.id);
    expect(await bookOn('2026-03-31')).toBe(promo.id);
    expect(await bookOn('2026-04-01')).toBe(standard.id);
  });

  it('picks the highest volume tier the quantity reaches, and entry validity', async () => {
    const product = await make.product();
    await make.entry(standard.id, product.id, '100.00');
    await make.entry(standard.id, product.id, '90.00', { minQuantity: '10' });
    await make.entry(standard.id, product.id, '80.00', {
      minQuantity: '50',
      validTo: '2026-06-30',
    });
    const priceAt = async (quantity: string, date = '2026-06-30') =>
      (await lookup({ productId: product.id, quantity, date })).body.data[0].unitPrice
        .amount as string;
    expect(await priceAt('9.5')).toBe('100.00');
    expect(await priceAt('10')).toBe('90.00');
    expect(await priceAt('50')).toBe('80.00');
    expect(await priceAt('50', '2026-07-01')).toBe('90.00');
  });

  it('answers 404 when the currency has no price, without converting', async () => {
    const product = await make.product();
    await make.entry(standard.id, product.id, '100.00');
    const res = await lookup({ productId: product.id, currency: 'USD' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('price_not_found');
    expect(res.body.detail).toContain('never converted');
  });

  it('answers 422 for an inactive product and one outside its availability', async () => {
    const inactive = await make.product();
    await make.entry(standard.id, inactive.id, '100.00');
    await server.http.patch(`/api/v1/products/${inactive.id}`).set(admin).send({ active: false });
    const off = await lookup({ productId: inactive.id });
    expect(off.status).toBe(422);
    expect(off.body.code).toBe('product_inactive');

    const seasonal = await make.product({ availableFrom: '2026-01-01', availableTo: '2026-06-30' });
    await make.entry(standard.id, seasonal.id, '100.00');
    expect((await lookup({ productId: seasonal.id, date: '2026-06-30' })).status).toBe(200);
    const late = await lookup({ productId: seasonal.id, date: '2026-07-01' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('product_not_available');
  });

  it("answers 404 for an account outside the caller's scope", async () => {
    const product = await make.product();
    await make.entry(standard.id, product.id, '100.00');
    const rep = await people.userWithToken('sales_rep');
    const theirs = await customers.account();
    const res = await lookup({ productId: product.id, accountId: theirs.id }, rep.auth);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    const own = await server.http
      .post('/api/v1/accounts')
      .set(rep.auth)
      .send({ name: 'PT Milik Sendiri' });
    expect((await lookup({ productId: product.id, accountId: own.body.id }, rep.auth)).status).toBe(
      200,
    );
  });

  it.each([
    ['no product', {}, 'productId'],
    ['a product id that is not a UUID', { productId: 'abc' }, 'productId'],
    [
      'an unknown currency',
      { productId: '0192f000-0000-7000-8000-000000000001', currency: 'XYZ' },
      'currency',
    ],
    [
      'an impossible date',
      { productId: '0192f000-0000-7000-8000-000000000001', date: '2026-02-30' },
      'date',
    ],
    [
      'a zero quantity',
      { productId: '0192f000-0000-7000-8000-000000000001', quantity: '0' },
      'quantity',
    ],
    [
      'an unknown parameter',
      { productId: '0192f000-0000-7000-8000-000000000001', priceBook: 'x' },
      'priceBook',
    ],
  ])('answers 400 for %s', async (_what, query, field) => {
    const res = await lookup(query);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown product', async () => {
    const res = await lookup({ productId: '0192f000-0000-7000-8000-0000000000ee' });
    expect(res.status).toBe(404);
  });

  it('answers several products each on its own: the priced in data, the others in unpriced', async () => {
    const router = await make.product({ name: { en: 'Router' } });
    await make.entry(standard.id, router.id, '1500000.00');
    const inactive = await make.product();
    await make.entry(standard.id, inactive.id, '100.00');
    await server.http.patch(`/api/v1/products/${inactive.id}`).set(admin).send({ active: false });
    const unpricedProduct = await make.product({ sku: 'NO-PRICE-1' });
    const unknown = '0192f000-0000-7000-8000-0000000000ee';
    const res = await lookup(
      {
        productIds: [router.id, inactive.id, unpricedProduct.id, unknown].join(','),
        currency: 'IDR',
      },
      admin,
      'id',
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        productId: router.id,
        unitPrice: { amount: '1500000.00', currency: 'IDR' },
      }),
    ]);
    expect(res.body.unpriced).toEqual([
      expect.objectContaining({ productId: inactive.id, status: 422, code: 'product_inactive' }),
      expect.objectContaining({ productId: unknown, status: 404, code: 'not_found' }),
      expect.objectContaining({
        productId: unpricedProduct.id,
        status: 404,
        code: 'price_not_found',
        title: 'Harga tidak ada',
        detail: expect.stringContaining('NO-PRICE-1'),
      }),
    ]);
    // Alone, a product's problem is the answer; the request's own problems fail it whole.
    expect((await lookup({ productId: unpricedProduct.id })).status).toBe(404);
    const badAccount = await lookup({ productIds: router.id, accountId: unknown });
    expect(badAccount.status).toBe(404);
    const tooMany = await lookup({
      productIds: Array.from({ length: 101 }, () => router.id).join(','),
    });
    expect(tooMany.status).toBe(400);
  });

  describe('GET /tax-categories', () => {
    it('lists the configured categories with their names, rates and the default', async () => {
      const rep = await people.userWithToken('sales_rep');
      const res = await server.http.get('/api/v1/tax-categories').set(rep.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          { code: 'standard', name: { en: 'VAT 11%', id: 'PPN 11%' }, rate: '11', default: false },
          { code: 'luxury', name: { en: 'Luxury goods VAT' }, rate: '12.5', default: true },
        ],
      });
      // A product naming no category takes the default one.
      expect((await make.product()).taxCategory).toBe('luxury');
    });

    it('answers 401 without credentials', async () => {
      const res = await server.http.get('/api/v1/tax-categories');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    });
  });
});
