import { accessFactories } from '../support/access-factories.js';
import { expectProblem } from '../support/problems.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
catalog:
  taxCategories:
    - { key: ppn, label: { en: VAT 11%, id: PPN 11% }, rate: "11", default: true }
    - { key: exempt, label: { en: Exempt, id: Bebas PPN }, rate: "0" }
`;

describe('catalog records', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof catalogFactories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('catalog', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = catalogFactories(server, admin);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('products', () => {
    it('creates a product with a family, names per language and the default tax category', async () => {
      const family = await server.http
        .post('/api/v1/product-families')
        .set(admin)
        .send({ name: { en: 'Laptops', id: 'Laptop' } });
      expect(family.status).toBe(201);
      const res = await server.http
        .post('/api/v1/products')
        .set(admin)
        .send({
          sku: 'LPT-14-BIZ',
          name: { en: 'Business laptop 14"', id: 'Laptop bisnis 14 inci' },
          description: { id: 'Garansi tiga tahun' },
          familyId: family.body.id,
          unit: 'pcs',
          costPrice: { amount: '9500000.00', currency: 'IDR' },
        });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/products/${res.body.id}`);
      expect(res.body).toMatchObject({
        sku: 'LPT-14-BIZ',
        name: { en: 'Business laptop 14"', id: 'Laptop bisnis 14 inci' },
        taxCategory: 'ppn',
        active: true,
        unit: 'pcs',
        costPrice: { amount: '9500000.00', currency: 'IDR' },
        customFields: {},
      });
      const listed = await server.http.get('/api/v1/products?q=bisnis&include=family').set(admin);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
      expect(listed.body.data[0].family.name).toEqual({ en: 'Laptops', id: 'Laptop' });
      const events = await eventsOf(server, res.body.id);
      expect(events.map((e) => e.type)).toEqual(['product.created']);
    });

    it('keeps history of changes and answers 412 for a stale ETag', async () => {
      const product = await make.product({ taxCategory: 'exempt' });
      const read = await server.http.get(`/api/v1/products/${product.id}`).set(admin);
      const etag = read.headers.etag;
      const patched = await server.http
        .patch(`/api/v1/products/${product.id}`)
        .set({ ...admin, 'if-match': etag })
        .send({ active: false });
      expect(patched.status).toBe(200);
      expect(patched.body.active).toBe(false);
      const stale = await server.http
        .patch(`/api/v1/products/${product.id}`)
        .set({ ...admin, 'if-match': etag })
        .send({ active: true });
      expectProblem(stale, 412);
      const history = await server.http.get(`/api/v1/products/${product.id}/history`).set(admin);
      expect(history.body.data[0].changes).toEqual([{ field: 'active', old: true, new: false }]);
    });

    it.each([
      ['missing sku', { name: { en: 'X' } }, 'sku'],
      ['a sku of the wrong type', { sku: 12, name: { en: 'X' } }, 'sku'],
      ['a sku too long', { sku: 'S'.repeat(65), name: { en: 'X' } }, 'sku'],
      ['an unknown field', { sku: 'S-UNK', name: { en: 'X' }, colour: 'red' }, 'colour'],
      ['a name without a language', { sku: 'S-NOLANG', name: {} }, 'name'],
      ['a name too long', { sku: 'S-LONG', name: { id: 'n'.repeat(201) } }, 'name.id'],
      [
        'an unknown tax category',
        { sku: 'S-TAX', name: { en: 'X' }, taxCategory: 'vat' },
        'taxCategory',
      ],
      [
        'a negative cost price',
        { sku: 'S-NEG', name: { en: 'X' }, costPrice: { amount: '-1', currency: 'IDR' } },
        'costPrice',
      ],
      [
        'availability ending before it starts',
        { sku: 'S-WIN', name: { en: 'X' }, availableFrom: '2026-05-02', availableTo: '2026-05-01' },
        'availableTo',
      ],
      [
        'an unknown family',
        { sku: 'S-FAM', name: { en: 'X' }, familyId: '0192f000-0000-7000-8000-0000000000ff' },
        'familyId',
      ],
    ])('answers 400 for %s', async (_what, body, field) => {
      const res = await server.http.post('/api/v1/products').set(admin).send(body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 409 for a SKU a live product has, whatever its case', async () => {
      const first = await make.product({ sku: 'DUP-001' });
      const res = await server.http
        .post('/api/v1/products')
        .set(admin)
        .send({ sku: 'dup-001', name: { en: 'Twin' } });
      expectProblem(res, 409);
      expect(res.body.existingId).toBe(first.id);
      expect((await server.http.delete(`/api/v1/products/${first.id}`).set(admin)).status).toBe(
        204,
      );
      await make.product({ sku: 'dup-001' });
    });

    it('lets sales reps read products but not see the cost price or change them', async () => {
      const product = await make.product({ costPrice: { amount: '100.00', currency: 'IDR' } });
      const rep = await people.userWithToken('sales_rep');
      const read = await server.http.get(`/api/v1/products/${product.id}`).set(rep.auth);
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('costPrice');
      const write = await server.http
        .patch(`/api/v1/products/${product.id}`)
        .set(rep.auth)
        .send({ active: false });
      expectProblem(write, 403);
    });

    it("answers 404 for a product outside the caller's read scope", async () => {
      const role = await people.role({
        permissions: {
          admin: false,
          entities: { products: { create: 'own', read: 'own', update: 'own', delete: 'own' } },
        },
      });
      const other = await people.userWithToken(role.id);
      const product = await make.product();
      const res = await server.http.get(`/api/v1/products/${product.id}`).set(other.auth);
      expectProblem(res, 404);
    });
  });

  describe('bulk and CSV', () => {
    it('creates products in bulk, each item standing alone, and exports them as CSV', async () => {
      const res = await server.http
        .post('/api/v1/products/bulk')
        .set(admin)
        .send({
          items: [
            { sku: 'BULK-1', name: { en: 'Kabel LAN' }, unit: 'box' },
            { sku: 'bulk-1', name: { en: 'Twin' } },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409]);
      const csv = await server.http
        .get('/api/v1/products/export?filter[sku][startsWith]=BULK&fields=sku,unit,taxCategory')
        .set(admin);
      expect(csv.status).toBe(200);
      expect(csv.text.split('\r\n')[1]).toMatch(/^[0-9a-f-]{36},BULK-1,box,ppn$/);
    });
  });

  describe('price books', () => {
    it('allows one standard book per currency', async () => {
      const first = await make.priceBook({ currency: 'SGD', isStandard: true });
      const second = await server.http
        .post('/api/v1/price-books')
        .set(admin)
        .send({ name: 'Another', currency: 'SGD', isStandard: true });
      expectProblem(second, 409);
      expect(second.body.code).toBe('standard_price_book_exists');
      expect(second.body.existingId).toBe(first.id);
      const plain = await make.priceBook({ currency: 'SGD' });
      const promote = await server.http
        .patch(`/api/v1/price-books/${plain.id}`)
        .set(admin)
        .send({ isStandard: true });
      expectProblem(promote, 409);
      await make.priceBook({ currency: 'USD', isStandard: true });
    });

    it('refuses criteria on a standard book and a currency change', async () => {
      const res = await server.http
        .post('/api/v1/price-books')
        .set(admin)
        .send({ name: 'Std', currency: 'MYR', isStandard: true, tier: 'gold' });
      expectProblem(res, 400);
      expect(res.body.errors[0].field).toBe('tier');
      const book = await make.priceBook({ currency: 'MYR' });
      const change = await server.http
        .patch(`/api/v1/price-books/${book.id}`)
        .set(admin)
        .send({ currency: 'USD' });
      expectProblem(change, 400);
    });

    it('answers 400 for an unknown currency or account type', async () => {
      const res = await server.http
        .post('/api/v1/price-books')
        .set(admin)
        .send({ name: 'Bad', currency: 'XYZ', accountType: 'alien' });
      expectProblem(res, 400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['currency', 'accountType']));
    });
  });

  describe('price book entries', () => {
    it('creates entries and filters them by product SKU', async () => {
      const book = await make.priceBook();
      const product = await make.product({ sku: 'ENT-001' });
      const entry = await make.entry(book.id, product.id, '125000.00', { minQuantity: '10' });
      expect(entry).toMatchObject({
        minQuantity: '10',
        unitPrice: { amount: '125000.00', currency: 'IDR' },
      });
      const listed = await server.http
        .get('/api/v1/price-book-entries?filter[product.sku][eq]=ENT-001')
        .set(admin);
      expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([entry.id]);
      const events = await eventsOf(server, entry.id);
      expect(events.map((e) => e.type)).toEqual(['price-book-entry.created']);
    });

    it('answers 422 for a price in another currency than the book', async () => {
      const book = await make.priceBook({ currency: 'IDR' });
      const product = await make.product();
      const res = await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: book.id,
          productId: product.id,
          unitPrice: { amount: '10.00', currency: 'USD' },
        });
      expectProblem(res, 422);
      expect(res.body.code).toBe('price_book_currency_mismatch');
    });

    it('answers 422 for an entry of an inactive product', async () => {
      const book = await make.priceBook();
      const product = await make.product({ active: false });
      const res = await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: book.id,
          productId: product.id,
          unitPrice: { amount: '10', currency: 'IDR' },
        });
      expectProblem(res, 422);
      expect(res.body.code).toBe('product_inactive');
    });

    it('answers 409 for a second entry of one book, product and minimum quantity', async () => {
      const book = await make.priceBook();
      const product = await make.product();
      await make.entry(book.id, product.id, '10');
      const res = await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: book.id,
          productId: product.id,
          unitPrice: { amount: '9', currency: 'IDR' },
          minQuantity: '1.00',
        });
      expectProblem(res, 409);
    });

    it('answers 400 for a zero minimum quantity and for moving an entry to another book', async () => {
      const book = await make.priceBook();
      const product = await make.product();
      const zero = await server.http
        .post('/api/v1/price-book-entries')
        .set(admin)
        .send({
          priceBookId: book.id,
          productId: product.id,
          unitPrice: { amount: '9', currency: 'IDR' },
          minQuantity: '0',
        });
      expectProblem(zero, 400);
      const entry = await make.entry(book.id, product.id, '10');
      const other = await make.priceBook();
      const move = await server.http
        .patch(`/api/v1/price-book-entries/${entry.id}`)
        .set(admin)
        .send({ priceBookId: other.id });
      expectProblem(move, 400);
    });
  });
});
