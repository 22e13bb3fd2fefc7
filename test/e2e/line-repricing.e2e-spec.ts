import { quoteFactories } from '../support/quote-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const IDR = (amount: string) => ({ amount, currency: 'IDR' });

type Line = Record<string, unknown> & { id: string; version: number };

/**
 * Quote and opportunity lines priced by the books follow the books' volume tiers when only
 * their quantity changes; a price the seller gave stays as given.
 */
describe('lines priced again when their quantity changes', () => {
  let server: TestServer;
  let admin: ReturnType<typeof quoteFactories>;
  let laptop: { id: string };
  let standard: { id: string };
  let partnerBook: { id: string };

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    admin = quoteFactories(server, await server.login());
    standard = await admin.catalog.priceBook({ isStandard: true });
    partnerBook = await admin.catalog.priceBook({ accountType: 'partner' });
    laptop = await admin.catalog.product();
    await admin.catalog.entry(standard.id, laptop.id, '1000000');
    await admin.catalog.entry(standard.id, laptop.id, '900000', { minQuantity: '10' });
    await admin.catalog.entry(partnerBook.id, laptop.id, '950000');
    await admin.catalog.entry(partnerBook.id, laptop.id, '800000', { minQuantity: '5' });
  });
  afterAll(async () => {
    await server.stop();
  });

  const patch = (path: string, body: object, headers: Record<string, string> = {}) =>
    server.http
      .patch(`/api/v1/${path}`)
      .set({ ...admin.auth, ...headers })
      .send(body);

  describe('quote lines', () => {
    it('takes the volume tier of a new quantity and moves the totals with it', async () => {
      const quote = await admin.quote();
      const line = await admin.line(quote.id, laptop.id, { quantity: '2' });
      expect(line).toMatchObject({ unitPrice: IDR('1000000'), priceSource: 'price_book' });

      const more = await patch(`quote-lines/${line.id}`, { quantity: '12' });
      expect(more.status).toBe(200);
      expect(more.body).toMatchObject({
        quantity: '12',
        unitPrice: IDR('900000'),
        priceSource: 'price_book',
        priceBookId: standard.id,
        grossAmount: IDR('10800000'),
      });
      expect(await admin.get(quote.id)).toMatchObject({ subtotal: IDR('10800000') });
      // Back under the tier, back to the base price; the history keeps both changes.
      const fewer = await patch(`quote-lines/${line.id}`, { quantity: '3' });
      expect(fewer.body.unitPrice).toEqual(IDR('1000000'));
      const history = await server.http
        .get(`/api/v1/quote-lines/${line.id}/history`)
        .set(admin.auth);
      const prices = (history.body.data as { changes: { field: string; new: unknown }[] }[])
        .flatMap((h) => h.changes)
        .filter((c) => c.field === 'unitPrice')
        .map((c) => c.new);
      expect(prices).toEqual(expect.arrayContaining([IDR('900000'), IDR('1000000')]));
    });

    it("prices from the quote's own book when it names one", async () => {
      const partner = await admin.account({ type: 'partner' });
      const quote = await admin.quote({ accountId: partner.id, priceBookId: partnerBook.id });
      const line = await admin.line(quote.id, laptop.id, { quantity: '1' });
      expect(line.unitPrice).toEqual(IDR('950000'));
      const more = await patch(`quote-lines/${line.id}`, { quantity: '5' });
      expect(more.body).toMatchObject({ unitPrice: IDR('800000'), priceBookId: partnerBook.id });
    });

    it('keeps a given price, also when the quantity and a price come in one request', async () => {
      const quote = await admin.quote();
      const manual = await admin.line(quote.id, laptop.id, {
        quantity: '2',
        unitPrice: IDR('1234567'),
      });
      expect(manual.priceSource).toBe('manual');
      const more = await patch(`quote-lines/${manual.id}`, { quantity: '20' });
      expect(more.body).toMatchObject({ unitPrice: IDR('1234567'), priceSource: 'manual' });

      const booked = await admin.line(quote.id, laptop.id, { quantity: '2' });
      const both = await patch(`quote-lines/${booked.id}`, {
        quantity: '20',
        unitPrice: IDR('777'),
      });
      expect(both.body).toMatchObject({
        unitPrice: IDR('777'),
        priceSource: 'manual',
        priceBookId: null,
      });
    });

    it('refuses a bad quantity and a stale ETag before pricing anything', async () => {
      const quote = await admin.quote();
      const line = await admin.line(quote.id, laptop.id, { quantity: '2' });
      for (const quantity of ['0', '-1', 12, 'many', '1'.repeat(40)]) {
        const res = await patch(`quote-lines/${line.id}`, { quantity });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('quantity');
      }
      const unknown = await patch(`quote-lines/${line.id}`, { quantity: '12', priceSource: 'x' });
      expect(unknown.status).toBe(400);
      const stale = await patch(
        `quote-lines/${line.id}`,
        { quantity: '12' },
        { 'if-match': '"0"' },
      );
      expect(stale.status).toBe(412);
      const unchanged = await server.http.get(`/api/v1/quote-lines/${line.id}`).set(admin.auth);
      expect(unchanged.body).toMatchObject({ quantity: '2', unitPrice: IDR('1000000') });
    });

    it('answers 422 on unitPrice when no book prices the new quantity', async () => {
      const lonely = await admin.catalog.product();
      await admin.catalog.entry(standard.id, lonely.id, '500', { minQuantity: '3' });
      const quote = await admin.quote();
      const line = await admin.line(quote.id, lonely.id, { quantity: '3' });
      const fewer = await patch(`quote-lines/${line.id}`, { quantity: '1' });
      expect(fewer.status).toBe(422);
      expect(fewer.body).toMatchObject({ code: 'line_price_not_found' });
      expect(fewer.body.errors).toEqual([expect.objectContaining({ field: 'unitPrice' })]);
    });
  });

  describe('opportunity lines', () => {
    const addLine = async (body: Record<string, unknown>): Promise<Line> => {
      const res = await server.http.post('/api/v1/opportunity-lines').set(admin.auth).send(body);
      expect(res.status).toBe(201);
      return res.body as Line;
    };

    it('record where the price came from and follow the tiers when the books priced them', async () => {
      const deal = await admin.opportunity({ amount: IDR('1') });
      const booked = await addLine({ opportunityId: deal.id, productId: laptop.id, quantity: '2' });
      expect(booked).toMatchObject({ unitPrice: IDR('1000000'), priceSource: 'price_book' });
      const more = await patch(`opportunity-lines/${booked.id}`, { quantity: '10' });
      expect(more.status).toBe(200);
      expect(more.body).toMatchObject({
        unitPrice: IDR('900000'),
        total: IDR('9000000'),
        priceSource: 'price_book',
      });

      const manual = await addLine({
        opportunityId: deal.id,
        productId: laptop.id,
        quantity: '1',
        unitPrice: IDR('1100000'),
      });
      expect(manual.priceSource).toBe('manual');
      const kept = await patch(`opportunity-lines/${manual.id}`, { quantity: '10' });
      expect(kept.body).toMatchObject({ unitPrice: IDR('1100000'), total: IDR('11000000') });
      // Null hands the price back to the books, which then follow the quantity again.
      const back = await patch(`opportunity-lines/${manual.id}`, { unitPrice: null });
      expect(back.body).toMatchObject({ unitPrice: IDR('900000'), priceSource: 'price_book' });
      const fewer = await patch(`opportunity-lines/${manual.id}`, { quantity: '1' });
      expect(fewer.body).toMatchObject({ unitPrice: IDR('1000000'), total: IDR('1000000') });

      const opportunity = await server.http.get(`/api/v1/opportunities/${deal.id}`).set(admin.auth);
      expect(opportunity.body.amount).toEqual(IDR('10000000'));
      const list = await server.http
        .get(
          `/api/v1/opportunity-lines?filter[opportunityId][eq]=${deal.id}&filter[priceSource][eq]=price_book`,
        )
        .set(admin.auth);
      expect(list.body.data).toHaveLength(2);
    });

    it('refuses a priceSource in the body', async () => {
      const deal = await admin.opportunity({ amount: IDR('1') });
      const res = await server.http.post('/api/v1/opportunity-lines').set(admin.auth).send({
        opportunityId: deal.id,
        productId: laptop.id,
        quantity: '1',
        priceSource: 'manual',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('priceSource');
    });
  });
});
