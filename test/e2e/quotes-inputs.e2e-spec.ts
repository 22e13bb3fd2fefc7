import { accessFactories } from '../support/access-factories.js';
import { quoteFactories, type QuoteRecord } from '../support/quote-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const IDR = (amount: string) => ({ amount, currency: 'IDR' });

describe('quotes: bad input and access', () => {
  let server: TestServer;
  let admin: ReturnType<typeof quoteFactories>;
  let rep: ReturnType<typeof quoteFactories>;
  let teammate: ReturnType<typeof quoteFactories>;
  let stranger: ReturnType<typeof quoteFactories>;
  let product: { id: string };
  let usdBook: { id: string };
  let standardBook: { id: string };
  let draft: QuoteRecord;

  const post = (path: string, body: unknown, who = rep) =>
    server.http
      .post(`/api/v1/${path}`)
      .set(who.auth)
      .send(body as object);
  const expectField = (
    res: { status: number; body: { code: string; errors?: { field: string }[] } },
    status: number,
    field: string,
  ) => {
    expect({ status: res.status, code: res.body.code }).toEqual({
      status,
      code: 'validation_failed',
    });
    expect(res.body.errors?.map((e) => e.field)).toContain(field);
  };

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const token = await server.login();
    admin = quoteFactories(server, token);
    const people = accessFactories(server, token);
    const [team, other] = [await people.team(), await people.team()];
    rep = quoteFactories(
      server,
      (await people.userWithToken('sales_rep', { teamIds: [team.id] })).token,
    );
    teammate = quoteFactories(
      server,
      (await people.userWithToken('sales_rep', { teamIds: [team.id] })).token,
    );
    stranger = quoteFactories(
      server,
      (await people.userWithToken('sales_rep', { teamIds: [other.id] })).token,
    );
    const book = await admin.catalog.priceBook({ isStandard: true });
    standardBook = book;
    usdBook = await admin.catalog.priceBook({ currency: 'USD' });
    product = await admin.catalog.product();
    await admin.catalog.entry(book.id, product.id, '250000');
    draft = await rep.quote();
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('POST /quotes', () => {
    it('refuses a missing account, wrong types, too long text and unknown fields', async () => {
      expectField(await post('quotes', { notes: 'x' }), 400, 'accountId');
      const account = await rep.account();
      const base = { accountId: account.id };
      expectField(
        await post('quotes', { ...base, headerDiscountPercent: 5 }),
        400,
        'headerDiscountPercent',
      );
      expectField(
        await post('quotes', { ...base, headerDiscountPercent: '100.5' }),
        400,
        'headerDiscountPercent',
      );
      expectField(await post('quotes', { ...base, currency: 'usd' }), 400, 'currency');
      expectField(await post('quotes', { ...base, language: 'fr' }), 400, 'language');
      expectField(await post('quotes', { ...base, validUntil: '2026-02-30' }), 400, 'validUntil');
      expectField(await post('quotes', { ...base, validUntil: '2001-01-01' }), 400, 'validUntil');
      expectField(await post('quotes', { ...base, notes: 'n'.repeat(5001) }), 400, 'notes');
      expectField(await post('quotes', { ...base, accountId: 'not-a-uuid' }), 400, 'accountId');
      expectField(await post('quotes', { ...base, colour: 'red' }), 400, 'colour');
      expectField(await post('quotes', { ...base, status: 'approved' }), 400, 'status');
      expectField(await post('quotes', { ...base, grandTotal: IDR('1') }), 400, 'grandTotal');
    });

    it('refuses a price book in another currency than the quote', async () => {
      const account = await rep.account();
      const res = await post('quotes', { accountId: account.id, priceBookId: usdBook.id });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'quote_currency_mismatch',
        errors: [expect.objectContaining({ field: 'priceBookId' })],
      });
      const patch = await server.http
        .patch(`/api/v1/quotes/${draft.id}`)
        .set(rep.auth)
        .send({ priceBookId: usdBook.id });
      expect(patch.status).toBe(422);
      const usd = await post('quotes', {
        accountId: account.id,
        currency: 'USD',
        priceBookId: usdBook.id,
      });
      expect(usd.status).toBe(201);
    });

    it('does not let a quote name records outside the caller scope', async () => {
      const theirs = await stranger.opportunity();
      expectField(await post('quotes', { opportunityId: theirs.id }), 400, 'opportunityId');
      const path = await post(`opportunities/${theirs.id}/quotes`, {});
      expect(path.status).toBe(404);
      const mine = await rep.opportunity();
      const other = await rep.account();
      expectField(
        await post('quotes', { opportunityId: mine.id, accountId: other.id }),
        400,
        'accountId',
      );
      expectField(
        await post(`opportunities/${mine.id}/quotes`, { accountId: other.id }),
        400,
        'accountId',
      );
    });
  });

  describe('quote lines', () => {
    it('refuses a zero or negative quantity, wrong types, too long text and unknown fields', async () => {
      const line = (fields: Record<string, unknown>) =>
        post('quote-lines', { quoteId: draft.id, productId: product.id, quantity: '1', ...fields });
      expectField(await line({ quantity: '0' }), 400, 'quantity');
      expectField(await line({ quantity: '-2' }), 400, 'quantity');
      expectField(await line({ quantity: 2 }), 400, 'quantity');
      expectField(await line({ quantity: undefined }), 400, 'quantity');
      expectField(await line({ productId: undefined }), 400, 'productId');
      expectField(await line({ discountPercent: '-1' }), 400, 'discountPercent');
      expectField(
        await line({ unitPrice: { amount: 'lots', currency: 'IDR' } }),
        400,
        'unitPrice.amount',
      );
      expectField(await line({ unitPrice: IDR('-5') }), 400, 'unitPrice');
      expectField(await line({ description: 'd'.repeat(1001) }), 400, 'description');
      expectField(await line({ colour: 'red' }), 400, 'colour');
      expectField(await line({ taxCategory: 'exempt' }), 400, 'taxCategory');
      const created = await line({});
      expect(created.status).toBe(201);
      const patch = await server.http
        .patch(`/api/v1/quote-lines/${created.body.id}`)
        .set(rep.auth)
        .send({ quoteId: draft.id });
      expectField(patch, 400, 'quoteId');
    });

    it('refuses a price in another currency, inactive products and products outside their availability', async () => {
      const line = (productId: string, fields: Record<string, unknown> = {}) =>
        post('quote-lines', { quoteId: draft.id, productId, quantity: '1', ...fields });
      const usd = await line(product.id, { unitPrice: { amount: '10.00', currency: 'USD' } });
      expect(usd.status).toBe(422);
      expect(usd.body.code).toBe('quote_currency_mismatch');
      const inactive = await admin.catalog.product({ active: false });
      const off = await line(inactive.id, { unitPrice: IDR('1000') });
      expect(off.status).toBe(422);
      expect(off.body.code).toBe('product_inactive');
      const later = await admin.catalog.product({ availableFrom: '2099-01-01' });
      const notYet = await line(later.id);
      expect(notYet.status).toBe(422);
      expect(notYet.body.code).toBe('product_not_available');
      const unpriced = await admin.catalog.product();
      const none = await line(unpriced.id);
      expect(none.status).toBe(422);
      expect(none.body.code).toBe('line_price_not_found');
      expect(none.body.errors).toEqual([expect.objectContaining({ field: 'unitPrice' })]);
      expect((await line(unpriced.id, { unitPrice: IDR('99') })).status).toBe(201);
    });

    it("prices from the quote's own book when it names one", async () => {
      const item = await admin.catalog.product();
      await admin.catalog.entry(standardBook.id, item.id, '250000');
      // A book for every account beats the standard one, unless the quote names its book.
      const special = await admin.catalog.priceBook({ name: 'Proyek khusus' });
      await admin.catalog.entry(special.id, item.id, '199000');
      const pinned = await rep.quote({ priceBookId: standardBook.id });
      const line = await rep.line(pinned.id, item.id, { quantity: '2' });
      expect(line).toMatchObject({ unitPrice: IDR('250000'), priceBookId: standardBook.id });
      const plain = await rep.line(draft.id, item.id);
      expect(plain).toMatchObject({ unitPrice: IDR('199000'), priceBookId: special.id });
    });

    it('leaves the lines of a sent quote alone', async () => {
      const quote = await rep.quote();
      const line = await rep.line(quote.id, product.id);
      await rep.act(quote.id, 'submit');
      await rep.act(quote.id, 'send');
      const patch = await server.http
        .patch(`/api/v1/quote-lines/${line.id}`)
        .set(rep.auth)
        .send({ quantity: '5' });
      expect(patch.status).toBe(409);
      expect(patch.body.code).toBe('quote_not_editable');
      const del = await server.http.delete(`/api/v1/quote-lines/${line.id}`).set(rep.auth);
      expect(del.status).toBe(409);
      expect((await rep.get(quote.id)).lineCount).toBe(1);
    });
  });

  describe('access and concurrency', () => {
    it("answers 404 for another team's quote on every path", async () => {
      const id = draft.id;
      const as = stranger.auth;
      expect((await server.http.get(`/api/v1/quotes/${id}`).set(as)).status).toBe(404);
      expect(
        (await server.http.patch(`/api/v1/quotes/${id}`).set(as).send({ notes: 'x' })).status,
      ).toBe(404);
      expect((await server.http.delete(`/api/v1/quotes/${id}`).set(as)).status).toBe(404);
      expect((await stranger.act(id, 'submit')).status).toBe(404);
      expect((await stranger.act(id, 'revise')).status).toBe(404);
      expect((await server.http.get(`/api/v1/quotes/${id}/document`).set(as)).status).toBe(404);
      expect((await server.http.get(`/api/v1/quotes/${id}/history`).set(as)).status).toBe(404);
      const list = await server.http.get(`/api/v1/quotes?filter[id][eq]=${id}`).set(as);
      expect(list.body.data).toEqual([]);
      const line = await post(
        'quote-lines',
        { quoteId: id, productId: product.id, quantity: '1' },
        stranger,
      );
      expectField(line, 400, 'quoteId');
      const missing = await server.http
        .get('/api/v1/quotes/0192f000-0000-7000-8000-00000000dead')
        .set(rep.auth);
      expect(missing.status).toBe(404);
      const bad = await server.http.get('/api/v1/quotes/nope').set(rep.auth);
      expect(bad.status).toBe(400);
    });

    it("lets a teammate read but not change a rep's quote", async () => {
      expect((await server.http.get(`/api/v1/quotes/${draft.id}`).set(teammate.auth)).status).toBe(
        200,
      );
      const submit = await teammate.act(draft.id, 'submit');
      expect(submit.status).toBe(403);
      const line = await post(
        'quote-lines',
        { quoteId: draft.id, productId: product.id, quantity: '1' },
        teammate,
      );
      expect(line.status).toBe(403);
    });

    it('answers 412 for a stale ETag on a quote, a step and a line', async () => {
      const quote = await rep.quote();
      const line = await rep.line(quote.id, product.id);
      const current = await rep.get(quote.id);
      expect(current.version).toBe(2);
      const stale = { 'if-match': '"1"' };
      const patch = await server.http
        .patch(`/api/v1/quotes/${quote.id}`)
        .set({ ...rep.auth, ...stale })
        .send({ notes: 'x' });
      expect(patch.status).toBe(412);
      expect((await rep.act(quote.id, 'submit', { 'if-match': '"1"' })).status).toBe(412);
      const linePatch = await server.http
        .patch(`/api/v1/quote-lines/${line.id}`)
        .set({ ...rep.auth, 'if-match': '"7"' })
        .send({ quantity: '2' });
      expect(linePatch.status).toBe(412);
      const fresh = await rep.act(quote.id, 'submit', { 'if-match': '"2"' });
      expect(fresh.status).toBe(200);
    });
  });
});
