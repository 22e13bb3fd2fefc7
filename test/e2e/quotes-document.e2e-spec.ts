import { quoteFactories } from '../support/quote-factories.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { binary, pdfText } from '../support/pdf-text.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
quotes:
  letterhead:
    companyName: PT Relasi Nusantara
    address: "Jl. Jend. Sudirman Kav. 1, Jakarta 10220"
    taxId: 01.234.567.8-901.000
  terms:
    en: Payment 14 days after delivery.
    id: Pembayaran 14 hari setelah pengiriman.
`;

describe('quote proposal documents', () => {
  let server: TestServer;
  let make: ReturnType<typeof quoteFactories>;
  let laptop: { id: string };
  let service: { id: string };

  const documentOf = (id: string, auth = make.auth) =>
    server.http
      .get(`/api/v1/quotes/${id}/document`)
      .set(auth)
      .buffer(true)
      .parse(binary as never);

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CONFIG: writeSalesConfig('quote-docs', CONFIG) } });
    make = quoteFactories(server, await server.login());
    const idr = await make.catalog.priceBook({ isStandard: true });
    const usd = await make.catalog.priceBook({ isStandard: true, currency: 'USD' });
    laptop = await make.catalog.product({ name: { en: 'Business laptop', id: 'Laptop bisnis' } });
    service = await make.catalog.product({
      name: { en: 'Installation', id: 'Instalasi' },
      taxCategory: 'exempt',
    });
    await make.catalog.entry(idr.id, laptop.id, '1000000');
    await make.catalog.entry(idr.id, service.id, '500000');
    await make.catalog.entry(usd.id, laptop.id, '1250.50', {
      unitPrice: { amount: '1250.50', currency: 'USD' },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('prints an Indonesian proposal with letterhead, lines, discounts, taxes per category and totals', async () => {
    const account = await make.account({ name: 'PT Maju Jaya' });
    const contact = await make.contact({
      firstName: 'Siti',
      lastName: 'Rahayu',
      preferredLanguage: 'id',
    });
    const quote = await make.quote({
      accountId: account.id,
      contactId: contact.id,
      headerDiscountPercent: '5',
      validUntil: '2099-03-31',
    });
    expect(quote.language).toBe('id');
    await make.line(quote.id, laptop.id, { quantity: '3', discountPercent: '10' });
    await make.line(quote.id, service.id);
    const res = await documentOf(quote.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`${String(quote.number)}-1.pdf`);
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(body);
    for (const expected of [
      'PT Relasi Nusantara',
      'NPWP: 01.234.567.8-901.000',
      'PENAWARAN HARGA',
      String(quote.number),
      'Versi:',
      'Berlaku sampai:',
      '31 Maret 2099',
      'PT Maju Jaya',
      'Siti Rahayu',
      '1. Laptop bisnis',
      '2. Instalasi',
      'Rp 1.000.000',
      'Rp 2.700.000',
      'Subtotal',
      'Rp 3.200.000',
      'Diskon 5%',
      '-Rp 160.000',
      'PPN 11% atas Rp 2.565.000',
      'Rp 282.150',
      'Bebas PPN atas Rp 475.000',
      'Total',
      'Rp 3.322.150',
      'Syarat dan ketentuan',
      'Pembayaran 14 hari setelah pengiriman.',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('QUOTATION');
  });

  it('prints an English proposal in dollars with its own terms', async () => {
    const quote = await make.quote({
      currency: 'USD',
      language: 'en',
      terms: 'Net 30. Prices exclude shipping.',
      validUntil: '2099-01-15',
    });
    await make.line(quote.id, laptop.id, { quantity: '2' });
    const text = await pdfText((await documentOf(quote.id)).body as Buffer);
    for (const expected of [
      'QUOTATION',
      'Quote number:',
      'Valid until:',
      '15 January 2099',
      '1. Business laptop',
      '$1,250.50',
      '$2,501.00',
      'VAT 11% on $2,501.00',
      '$275.11',
      '$2,776.11',
      'Terms and conditions',
      'Net 30. Prices exclude shipping.',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('PENAWARAN');
  });

  it('prints many lines over several pages', async () => {
    const quote = await make.quote({ language: 'en' });
    for (let i = 0; i < 60; i++)
      await make.line(quote.id, service.id, { description: `Visit ${i + 1}` });
    const text = await pdfText((await documentOf(quote.id)).body as Buffer);
    expect(text).toContain('60. Visit 60');
    expect(text).toContain('IDR 30,000,000');
  });

  it("prints a configuration's options at their prices as quoted, not as priced today", async () => {
    const post = async (path: string, body: object) => {
      const res = await server.http.post(`/api/v1/${path}`).set(make.auth).send(body);
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const book = (
      await server.http.get('/api/v1/price-books?filter[currency][eq]=IDR').set(make.auth)
    ).body.data[0] as { id: string };
    const workstation = await make.catalog.product({ name: { en: 'Workstation' } });
    await make.catalog.entry(book.id, workstation.id, '2000000');
    const memory = await make.catalog.product({ name: { en: 'Memory 32 GB' } });
    const memoryPrice = await make.catalog.entry(book.id, memory.id, '500000');
    const group = await post('product-option-groups', {
      productId: workstation.id,
      name: { en: 'Memory' },
    });
    const option = await post('product-options', { groupId: group.id, optionProductId: memory.id });
    const configuration = await post('configurations', {
      productId: workstation.id,
      currency: 'IDR',
      quantity: '2',
      selections: [{ optionId: option.id }],
    });
    const quote = await make.quote({ language: 'en' });
    const line = await make.line(quote.id, workstation.id, {
      configurationId: configuration.id,
      quantity: '2',
    });
    expect(line).toMatchObject({
      unitPrice: { amount: '2500000', currency: 'IDR' },
      configurationOptions: [
        {
          optionId: option.id,
          description: expect.stringContaining('Memory 32 GB'),
          unitAmount: { amount: '500000', currency: 'IDR' },
        },
      ],
    });
    const repriced = await server.http
      .patch(`/api/v1/price-book-entries/${memoryPrice.id}`)
      .set(make.auth)
      .send({ unitPrice: { amount: '800000', currency: 'IDR' } });
    expect(repriced.status).toBe(200);

    const text = await pdfText((await documentOf(quote.id)).body as Buffer);
    expect(text).toContain('Memory 32 GB: IDR 500,000');
    expect(text).not.toContain('IDR 800,000');
    // A line without a configuration keeps no options.
    const plain = await make.line((await make.quote()).id, laptop.id);
    expect(plain.configurationOptions).toBeNull();
  });
});
