import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventually, writeSalesConfig } from '../support/sales-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
campaigns:
  approvalThresholds: { IDR: '10000000' }
  approverRoles: [sales_manager]
marketing:
  email: { messagesPerMinute: 6000, fromAddress: news@example.com, fromName: Relasi News }
  publicBaseUrl: https://crm.example.com
`;

type Auth = { authorization: string };
type Rec = Record<string, unknown> & { id: string; version: number };

describe('campaign sending', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let env: Record<string, string>;
  let templateId: string;

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
      CRM_CONFIG: writeSalesConfig('mkt-campaign-send', CONFIG),
      CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
      CRM_JOB_POLL_MS: '200',
      CRM_PRINCIPAL_CACHE_TTL_MS: '0',
    };
    await start();
    const t = await server.http.post('/api/v1/message-templates').set(admin).send({
      key: 'launch',
      name: 'Launch',
      channel: 'email',
      language: 'en',
      subject: '{{ campaign.name }} for {{ contact.firstName | default: "you" }}',
      body: '<p>Hello {{ contact.firstName | default: "there" }}, <a href="https://example.com/launch">see it</a></p>',
      format: 'html',
    });
    expect(t.status).toBe(201);
    templateId = t.body.id as string;
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const contact = async (consent: boolean, extra: Record<string, unknown> = {}) => {
    const c = await customers.contact({ email: `m-${randomUUID()}@example.com`, ...extra });
    if (consent) {
      const given = await server.http
        .post(`/api/v1/contacts/${c.id}/consents`)
        .set(admin)
        .send({ purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' });
      expect(given.status).toBe(201);
    }
    return c as Rec & { email: string };
  };
  const campaign = async (body: Record<string, unknown> = {}) => {
    const res = await server.http
      .post('/api/v1/campaigns')
      .set(admin)
      .send({ name: `Launch ${randomUUID().slice(0, 6)}`, type: 'email', templateId, ...body });
    expect(res.status).toBe(201);
    return res.body as Rec;
  };
  const addMembers = async (id: string, contactIds: string[]) => {
    const res = await server.http
      .post(`/api/v1/campaigns/${id}/members`)
      .set(admin)
      .send({ contactIds });
    expect(res.status).toBe(200);
  };
  const act = (id: string, action: string) =>
    server.http.post(`/api/v1/campaigns/${id}/${action}`).set(admin).send();
  const send = (id: string, auth: Auth = admin, headers: Record<string, string> = {}) =>
    server.http
      .post(`/api/v1/campaigns/${id}/send`)
      .set({ ...auth, ...headers })
      .send();
  const progress = async (id: string) =>
    (await server.http.get(`/api/v1/campaigns/${id}/send`).set(admin)).body as {
      pending: number;
      queued: number;
      held: number;
      heldByReason: Record<string, number>;
    };
  const member = async (id: string, contactId: string) =>
    (await server.http.get(`/api/v1/campaigns/${id}/members/${contactId}`).set(admin)).body as {
      status: string;
    };

  it('sends once to every member the gate lets through and records the others with the reason', async () => {
    const yes = [await contact(true, { firstName: 'Ani' }), await contact(true)];
    const noConsent = await contact(false);
    const optedOut = await contact(true);
    const prefs = await server.http
      .patch(`/api/v1/contacts/${optedOut.id}/preferences`)
      .set(admin)
      .send({ channels: { email: 'opted_out' } });
    expect(prefs.status).toBe(200);
    const c = await campaign({ name: 'June launch' });
    await addMembers(
      c.id,
      [...yes, noConsent, optedOut].map((x) => x.id),
    );
    expect((await act(c.id, 'activate')).status).toBe(200);

    const sent = await send(c.id);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ campaignId: c.id, members: 4 });
    await eventually(
      () => progress(c.id),
      (p) => p.pending === 0,
      20_000,
    );
    expect(await progress(c.id)).toMatchObject({
      queued: 2,
      held: 2,
      heldByReason: { no_consent: 1, opted_out: 1 },
    });
    await eventually(
      async () => yes.map((y) => mailsTo(box, y.email).length),
      (n) => n.every((x) => x === 1),
      20_000,
    );
    const [mail] = mailsTo(box, yes[0].email);
    expect(mail.subject).toBe('June launch for Ani');
    expect(mail.html).toContain('Hello Ani');
    expect(mailsTo(box, noConsent.email)).toHaveLength(0);
    expect(mailsTo(box, optedOut.email)).toHaveLength(0);
    const held = await server.http
      .get(`/api/v1/campaigns/${c.id}/deliveries?outcome=held`)
      .set(admin);
    expect(held.status).toBe(200);
    expect(held.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contactId: noConsent.id, reason: 'no_consent' }),
        expect.objectContaining({ contactId: optedOut.id, reason: 'opted_out' }),
      ]),
    );
    await eventually(
      () => member(c.id, yes[0].id),
      (m) => m.status === 'sent',
      20_000,
    );
    expect((await member(c.id, noConsent.id)).status).toBe('targeted');

    // A second send reaches only who was added since: nobody gets the campaign twice.
    const late = await contact(true);
    await addMembers(c.id, [late.id]);
    expect((await send(c.id)).status).toBe(202);
    expect((await send(c.id)).status).toBe(202);
    await eventually(
      async () => mailsTo(box, late.email).length,
      (n) => n === 1,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(yes.map((y) => mailsTo(box, y.email).length)).toEqual([1, 1]);
    expect(mailsTo(box, late.email)).toHaveLength(1);
  });

  it('answers 409 for a campaign that is not approved and active, not e-mail or without a template', async () => {
    const big = await campaign({ budget: { amount: '50000000', currency: 'IDR' } });
    const unapproved = await send(big.id);
    expectProblem(unapproved, 409);
    expect(unapproved.body).toMatchObject({
      code: 'campaign_send_not_ready',
      blocker: 'not_active',
      campaignStatus: 'planned',
    });
    expect((await act(big.id, 'activate')).body.code).toBe('campaign_approval_required');
    expect((await send(big.id)).status).toBe(409);

    const phone = await campaign({ type: 'telemarketing' });
    await act(phone.id, 'activate');
    expect((await send(phone.id)).body).toMatchObject({ blocker: 'not_email' });
    const bare = await campaign({ templateId: null });
    await act(bare.id, 'activate');
    expect((await send(bare.id)).body).toMatchObject({ blocker: 'no_template' });
    const sms = await server.http.post('/api/v1/message-templates').set(admin).send({
      key: 'launch-sms',
      name: 'Launch SMS',
      channel: 'sms',
      language: 'en',
      body: 'Hi',
    });
    const wrong = await campaign({ templateId: sms.body.id });
    await act(wrong.id, 'activate');
    expect((await send(wrong.id)).body).toMatchObject({ blocker: 'template_not_email' });
    const missing = await server.http
      .post('/api/v1/campaigns')
      .set(admin)
      .send({ name: 'X', type: 'email', templateId: randomUUID() });
    expect([400, 422]).toContain(missing.status);
    const badId = await server.http
      .post('/api/v1/campaigns')
      .set(admin)
      .send({ name: 'X', type: 'email', templateId: 'nope' });
    expectProblem(badId, 400);

    const ok = await campaign();
    await act(ok.id, 'activate');
    expect((await send(ok.id, admin, { 'if-match': '"999"' })).status).toBe(412);
    expect((await send(randomUUID())).status).toBe(404);
    expect(
      (await server.http.get(`/api/v1/campaigns/${ok.id}/deliveries?outcome=lost`).set(admin))
        .status,
    ).toBe(400);
    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          campaigns: { create: 'own', read: 'own', update: 'own', delete: 'own', reassign: false },
        },
      },
    });
    const outsider = await people.userWithToken(role.id);
    expect((await send(ok.id, outsider.auth)).status).toBe(404);
    expect(
      (await server.http.get(`/api/v1/campaigns/${ok.id}/send`).set(outsider.auth)).status,
    ).toBe(404);
    const analyst = await people.userWithToken('analyst');
    expectProblem(await send(ok.id, analyst.auth), 403);
  });

  it('resumes after the process is killed mid-send and still sends no one twice', async () => {
    const members: (Rec & { email: string })[] = [];
    for (let i = 0; i < 30; i++) members.push(await contact(true));
    const c = await campaign();
    await addMembers(
      c.id,
      members.map((m) => m.id),
    );
    await act(c.id, 'activate');
    expect((await send(c.id)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    await server.stop('SIGKILL');
    await start(server.databaseUrl);
    await eventually(
      () => progress(c.id),
      (p) => p.pending === 0,
      30_000,
    );
    const sentRows = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE source_key = $1 AND status IN ('queued', 'sending', 'sent')`,
      [`campaign:${c.id}`],
    );
    await eventually(
      async () => members.reduce((n, m) => n + mailsTo(box, m.email).length, 0),
      (n) => n >= sentRows.rows[0].n,
      30_000,
    );
    expect(sentRows.rows[0].n).toBeGreaterThanOrEqual(members.length - 1);
    for (const m of members) expect(mailsTo(box, m.email).length).toBeLessThanOrEqual(1);
    const perContact = await server.db.query(
      `SELECT contact_id FROM outbound_messages WHERE source_key = $1 GROUP BY contact_id HAVING count(*) > 1`,
      [`campaign:${c.id}`],
    );
    expect(perContact.rows).toHaveLength(0);
  });
});
