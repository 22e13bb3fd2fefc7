import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
calls: { defaultCountry: ID, callbackDelayMinutes: 30 }
`;

type Auth = { authorization: string };
type Call = Record<string, unknown> & { id: string; version: number; contactId: string | null };

describe('call centre', () => {
  let server: TestServer;
  let admin: Auth;
  let adminId: string;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let account: { id: string };
  let contact: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('calls', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    adminId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
    customers = factories(server, token);
    people = accessFactories(server, token);
    account = await customers.account({ name: 'PT Sinar Jaya' });
    // Stored years ago in national form; calls arrive in E.164.
    contact = await customers.contact({
      firstName: 'Dewi',
      lastName: 'Lestari',
      accountId: account.id,
      phones: [{ label: 'mobile', number: '0812-3456-7890' }],
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const base = {
    direction: 'inbound',
    fromNumber: '+62 812 3456 7890',
    toNumber: '021 555 0100',
    startedAt: '2026-05-04T09:00:00+07:00',
    durationSeconds: 120,
    waitSeconds: 15,
    outcome: 'answered',
  };
  const post = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/calls').set(auth).send(body);
  const logged = async (body: Record<string, unknown> = {}, auth: Auth = admin) => {
    const res = await post({ ...base, ...body }, auth);
    if (res.status !== 201) throw new Error(`call: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Call;
  };

  it('logs a call with numbers in E.164, matched to the contact by number, taken by the caller', async () => {
    const res = await post({ ...base, disposition: 'information_given', notes: 'Asked about PIN' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      direction: 'inbound',
      fromNumber: '+6281234567890',
      toNumber: '+62215550100',
      customerNumber: '+6281234567890',
      contactId: contact.id,
      agentId: adminId,
      outcome: 'answered',
      disposition: 'information_given',
      startedAt: '2026-05-04T02:00:00.000Z',
      durationSeconds: 120,
      waitSeconds: 15,
      callbackDueAt: null,
    });
    const outbound = await logged({
      direction: 'outbound',
      fromNumber: '021 555 0100',
      toNumber: '+62 21 999 0000',
    });
    expect(outbound).toMatchObject({ customerNumber: '+62219990000', contactId: null });
    const events = await eventsOf(server, res.body.id as string);
    expect(events.map((e) => e.type)).toContain('call.logged');
  });

  it('schedules a callback task when the caller asks for one, due when asked or after the configured delay', async () => {
    const asked = await logged({
      outcome: 'callback_requested',
      callbackDueAt: '2026-05-05T10:00:00Z',
    });
    expect(asked.callbackDueAt).toBe('2026-05-05T10:00:00.000Z');
    const tasks = await server.http
      .get(`/api/v1/activities?filter[relatedId][eq]=${asked.id}`)
      .set(admin);
    expect(tasks.body.data).toHaveLength(1);
    expect(tasks.body.data[0]).toMatchObject({
      type: 'task',
      status: 'planned',
      subject: 'Call back +6281234567890',
      dueAt: '2026-05-05T10:00:00.000Z',
      ownerId: adminId,
      relatedEntity: 'calls',
      participantContactIds: [contact.id],
    });
    const before = Date.now();
    const missed = await logged({ outcome: 'missed' });
    expect(missed.callbackDueAt).toBeNull();
    const later = await server.http
      .patch(`/api/v1/calls/${missed.id}`)
      .set(admin)
      .send({ outcome: 'callback_requested' });
    expect(later.status).toBe(200);
    const due = Date.parse(later.body.callbackDueAt as string);
    expect(due).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1000);
    expect(due).toBeLessThan(Date.now() + 30 * 60_000 + 1000);
    const events = await eventsOf(server, missed.id);
    expect(events.filter((e) => e.type === 'call.callback_scheduled')).toHaveLength(1);
  });

  it.each([
    ['an invalid from number', { fromNumber: '12' }, 'fromNumber'],
    ['an invalid to number', { toNumber: '+62 0000' }, 'toNumber'],
  ])('answers 422 for %s', async (_what, body, field) => {
    const res = await post({ ...base, ...body });
    expectProblem(res, 422);
    expect(res.body).toMatchObject({ code: 'call_number_invalid', field });
  });

  it.each([
    ['a missing direction', { direction: undefined }, 'direction'],
    ['a missing start', { startedAt: undefined }, 'startedAt'],
    ['a duration of the wrong type', { durationSeconds: '120' }, 'durationSeconds'],
    ['a negative wait', { waitSeconds: -1 }, 'waitSeconds'],
    ['an unknown outcome', { outcome: 'hung_up' }, 'outcome'],
    ['an unknown disposition', { disposition: 'bored' }, 'disposition'],
    ['notes too long', { notes: 'n'.repeat(5001) }, 'notes'],
    ['a number too long', { fromNumber: '1'.repeat(41) }, 'fromNumber'],
    ['a recording over http', { recordingUrl: 'http://rec.example.com/a.mp3' }, 'recordingUrl'],
    ['an unknown field', { mood: 'happy' }, 'mood'],
    ['an unknown agent', { agentId: randomUUID() }, 'agentId'],
    ['an unknown contact', { contactId: randomUUID() }, 'contactId'],
  ])('answers 400 for %s', async (_what, body, field) => {
    const res = await post({ ...base, ...body });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 412 for a stale ETag; numbers are set once', async () => {
    const call = await logged({ recordingUrl: 'https://rec.example.com/a.mp3' });
    const stale = await server.http
      .patch(`/api/v1/calls/${call.id}`)
      .set({ ...admin, 'if-match': '"9"' })
      .send({ notes: 'x' });
    expectProblem(stale, 412);
    const renumber = await server.http
      .patch(`/api/v1/calls/${call.id}`)
      .set(admin)
      .send({ fromNumber: '+6281111111111' });
    expectProblem(renumber, 400);
  });

  it('pops the screen: contacts of a number with account, open cases and latest five orders, timed', async () => {
    const catalog = catalogFactories(server, admin);
    const book = await catalog.priceBook({ name: 'Standard', isStandard: true });
    const product = await catalog.product({ name: { en: 'Router' } });
    await catalog.entry(book.id, product.id, '100000');
    for (let i = 0; i < 6; i++) {
      const res = await server.http
        .post('/api/v1/orders')
        .set(admin)
        .send({
          accountId: account.id,
          contactId: contact.id,
          orderedAt: `2026-04-0${i + 1}T09:00:00Z`,
          lines: [{ productId: product.id, quantity: '1' }],
        });
      expect(res.status).toBe(201);
    }
    const res = await server.http.get('/api/v1/calls/lookup?number=%2B6281234567890').set(admin);
    expect(res.status).toBe(200);
    expect(res.body.number).toBe('+6281234567890');
    expect(res.body.contacts).toHaveLength(1);
    const [found] = res.body.contacts;
    expect(found).toMatchObject({
      id: contact.id,
      firstName: 'Dewi',
      lastName: 'Lestari',
      account: { id: account.id, name: 'PT Sinar Jaya' },
      openCases: [],
    });
    expect(found.recentOrders).toHaveLength(5);
    expect(found.recentOrders[0].orderedAt).toBe('2026-04-06T09:00:00.000Z');
    expect(found.recentOrders[0].total).toEqual({ amount: expect.any(String), currency: 'IDR' });
    expect(res.body.meta.tookMs).toEqual(expect.any(Number));

    const national = await server.http.get('/api/v1/calls/lookup?number=081234567890').set(admin);
    expect(national.body.contacts.map((c: { id: string }) => c.id)).toEqual([contact.id]);
    const nobody = await server.http.get('/api/v1/calls/lookup?number=%2B62219990000').set(admin);
    expect(nobody.body.contacts).toEqual([]);
    expectProblem(await server.http.get('/api/v1/calls/lookup?number=12').set(admin), 422);
    expectProblem(await server.http.get('/api/v1/calls/lookup').set(admin), 400);
    expectProblem(await server.http.get('/api/v1/calls/lookup?number=1&x=2').set(admin), 400);
  });

  it("pops up the caller's open cases, newest first, within the agent's reach", async () => {
    const number = '+6281299887766';
    const caller = await customers.contact({
      accountId: account.id,
      lastName: 'Caller',
      phones: [{ label: 'mobile', number }],
    });
    const open = async (subject: string) =>
      (
        await server.http
          .post('/api/v1/cases')
          .set(admin)
          .send({ subject, contactId: caller.id, accountId: account.id })
      ).body as { id: string; number: string };
    const older = await open('Router blinks');
    const newer = await open('Bill too high');
    const done = await open('Password reset');
    await server.http
      .patch(`/api/v1/cases/${done.id}`)
      .set(admin)
      .send({ status: 'resolved' })
      .expect(200);
    const pop = await server.http
      .get(`/api/v1/calls/lookup?number=${encodeURIComponent(number)}`)
      .set(admin);
    expect(pop.status).toBe(200);
    const [found] = pop.body.contacts as { id: string; openCases: { id: string }[] }[];
    expect(found.id).toBe(caller.id);
    expect(found.openCases).toEqual([
      expect.objectContaining({
        id: newer.id,
        number: newer.number,
        subject: 'Bill too high',
        status: 'new',
      }),
      expect.objectContaining({ id: older.id, openedAt: expect.any(String) }),
    ]);
    // An agent whose role cannot read cases sees the contact, not its cases.
    const marketer = await people.userWithToken('marketing');
    const limited = await server.http
      .get(`/api/v1/calls/lookup?number=${encodeURIComponent(number)}`)
      .set(marketer.auth);
    expect(limited.status).toBe(200);
    expect((limited.body.contacts as { openCases: unknown[] }[])[0].openCases).toEqual([]);
  });

  it('reports per agent: calls, answered rate, average handle time, first-call resolution', async () => {
    const agent = await people.userWithToken('service_agent', {
      firstName: 'Rina',
      lastName: 'Agent',
    });
    const day = { startedAt: '2026-06-10T10:00:00+07:00' };
    const mine = (body: Record<string, unknown>) => logged({ ...day, ...body }, agent.auth);
    const opened = async () =>
      (await server.http.post('/api/v1/cases').set(agent.auth).send({ subject: 'Call' })).body as {
        id: string;
      };
    const caseA = (await opened()).id;
    const caseB = (await opened()).id;
    await server.http
      .patch(`/api/v1/cases/${caseA}`)
      .set(agent.auth)
      .send({ status: 'resolved' })
      .expect(200);
    await server.http
      .patch(`/api/v1/cases/${caseB}`)
      .set(agent.auth)
      .send({ status: 'resolved' })
      .expect(200);
    expectProblem(await post({ ...base, caseId: randomUUID() }, agent.auth), 400);
    await mine({ durationSeconds: 100, caseId: caseA });
    await mine({ durationSeconds: 300, caseId: caseB });
    await mine({ durationSeconds: 60, caseId: caseB, startedAt: '2026-06-11T10:00:00+07:00' });
    await mine({ outcome: 'missed', durationSeconds: 0 });
    // Before the first day in Jakarta (23:30 on 9 June local time).
    await mine({ startedAt: '2026-06-09T16:30:00Z' });
    const res = await server.http
      .get('/api/v1/calls/reports/agents?from=2026-06-10&to=2026-06-11')
      .set(admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-06-10',
      to: '2026-06-11',
      timeZone: 'Asia/Jakarta',
    });
    const row = res.body.agents.find((a: { agentId: string }) => a.agentId === agent.user.id);
    expect(row).toEqual({
      agentId: agent.user.id,
      agentName: 'Rina Agent',
      calls: 4,
      answered: 3,
      answeredRate: 0.75,
      averageHandleSeconds: 153,
      cases: 2,
      // Case A was resolved with one call; case B took two.
      firstCallResolutions: 1,
      firstCallResolutionRate: 0.5,
    });
    for (const query of [
      'from=2026-06-10',
      'from=2026-06-12&to=2026-06-10',
      'from=x&to=y',
      'from=2026-06-10&to=2026-06-11&agent=1',
    ])
      expectProblem(await server.http.get(`/api/v1/calls/reports/agents?${query}`).set(admin), 400);
  });

  it("hides another team's calls (404) and refuses roles without calls (403)", async () => {
    const teamA = await people.team();
    const teamB = await people.team();
    const agentA = await people.userWithToken('service_agent', { teamIds: [teamA.id] });
    const agentB = await people.userWithToken('service_agent', { teamIds: [teamB.id] });
    const marketing = await people.userWithToken('marketing');
    const call = await logged({}, agentA.auth);
    for (const req of [
      server.http.get(`/api/v1/calls/${call.id}`),
      server.http.patch(`/api/v1/calls/${call.id}`).send({ notes: 'x' }),
      server.http.delete(`/api/v1/calls/${call.id}`),
    ])
      expectProblem(await req.set(agentB.auth), 404);
    expectProblem(await server.http.get('/api/v1/calls').set(marketing.auth), 403);
    expectProblem(await post(base, marketing.auth), 403);
    expectProblem(
      await server.http
        .get('/api/v1/calls/reports/agents?from=2026-01-01&to=2026-01-02')
        .set(marketing.auth),
      403,
    );
  });
});
