import { accessFactories } from '../support/access-factories.js';
import { quoteFactories } from '../support/quote-factories.js';
import { eventsOf, eventually, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
quotes:
  maxDiscountPercent: { sales_rep: 10, sales_manager: 30 }
  approverRoles: [sales_manager]
  defaultValidityDays: 14
  letterhead: { companyName: PT Relasi Nusantara, address: "Jl. Sudirman 1, Jakarta" }
`;

const IDR = (amount: string) => ({ amount, currency: 'IDR' });

function addDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('quotes', () => {
  let server: TestServer;
  let admin: ReturnType<typeof quoteFactories>;
  let rep: ReturnType<typeof quoteFactories>;
  let manager: ReturnType<typeof quoteFactories>;
  let laptop: { id: string };
  let service: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('quotes', CONFIG),
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = quoteFactories(server, token);
    const people = accessFactories(server, token);
    const team = await people.team();
    const r = await people.userWithToken('sales_rep', { teamIds: [team.id] });
    const m = await people.userWithToken('sales_manager', { teamIds: [team.id] });
    rep = quoteFactories(server, r.token);
    manager = quoteFactories(server, m.token);
    const book = await admin.catalog.priceBook({ name: 'Standar', isStandard: true });
    laptop = await admin.catalog.product({
      name: { en: 'Business laptop', id: 'Laptop bisnis' },
      costPrice: IDR('600000'),
    });
    service = await admin.catalog.product({
      name: { en: 'Installation', id: 'Instalasi' },
      taxCategory: 'exempt',
      costPrice: IDR('100000'),
    });
    await admin.catalog.entry(book.id, laptop.id, '1000000');
    await admin.catalog.entry(book.id, service.id, '750000');
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A rep's draft for an opportunity with two lines: 3 laptops at 10% off and one service at a given price. */
  async function twoLineQuote(fields: Record<string, unknown> = {}) {
    const contact = await rep.contact({ preferredLanguage: 'id-ID' });
    const deal = await rep.opportunity({ amount: IDR('5000000'), primaryContactId: contact.id });
    const quote = await rep.forOpportunity(deal, fields);
    const a = await rep.line(quote.id, laptop.id, { quantity: '3', discountPercent: '10' });
    const b = await rep.line(quote.id, service.id, { unitPrice: IDR('500000') });
    return { deal, contact, quote, a, b };
  }

  it('takes account, currency, contact and language from the opportunity and numbers the quote', async () => {
    const contact = await rep.contact({ preferredLanguage: 'id-ID' });
    const deal = await rep.opportunity({ amount: IDR('5000000'), primaryContactId: contact.id });
    const res = await server.http
      .post(`/api/v1/opportunities/${deal.id}/quotes`)
      .set(rep.auth)
      .send({ notes: 'Harga termasuk pengiriman' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/quotes/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^Q-\d{4}-\d{6}$/),
      revision: 1,
      status: 'draft',
      opportunityId: deal.id,
      accountId: deal.accountId,
      contactId: contact.id,
      currency: 'IDR',
      language: 'id',
      validUntil: addDays(14),
      headerDiscountPercent: '0',
      lineCount: 0,
      grandTotal: IDR('0'),
      taxes: [],
    });
    const other = await rep.quote({ opportunityId: deal.id });
    expect(other.number).not.toBe(res.body.number);
    expect(other.language).toBe('id');
    const plain = await rep.quote({ currency: 'USD' });
    expect(plain).toMatchObject({ language: 'en', currency: 'USD', opportunityId: null });
  });

  it('prices lines from the book or as given and keeps the totals in step on every line write', async () => {
    const { quote, a, b } = await twoLineQuote();
    expect(a).toMatchObject({
      unitPrice: IDR('1000000'),
      priceSource: 'price_book',
      taxCategory: 'standard',
      taxRate: '11',
      description: 'Laptop bisnis',
      position: 1,
      grossAmount: IDR('3000000'),
      discountAmount: IDR('300000'),
      netAmount: IDR('2700000'),
      configurationId: null,
    });
    expect(b).toMatchObject({ unitPrice: IDR('500000'), priceSource: 'manual', position: 2 });
    const before = await rep.get(quote.id);
    expect(before).toMatchObject({ lineCount: 2, subtotal: IDR('3200000'), version: 3 });

    const patched = await server.http
      .patch(`/api/v1/quotes/${quote.id}`)
      .set({ ...rep.auth, 'if-match': '"3"' })
      .send({ headerDiscountPercent: '5' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      subtotal: IDR('3200000'),
      lineDiscountTotal: IDR('300000'),
      headerDiscount: IDR('160000'),
      discountTotal: IDR('460000'),
      taxTotal: IDR('282150'),
      grandTotal: IDR('3322150'),
      taxes: [
        { category: 'exempt', rate: '0', base: IDR('475000'), amount: IDR('0') },
        { category: 'standard', rate: '11', base: IDR('2565000'), amount: IDR('282150') },
      ],
    });
    // Managers see the margin; reps do not see cost prices, so neither margins.
    expect(patched.body).not.toHaveProperty('margin');
    const seen = await manager.get(quote.id);
    expect(seen).toMatchObject({
      costTotal: IDR('1900000'),
      margin: IDR('1140000'),
      marginPercent: '37.50',
    });
    const line = await server.http.get(`/api/v1/quote-lines/${a.id}`).set(rep.auth);
    expect(line.body).not.toHaveProperty('unitCost');
    expect(line.body).toMatchObject({
      headerDiscountAmount: IDR('135000'),
      taxAmount: IDR('282150'),
    });

    const removed = await server.http.delete(`/api/v1/quote-lines/${b.id}`).set(rep.auth);
    expect(removed.status).toBe(204);
    expect(await rep.get(quote.id)).toMatchObject({
      lineCount: 1,
      subtotal: IDR('2700000'),
      headerDiscount: IDR('135000'),
      grandTotal: IDR('2847150'),
    });
    const list = await server.http
      .get(`/api/v1/quote-lines?filter[quoteId][eq]=${quote.id}`)
      .set(rep.auth);
    expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
  });

  it('approves a submit within the role limit at once, then sends and accepts, winning the deal', async () => {
    const { deal, quote } = await twoLineQuote();
    const submitted = await rep.act(quote.id, 'submit');
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'approved', approvalRequired: false });
    expect(submitted.headers.etag).toBe(`"${submitted.body.version}"`);
    expect((await rep.act(quote.id, 'send')).body.status).toBe('sent');

    const edit = await server.http
      .patch(`/api/v1/quotes/${quote.id}`)
      .set(rep.auth)
      .send({ notes: 'changed' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('quote_not_editable');
    const addLine = await server.http
      .post('/api/v1/quote-lines')
      .set(rep.auth)
      .send({ quoteId: quote.id, productId: laptop.id, quantity: '1' });
    expect(addLine.status).toBe(409);

    const accepted = await rep.act(quote.id, 'accept');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', decidedAt: expect.any(String) });
    const events = await eventsOf(server, quote.id);
    const event = events.find((e) => e.type === 'quote.accepted');
    expect(event?.data).toMatchObject({
      quoteId: quote.id,
      opportunityId: deal.id,
      accountId: deal.accountId,
      grandTotal: accepted.body.grandTotal,
    });
    expect(events.filter((e) => e.type === 'quote.status_changed').map((e) => e.data.to)).toEqual([
      'approved',
      'sent',
      'accepted',
    ]);
    const won = await eventually(
      async () =>
        (await server.http.get(`/api/v1/opportunities/${deal.id}`).set(rep.auth)).body as {
          stage: string;
          status: string;
        },
      (o) => o.status === 'won',
    );
    expect(won).toMatchObject({ stage: 'won', status: 'won' });

    const history = await server.http.get(`/api/v1/quotes/${quote.id}/history`).set(rep.auth);
    const statuses = (history.body.data as { changes: { field: string; new: unknown }[] }[])
      .flatMap((h) => h.changes)
      .filter((c) => c.field === 'status')
      .map((c) => c.new);
    expect(statuses).toEqual(expect.arrayContaining(['approved', 'sent', 'accepted']));
    const timeline = await server.http
      .get(`/api/v1/opportunities/${deal.id}/timeline`)
      .set(rep.auth);
    expect(timeline.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'quote',
          source: { entity: 'quotes', id: quote.id },
          data: expect.objectContaining({ status: 'accepted' }),
        }),
      ]),
    );
  });

  it('sends a discount above the role limit to review, which only an approver approves', async () => {
    const { quote, a } = await twoLineQuote();
    const patched = await server.http
      .patch(`/api/v1/quote-lines/${a.id}`)
      .set(rep.auth)
      .send({ discountPercent: '15' });
    expect(patched.status).toBe(200);
    expect(patched.body.discountAmount).toEqual(IDR('450000'));
    const submitted = await rep.act(quote.id, 'submit');
    expect(submitted.body).toMatchObject({ status: 'in_review', approvalRequired: true });
    const sendEarly = await rep.act(quote.id, 'send');
    expect(sendEarly.status).toBe(409);
    expect(sendEarly.body).toMatchObject({ code: 'quote_status_transition', status: 409 });
    const byRep = await rep.act(quote.id, 'approve');
    expect(byRep.status).toBe(403);
    expect(byRep.body.code).toBe('quote_approval_forbidden');
    const byManager = await manager.act(quote.id, 'approve');
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ status: 'approved', approvedById: expect.any(String) });

    // A manager's own limit is higher: the same discount needs no review.
    const own = await manager.quote({ headerDiscountPercent: '25' });
    await manager.line(own.id, laptop.id);
    expect((await manager.act(own.id, 'submit')).body.status).toBe('approved');
  });

  it('takes its lines along when deleted and back when restored', async () => {
    const { quote, a, b } = await twoLineQuote();
    await server.http.delete(`/api/v1/quote-lines/${b.id}`).set(rep.auth);
    const lines = () =>
      server.http.get(`/api/v1/quote-lines?filter[quoteId][eq]=${quote.id}`).set(rep.auth);
    expect((await server.http.delete(`/api/v1/quotes/${quote.id}`).set(rep.auth)).status).toBe(204);
    expect((await lines()).body.data).toEqual([]);
    const restored = await server.http.post(`/api/v1/quotes/${quote.id}/restore`).set(rep.auth);
    expect(restored.status).toBe(200);
    expect((await lines()).body.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
    expect(restored.body.lineCount).toBe(1);
  });

  it('answers a clear 409 for every step its status does not allow', async () => {
    const { quote } = await twoLineQuote();
    for (const action of ['approve', 'send', 'accept', 'reject', 'revise']) {
      const res = await rep.act(quote.id, action);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'quote_status_transition',
        status: 409,
        quoteStatus: 'draft',
        allowedFrom: expect.any(Array),
        type: expect.any(String),
        detail: expect.stringContaining('draft'),
      });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const empty = await rep.quote();
    const submitEmpty = await rep.act(empty.id, 'submit');
    expect(submitEmpty.status).toBe(422);
    expect(submitEmpty.body.code).toBe('quote_has_no_lines');
  });

  it('revises a sent quote into a new draft version with the lines; the old one is superseded', async () => {
    const { quote, a } = await twoLineQuote({ headerDiscountPercent: '5' });
    await rep.act(quote.id, 'submit');
    const sent = await rep.act(quote.id, 'send');
    const revised = await rep.act(quote.id, 'revise', { 'if-match': `"${sent.body.version}"` });
    expect(revised.status).toBe(201);
    expect(revised.headers.location).toBe(`/api/v1/quotes/${revised.body.id}`);
    expect(revised.body).toMatchObject({
      number: quote.number,
      revision: 2,
      status: 'draft',
      previousRevisionId: quote.id,
      lineCount: 2,
      grandTotal: IDR('3322150'),
      headerDiscountPercent: '5',
    });
    const old = await rep.get(quote.id);
    expect(old).toMatchObject({ status: 'superseded', supersededById: revised.body.id });
    const lines = await server.http
      .get(`/api/v1/quote-lines?filter[quoteId][eq]=${revised.body.id}&sort=position`)
      .set(rep.auth);
    expect(lines.body.data).toHaveLength(2);
    expect(lines.body.data[0]).toMatchObject({
      productId: a.productId,
      unitPrice: a.unitPrice,
      discountPercent: '10',
      netAmount: IDR('2700000'),
    });
    expect(lines.body.data[0].id).not.toBe(a.id);
    expect((await rep.act(quote.id, 'revise')).status).toBe(409);
    // The new draft changes freely.
    const edit = await server.http
      .patch(`/api/v1/quotes/${revised.body.id}`)
      .set(rep.auth)
      .send({ headerDiscountPercent: '0' });
    expect(edit.body.grandTotal).toEqual(IDR('3497000'));
  });

  it('expires quotes past their validity on schedule, with an event', async () => {
    const { quote } = await twoLineQuote();
    await rep.act(quote.id, 'submit');
    await rep.act(quote.id, 'send');
    const draft = (await twoLineQuote()).quote;
    await server.db.query(
      `UPDATE quotes SET valid_until = current_date - 1 WHERE id = ANY($1::uuid[])`,
      [[quote.id, draft.id]],
    );
    const late = await rep.act(quote.id, 'accept');
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('quote_validity_passed');
    await server.db.query(
      `UPDATE job_schedules SET next_run_at = now() WHERE name = 'quotes.expire'`,
    );
    const expired = await eventually(
      () => rep.get(quote.id),
      (q) => q.status === 'expired',
      20_000,
    );
    expect(expired).toMatchObject({ status: 'expired', expiredAt: expect.any(String) });
    expect((await rep.get(draft.id)).status).toBe('draft');
    const events = await eventsOf(server, quote.id);
    expect(events.find((e) => e.type === 'quote.expired')?.data).toMatchObject({
      quoteId: quote.id,
      previousStatus: 'sent',
    });
  });
});
