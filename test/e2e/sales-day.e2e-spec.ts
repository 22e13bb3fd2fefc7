import { accessFactories } from '../support/access-factories.js';
import { eventsOf, eventually } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Auth = { authorization: string };
type Entry = { type: string; title: string; source: { entity: string; id: string } };

/**
 * A rep's whole day through the API, in order: a web form captures a lead, the rep calls and
 * qualifies it, converts it, works the opportunity to a win with a meeting and a reminder on
 * the way, and sees all of it on the customer's timeline, the board and the forecast.
 */
describe('a sales day', () => {
  let server: TestServer;
  let rep: { user: { id: string }; auth: Auth };

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const people = accessFactories(server, await server.login());
    const team = await people.team({ name: 'Jakarta direct sales' });
    rep = await people.userWithToken('sales_rep', { teamIds: [team.id] });
  });
  afterAll(async () => {
    await server.stop();
  });

  const as = (auth: Auth = rep.auth) => ({
    get: (path: string) => server.http.get(`/api/v1${path}`).set(auth),
    post: (path: string, body: object = {}) =>
      server.http.post(`/api/v1${path}`).set(auth).send(body),
    patch: (path: string, body: object) => server.http.patch(`/api/v1${path}`).set(auth).send(body),
  });
  const timeline = async (path: string) => {
    const res = await as().get(`${path}/timeline`);
    expect(res.status).toBe(200);
    return res.body.data as Entry[];
  };

  it('captures, qualifies, converts, wins and forecasts', async () => {
    // Morning: the website form posts a lead with the rep's capture-only key.
    const key = await as().post('/api-keys', { name: 'Website', scopes: ['lead-capture'] });
    expect(key.status).toBe(201);
    const captured = await server.http
      .post('/api/v1/leads/capture')
      .set('x-api-key', key.body.key as string)
      .send({
        firstName: 'Ayu',
        lastName: 'Lestari',
        company: 'PT Sinar Pagi',
        email: 'ayu@sinarpagi.co.id',
      });
    expect(captured.status).toBe(201);
    const leadId = captured.body.id as string;
    const fresh = await as().get('/leads?filter[status][eq]=new&sort=-createdAt');
    expect(fresh.body.data.map((l: { id: string }) => l.id)).toContain(leadId);

    // The rep calls, logs it on the lead and qualifies it.
    const call = await as().post('/activities', {
      type: 'call',
      subject: 'Intro call with Ayu',
      status: 'completed',
      direction: 'outbound',
      outcome: 'connected',
      durationMinutes: 15,
      relatedEntity: 'leads',
      relatedId: leadId,
    });
    expect(call.status).toBe(201);
    expect((await timeline(`/leads/${leadId}`)).map((e) => e.type)).toEqual(['call']);
    const qualified = await as().patch(`/leads/${leadId}`, { status: 'qualified', rating: 'hot' });
    expect(qualified.status).toBe(200);

    // Conversion: account, contact and opportunity at once; the call follows Ayu.
    const converted = await as().post(`/leads/${leadId}/convert`, {
      createOpportunity: { name: 'Sinar Pagi — POS rollout' },
    });
    expect(converted.status).toBe(200);
    const { account, contact, opportunity } = converted.body as Record<string, { id: string }>;
    expect(converted.body.created).toEqual({ account: true, contact: true, opportunity: true });
    const moved = await eventually(
      async () => (await as().get(`/activities/${call.body.id as string}`)).body,
      (a: { relatedEntity: string }) => a.relatedEntity === 'contacts',
    );
    expect(moved).toMatchObject({ relatedEntity: 'contacts', relatedId: contact.id });

    // Afternoon: proposal, a meeting with a reminder, negotiation and the win.
    const deal = `/opportunities/${opportunity.id}`;
    const noAmount = await as().patch(deal, { stage: 'proposal' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.errors[0]).toMatchObject({ field: 'amount' });
    const amount = { amount: '150000000.00', currency: 'IDR' };
    expect((await as().patch(deal, { stage: 'proposal', amount })).status).toBe(200);
    const meeting = await as().post('/activities', {
      type: 'meeting',
      subject: 'Demo at Sinar Pagi',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      location: 'Sinar Pagi head office',
      relatedEntity: 'opportunities',
      relatedId: opportunity.id,
      participantContactIds: [contact.id],
      reminderAt: new Date(Date.now() + 1000).toISOString(),
    });
    expect(meeting.status).toBe(201);
    const due = await eventually(
      async () =>
        (await eventsOf(server, meeting.body.id as string)).filter(
          (e) => e.type === 'activity.due',
        ),
      (events) => events.length === 1,
    );
    expect(due[0].data).toMatchObject({ subject: 'Demo at Sinar Pagi', ownerId: rep.user.id });
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await as().patch(deal, { stage: 'negotiation', expectedCloseDate: today })).status,
    ).toBe(200);
    const won = await as().patch(deal, { stage: 'won' });
    expect(won.body).toMatchObject({ status: 'won', probability: 100 });

    // Evening: the customer's history, the board and the forecast.
    const onContact = await timeline(`/contacts/${contact.id}`);
    expect(onContact.map((e) => e.type)).toEqual(
      expect.arrayContaining(['meeting', 'stage_change', 'lead_converted', 'call']),
    );
    expect(onContact.filter((e) => e.type === 'stage_change')).toHaveLength(4);
    const onAccount = await timeline(`/accounts/${account.id}`);
    expect(onAccount.map((e) => e.source.id)).toEqual(
      expect.arrayContaining([call.body.id, meeting.body.id, opportunity.id, leadId]),
    );
    const stages = await as().get(`${deal}/stage-history`);
    expect(stages.body.data.map((s: { stage: string }) => s.stage)).toEqual([
      'qualification',
      'proposal',
      'negotiation',
      'won',
    ]);

    const board = await as().get('/pipelines/sales/board');
    const wonStage = board.body.stages.find((s: { key: string }) => s.key === 'won');
    expect(wonStage).toMatchObject({
      count: 1,
      amounts: [{ currency: 'IDR', amount: '150000000.00' }],
    });

    const forecast = await as().get(`/forecasts/weighted?from=${today}&to=${today}`);
    expect(forecast.status).toBe(200);
    expect(forecast.body.reportingCurrency).toBe('IDR');
    expect(forecast.body.total.closedWon).toMatchObject({ count: 1, amount: '150000000' });
    expect(forecast.body.missingRates).toEqual([]);
  });
});
