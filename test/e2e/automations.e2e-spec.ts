import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventually, writeSalesConfig } from '../support/sales-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
marketing:
  email: { messagesPerMinute: 6000, fromAddress: news@example.com, fromName: Relasi News }
  publicBaseUrl: https://crm.example.com
`;

type Auth = { authorization: string };

describe('automations', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let env: Record<string, string>;
  const templates: Record<string, string> = {};

  const start = async (databaseUrl?: string) => {
    server = await startServer({ env, ...(databaseUrl ? { databaseUrl } : {}) });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  };

  beforeAll(async () => {
    box = await inbox();
    env = {
      CRM_CONFIG: writeSalesConfig('mkt-automations', CONFIG),
      CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
      CRM_JOB_POLL_MS: '200',
      CRM_PRINCIPAL_CACHE_TTL_MS: '0',
    };
    await start();
    for (const [key, subject] of [
      ['thanks', 'Thanks for asking, {{ contact.firstName | default: "friend" }}'],
      ['follow-up', 'Still interested in {{ event.record.company | default: "us" }}?'],
    ]) {
      const t = await server.http.post('/api/v1/message-templates').set(admin).send({
        key,
        name: key,
        channel: 'email',
        language: 'en',
        format: 'html',
        subject,
        body: '<p>Hello {{ contact.firstName | default: "there" }}</p>',
      });
      expect(t.status).toBe(201);
      templates[key] = t.body.id as string;
    }
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const create = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/automations').set(auth).send(body);
  const act = (id: string, action: string, headers: Record<string, string> = {}) =>
    server.http
      .post(`/api/v1/automations/${id}/${action}`)
      .set({ ...admin, ...headers })
      .send();
  const consenting = async (extra: Record<string, unknown> = {}) => {
    const c = await customers.contact({ email: `a-${randomUUID()}@example.com`, ...extra });
    const given = await server.http
      .post(`/api/v1/contacts/${c.id}/consents`)
      .set(admin)
      .send({ purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' });
    expect(given.status).toBe(201);
    return c as typeof c & { email: string };
  };
  const lead = (email: string, company = 'PT Maju') =>
    server.http
      .post('/api/v1/leads?allowDuplicate=true')
      .set(admin)
      .send({ lastName: 'Inquirer', company, email });
  const runs = async (id: string) =>
    (await server.http.get(`/api/v1/automations/${id}/runs`).set(admin)).body as {
      data: { id: string; status: string }[];
    };

  it('answers an inquiry within seconds, waits, resumes the wait after a restart, and enters once', async () => {
    const created = await create({
      name: 'Welcome inquiries',
      triggerEvent: 'lead.created',
      condition: { event: [{ field: 'record.company', op: 'exists' }] },
      steps: [
        { id: 'thanks', type: 'send_template', templateId: templates.thanks },
        { id: 'pause', type: 'wait', seconds: 6 },
        { id: 'follow-up', type: 'send_template', templateId: templates['follow-up'] },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', entryPolicy: 'once' });
    const activated = await act(created.body.id, 'activate');
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('active');

    const c = await consenting({ firstName: 'Rina' });
    const asked = Date.now();
    expect((await lead(c.email, 'PT Sinar')).status).toBe(201);
    await eventually(
      async () => mailsTo(box, c.email).length,
      (n) => n >= 1,
      15_000,
    );
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect(mailsTo(box, c.email)[0].subject).toBe('Thanks for asking, Rina');

    // Restart in the middle of the wait: the next step is a job in the database.
    await server.stop();
    await start(server.databaseUrl);
    await eventually(
      async () => mailsTo(box, c.email).length,
      (n) => n >= 2,
      30_000,
    );
    expect(mailsTo(box, c.email).map((m) => m.subject)).toEqual([
      'Thanks for asking, Rina',
      'Still interested in PT Sinar?',
    ]);
    const [run] = (await runs(created.body.id)).data;
    await eventually(
      async () =>
        (await server.http.get(`/api/v1/automations/${created.body.id}/runs/${run.id}`).set(admin))
          .body as { status: string; steps: { stepId: string; outcome: string }[] },
      (r) => r.status === 'completed',
      10_000,
    );
    const detail = await server.http
      .get(`/api/v1/automations/${created.body.id}/runs/${run.id}`)
      .set(admin);
    expect(detail.body.status).toBe('completed');
    expect(
      detail.body.steps.map((s: { stepId: string; outcome: string }) => [s.stepId, s.outcome]),
    ).toEqual([
      ['thanks', 'done'],
      ['pause', 'waiting'],
      ['follow-up', 'done'],
    ]);

    // Entry once: a second inquiry of the same contact starts nothing.
    expect((await lead(c.email)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await runs(created.body.id)).data).toHaveLength(1);
    expect(mailsTo(box, c.email)).toHaveLength(2);

    // The contact's export and erasure cover the messages and the runs.
    const exported = await server.http.get(`/api/v1/contacts/${c.id}/personal-data`).set(admin);
    expect(exported.status).toBe(200);
    const marketing = exported.body.sections.marketing as {
      messages: { subject: string; to_address: string }[];
      automationRuns: { steps: unknown[] }[];
      consents: unknown[];
    };
    expect(marketing.messages.map((m) => m.subject)).toContain('Thanks for asking, Rina');
    expect(marketing.automationRuns[0].steps).toHaveLength(3);
    expect(marketing.consents).toHaveLength(1);
    const erased = await server.http
      .post(`/api/v1/contacts/${c.id}/erasure`)
      .set(admin)
      .send({ reason: 'Asked by the contact' });
    expect(erased.status).toBe(200);
    expect(erased.body.summary.marketing).toBeGreaterThanOrEqual(3);
    const left = await server.db.query(
      `SELECT to_address, subject FROM outbound_messages WHERE contact_id = $1`,
      [c.id],
    );
    expect(left.rows.every((r) => r.to_address === '' && r.subject === null)).toBe(true);
  });

  it('records a hold-back for an opted-out contact instead of sending, and branches', async () => {
    const a = await create({
      name: 'Branching',
      triggerEvent: 'lead.created',
      entryPolicy: 'every_time',
      steps: [
        {
          id: 'check',
          type: 'branch',
          if: { event: [{ field: 'record.company', op: 'eq', value: 'PT Hold' }] },
          then: 'send',
          else: null,
        },
        { id: 'send', type: 'send_template', templateId: templates.thanks },
      ],
    });
    expect((await act(a.body.id, 'activate')).status).toBe(200);
    const c = await customers.contact({ email: `n-${randomUUID()}@example.com` });
    expect((await lead(c.email as string, 'PT Hold')).status).toBe(201);
    expect((await lead(c.email as string, 'PT Other')).status).toBe(201);
    const done = await eventually(
      () => runs(a.body.id),
      (r) => r.data.length === 2 && r.data.every((x) => x.status === 'completed'),
      15_000,
    );
    const outcomes = [];
    for (const r of done.data) {
      const d = await server.http.get(`/api/v1/automations/${a.body.id}/runs/${r.id}`).set(admin);
      outcomes.push(
        d.body.steps.map(
          (s: { outcome: string; detail: { reason?: string; took?: string } }) =>
            s.detail.reason ?? s.detail.took,
        ),
      );
    }
    expect(outcomes).toEqual(expect.arrayContaining([['then', 'no_consent'], ['else']]));
    expect(mailsTo(box, c.email as string)).toHaveLength(0);
  });

  it('refuses an unknown event, template, a loop and bad input', async () => {
    const base = {
      name: 'Bad',
      triggerEvent: 'lead.created',
      steps: [{ id: 'a', type: 'send_template', templateId: templates.thanks }],
    };
    const unknownEvent = await create({ ...base, triggerEvent: 'lead.teleported' });
    expect(unknownEvent.status).toBe(201);
    const refused = await act(unknownEvent.body.id, 'activate');
    expectProblem(refused, 422);
    expect(refused.body).toMatchObject({ code: 'automation_invalid', pointer: '/triggerEvent' });
    const unknownTemplate = await create({
      ...base,
      steps: [{ id: 'a', type: 'send_template', templateId: randomUUID() }],
    });
    expect((await act(unknownTemplate.body.id, 'activate')).body.pointer).toBe(
      '/steps/0/templateId',
    );
    const loop = await create({
      ...base,
      steps: [
        { id: 'a', type: 'wait', minutes: 5 },
        { id: 'b', type: 'branch', if: {}, then: 'a', else: null },
      ],
    });
    expectProblem(loop, 422);
    expect(loop.body.detail).toContain('a → b → a');
    const dangling = await create({
      ...base,
      steps: [{ id: 'a', type: 'wait', days: 1, next: 'z' }],
    });
    expect(dangling.status).toBe(422);
    const extraStepField = await create({
      ...base,
      steps: [{ id: 'a', type: 'wait', days: 1, script: 'x' }],
    });
    expect(extraStepField.body.pointer).toBe('/steps/0/script');
    expectProblem(await create({ ...base, name: undefined }), 400);
    expectProblem(await create({ ...base, steps: 'nope' }), 400);
    expectProblem(await create({ ...base, name: 'x'.repeat(201) }), 400);
    expectProblem(await create({ ...base, colour: 'red' }), 400);
    expectProblem(await create({ ...base, entryPolicy: 'twice' }), 400);
    expect((await create({ ...base, entryPolicy: 'once_per_period' })).status).toBe(422);

    const ok = await create(base);
    expect((await act(ok.body.id, 'activate', { 'if-match': '"999"' })).status).toBe(412);
    expect((await act(ok.body.id, 'pause')).status).toBe(409);
    const stale = await server.http
      .patch(`/api/v1/automations/${ok.body.id}`)
      .set({ ...admin, 'if-match': '"999"' })
      .send({ name: 'Renamed' });
    expect(stale.status).toBe(412);
    const types = await server.http.get('/api/v1/automations/event-types').set(admin);
    expect(types.body.data).toEqual(expect.arrayContaining(['lead.created', 'message.sent']));

    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          automations: {
            create: 'own',
            read: 'own',
            update: 'own',
            delete: 'own',
            reassign: false,
          },
        },
      },
    });
    const outsider = await people.userWithToken(role.id);
    expect(
      (await server.http.get(`/api/v1/automations/${ok.body.id}`).set(outsider.auth)).status,
    ).toBe(404);
    expect(
      (await server.http.get(`/api/v1/automations/${ok.body.id}/runs`).set(outsider.auth)).status,
    ).toBe(404);
    const outsiderAct = await server.http
      .post(`/api/v1/automations/${ok.body.id}/activate`)
      .set(outsider.auth)
      .send();
    expect(outsiderAct.status).toBe(404);
    const analyst = await people.userWithToken('analyst');
    expectProblem(await create(base, analyst.auth), 403);
  });
});
