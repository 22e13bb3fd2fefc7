import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventually } from '../support/sales-factories.js';
import { writeServiceConfig, type Auth } from '../support/service-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
marketing:
  email: { messagesPerMinute: 6000, fromAddress: care@example.com }
  publicBaseUrl: https://crm.example.com
csat: { enabled: true, delayMinutes: 0, linkTtlDays: 7, purpose: service_feedback }
`;

describe('customer satisfaction surveys', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let adminId: string;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeServiceConfig('csat', CONFIG),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_JOB_POLL_MS: '200',
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    adminId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
    customers = factories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const customer = async (consenting: boolean) => {
    const email = `csat-${randomUUID()}@example.com`;
    const c = await customers.contact({ email });
    if (consenting)
      expect(
        (
          await server.http
            .post(`/api/v1/contacts/${c.id}/consents`)
            .set(admin)
            .send({ purpose: 'service_feedback', lawfulBasis: 'consent', source: 'portal' })
        ).status,
      ).toBe(201);
    return { id: c.id, email };
  };
  const resolvedCase = async (contactId: string) => {
    const res = await server.http
      .post('/api/v1/cases')
      .set(admin)
      .send({ subject: 'Router keeps rebooting', contactId, assigneeId: adminId });
    expect(res.status).toBe(201);
    await server.http
      .patch(`/api/v1/cases/${res.body.id as string}`)
      .set(admin)
      .send({ status: 'resolved' })
      .expect(200);
    return res.body as { id: string; number: string };
  };
  const surveyLink = async (email: string) => {
    const mails = await eventually(
      () => Promise.resolve(mailsTo(box, email)),
      (m) => m.length > 0,
      20_000,
    );
    expect(mails).toHaveLength(1);
    const url = /(https:\/\/\S+\/public\/csat\/\S+)/.exec(mails[0].text ?? '')![1];
    return new URL(url).pathname;
  };

  it('invites the contact of a resolved case; the link answers once with a score and a comment', async () => {
    const who = await customer(true);
    const c = await resolvedCase(who.id);
    const path = await surveyLink(who.email);
    expect(path).toMatch(/^\/api\/v1\/public\/csat\/[\w-]+\.[\w-]+$/);

    const read = await server.http.get(path);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ caseNumber: c.number, answered: false });

    for (const body of [
      {},
      { score: 0 },
      { score: 6 },
      { score: '5' },
      { score: 4.5 },
      { score: 4, comment: 'x'.repeat(5001) },
      { score: 4, rating: 'great' },
    ])
      expectProblem(await server.http.post(path).send(body), 400);

    const answered = await server.http.post(path).send({ score: 4, comment: 'Quick and friendly' });
    expect(answered.status).toBe(204);
    const again = await server.http.post(path).send({ score: 1 });
    expectProblem(again, 409);
    expect(again.body.code).toBe('csat_already_answered');
    expect((await server.http.get(path)).body.answered).toBe(true);
    const stored = await server.db.query(
      `SELECT score, comment, agent_id FROM case_csat_surveys WHERE case_id = $1`,
      [c.id],
    );
    expect(stored.rows).toEqual([{ score: 4, comment: 'Quick and friendly', agent_id: adminId }]);
  });

  it('refuses an expired, a forged and an unknown link', async () => {
    const who = await customer(true);
    const c = await resolvedCase(who.id);
    const path = await surveyLink(who.email);
    await server.db.query(
      `UPDATE case_csat_surveys SET expires_at = now() - interval '1 day' WHERE case_id = $1`,
      [c.id],
    );
    const expired = await server.http.post(path).send({ score: 5 });
    expectProblem(expired, 410);
    expect(expired.body.code).toBe('csat_link_expired');
    const [body, mac] = path.split('/').at(-1)!.split('.');
    const forged = `${Buffer.from(randomUUID()).toString('base64url')}.${mac}`;
    expectProblem(await server.http.get(`/api/v1/public/csat/${forged}`), 404);
    expectProblem(await server.http.get(`/api/v1/public/csat/${body}.x${mac}`), 404);
    expectProblem(await server.http.post('/api/v1/public/csat/nothing').send({ score: 3 }), 404);
  });

  it('records a survey the marketing gate holds back instead of losing it', async () => {
    const who = await customer(false);
    const c = await resolvedCase(who.id);
    const held = await eventually(
      async () =>
        (
          await server.db.query(
            `SELECT status, hold_reason FROM case_csat_surveys WHERE case_id = $1`,
            [c.id],
          )
        ).rows as { status: string; hold_reason: string }[],
      (rows) => rows.length > 0,
      20_000,
    );
    expect(held).toEqual([{ status: 'held', hold_reason: 'no_consent' }]);
    expect(mailsTo(box, who.email)).toHaveLength(0);
  });

  it('reports count, average, distribution and scores by agent and queue', async () => {
    // Days are the organization's (Asia/Jakarta): a window around today holds every answer.
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const today = day(-1);
    const tomorrow = day(1);
    const who = await customer(true);
    await resolvedCase(who.id);
    expect((await server.http.post(await surveyLink(who.email)).send({ score: 2 })).status).toBe(
      204,
    );
    const res = await server.http
      .get(`/api/v1/cases/reports/csat?from=${today}&to=${tomorrow}`)
      .set(admin);
    expect(res.status).toBe(200);
    expect(res.body.count).toBeGreaterThanOrEqual(2);
    expect(res.body.distribution['2']).toBeGreaterThanOrEqual(1);
    expect(res.body.distribution['4']).toBeGreaterThanOrEqual(1);
    const sum = Object.values(res.body.distribution as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    expect(sum).toBe(res.body.count);
    expect(res.body.byAgent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: adminId, count: res.body.count, average: res.body.average }),
      ]),
    );
    expect(res.body.byQueue).toEqual([expect.objectContaining({ id: null })]);
    expect(res.body.heldBack).toBeGreaterThanOrEqual(1);
    expect(res.body.average).toMatch(/^\d\.\d\d$/);

    for (const query of [
      '',
      `from=${today}`,
      'from=x&to=y',
      `from=${today}&to=2000-01-01`,
      `from=${today}&to=${today}&agent=1`,
    ])
      expectProblem(await server.http.get(`/api/v1/cases/reports/csat?${query}`).set(admin), 400);
    const marketer = await people.userWithToken('marketing');
    expectProblem(
      await server.http
        .get(`/api/v1/cases/reports/csat?from=${today}&to=${today}`)
        .set(marketer.auth),
      403,
    );
    expectProblem(
      await server.http.get(`/api/v1/cases/reports/csat?from=${today}&to=${today}`),
      401,
    );
  });
});
