import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { eventually, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver.js';
import { signStatus } from '../support/text-provider.js';

const SECRET = 'whsec_c21zLXNpZ25pbmctc2VjcmV0LWZvci10ZXN0cw==';
const TOKEN = 'Bearer provider-token-123';
type Auth = { authorization: string };

describe('marketing: SMS and WhatsApp through an HTTP provider', () => {
  let provider: WebhookReceiver;
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    provider = await WebhookReceiver.start();
    const config = `
version: 1
marketing:
  publicBaseUrl: https://crm.example.com
  text:
    sms:
      url: ${provider.url('/sms')}
      senderId: RELASI
      timeoutMs: 1500
      maxAttempts: 4
      retryDelayMs: 200
      idField: sid
      body: { destination: '{{to}}', sender: '{{from}}', message: { body: '{{text}}' }, ref: '{{reference}}', callback: '{{statusUrl}}' }
`;
    env = {
      CRM_CONFIG: writeSalesConfig('mkt-sms', config),
      CRM_SMS_AUTH_TOKEN: TOKEN,
      CRM_SMS_SIGNING_SECRET: SECRET,
      CRM_JOB_POLL_MS: '200',
      CRM_PRINCIPAL_CACHE_TTL_MS: '0',
    };
    await start();
  });
  let env: Record<string, string>;
  const start = async (databaseUrl?: string) => {
    server = await startServer({ env, databaseUrl });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  };
  afterAll(async () => {
    await server.stop();
    await provider.close();
  });

  const consenting = async (number = `+62 811 ${Math.floor(Math.random() * 1e7)}`) => {
    const c = await customers.contact({ phones: [{ label: 'mobile', number }] });
    const given = await server.http
      .post(`/api/v1/contacts/${c.id}/consents`)
      .set(admin)
      .send({ purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' });
    expect(given.status).toBe(201);
    return { id: c.id, number };
  };
  const send = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/marketing/text-messages').set(auth).send(body);
  const sms = (contactId: string, extra: Record<string, unknown> = {}) =>
    send({
      sourceKey: `campaign:${randomUUID()}`,
      contactId,
      channel: 'sms',
      purpose: 'marketing',
      text: 'Our June sale starts today',
      ...extra,
    });
  const messageOf = async (id: string) =>
    (await server.http.get(`/api/v1/marketing/messages/${id}`).set(admin)).body as Record<
      string,
      unknown
    >;
  const requestsFor = (messageId: string) =>
    provider.at('/sms').filter((r) => r.headers['webhook-id'] === messageId);
  const report = (channel: string, body: unknown, secret = SECRET) => {
    const signed = signStatus(secret, body);
    return server.http
      .post(`/api/v1/public/sms-status/${channel}`)
      .set(signed.headers)
      .set('content-type', 'application/json')
      .send(signed.body);
  };

  it('sends one signed request per message in the provider’s body shape and records its delivery report', async () => {
    const c = await consenting('+62 811 1234 567');
    provider.answer('/sms', { status: 200, body: '{"sid":"SM-1"}' });
    const sourceKey = `campaign:${randomUUID()}`;
    const queued = await sms(c.id, { sourceKey });
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({
      status: 'queued',
      message: { channel: 'sms', toAddress: '+62 811 1234 567', status: 'queued' },
    });
    const id = queued.body.message.id as string;
    expect((await sms(c.id, { sourceKey })).body).toMatchObject({ status: 'duplicate' });
    await eventually(
      () => messageOf(id),
      (m) => m.status === 'sent',
    );
    const [request, ...more] = requestsFor(id);
    expect(more).toHaveLength(0);
    expect(request.headers.authorization).toBe(TOKEN);
    expect(verifySignature(SECRET, request)).toBe(true);
    expect(JSON.parse(request.body)).toEqual({
      destination: '+62 811 1234 567',
      sender: 'RELASI',
      message: { body: 'Our June sale starts today' },
      ref: id,
      callback: 'https://crm.example.com/api/v1/public/sms-status/sms',
    });
    expect(await messageOf(id)).toMatchObject({
      providerMessageId: 'SM-1',
      deliveryStatus: 'accepted',
      attempts: 1,
    });

    expect((await report('sms', { reference: 'SM-1', status: 'delivered' })).status).toBe(204);
    expect(await messageOf(id)).toMatchObject({ deliveryStatus: 'delivered' });
    // Our own id names the message as well.
    const failed = await report('sms', { reference: id, status: 'read' });
    expect(failed.status).toBe(204);
    expect(await messageOf(id)).toMatchObject({ deliveryStatus: 'read' });
  });

  it('refuses a status report with a bad signature, for an unknown channel or message, or with bad fields', async () => {
    const body = { reference: 'SM-1', status: 'delivered' };
    expect((await report('sms', body, 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==')).status).toBe(
      401,
    );
    const unsigned = await server.http.post('/api/v1/public/sms-status/sms').send(body);
    expect(unsigned.status).toBe(401);
    const signed = signStatus(SECRET, body);
    const tampered = await server.http
      .post('/api/v1/public/sms-status/sms')
      .set(signed.headers)
      .set('content-type', 'application/json')
      .send(signed.body.replace('delivered', 'failed'));
    expect(tampered.status).toBe(401);
    const stale = signStatus(SECRET, body, Math.floor(Date.now() / 1000) - 3600);
    expect(
      (
        await server.http
          .post('/api/v1/public/sms-status/sms')
          .set(stale.headers)
          .set('content-type', 'application/json')
          .send(stale.body)
      ).status,
    ).toBe(401);
    expect((await report('fax', body)).status).toBe(404);
    // WhatsApp has no provider here.
    expect((await report('whatsapp', body)).status).toBe(404);
    expect((await report('sms', { reference: 'nobody', status: 'delivered' })).status).toBe(404);
    expect((await report('sms', { status: 'delivered' })).status).toBe(400);
    expect((await report('sms', { reference: 'SM-1', status: 'lost' })).status).toBe(400);
    expect((await report('sms', { reference: 7, status: 'delivered' })).status).toBe(400);
    expect((await report('sms', { ...body, extra: 1 })).status).toBe(400);
    expect((await report('sms', { ...body, reference: 'x'.repeat(201) })).status).toBe(400);
  });

  it('retries a message the provider did not take, with backoff, and sends it once it does', async () => {
    const c = await consenting();
    provider.answer('/sms', 503, 503, { status: 200, body: '{"sid":"SM-2"}' });
    const queued = await sms(c.id);
    const id = queued.body.message.id as string;
    await eventually(
      () => messageOf(id),
      (m) => m.status === 'sent',
      20_000,
    );
    const tries = requestsFor(id);
    expect(tries).toHaveLength(3);
    expect(tries.every((r) => verifySignature(SECRET, r))).toBe(true);
    // Backoff: the third try waited longer after the second than the second after the first.
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(150);
    expect(await messageOf(id)).toMatchObject({ attempts: 3, providerMessageId: 'SM-2' });
  });

  it('fails a refused message at once, gives up after maxAttempts, and never resends one whose answer was lost', async () => {
    const refusedContact = await consenting();
    provider.answer('/sms', { status: 400, body: 'bad number' });
    const refused = (await sms(refusedContact.id)).body.message.id as string;
    await eventually(
      () => messageOf(refused),
      (m) => m.status === 'failed',
      15_000,
    );
    expect(requestsFor(refused)).toHaveLength(1);
    expect((await messageOf(refused)).lastError).toContain('400');

    const downContact = await consenting();
    provider.answer('/sms', 502);
    const down = (await sms(downContact.id)).body.message.id as string;
    await eventually(
      () => messageOf(down),
      (m) => m.status === 'failed',
      30_000,
    );
    expect(requestsFor(down)).toHaveLength(4);

    const lostContact = await consenting();
    provider.answer('/sms', 'hang');
    const lost = (await sms(lostContact.id)).body.message.id as string;
    await eventually(
      () => messageOf(lost),
      (m) => m.status === 'unconfirmed',
      15_000,
    );
    provider.answer('/sms', 200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(requestsFor(lost)).toHaveLength(1);
    expect((await messageOf(lost)).status).toBe('unconfirmed');
  });

  it('passes the gate: an opt-out or missing consent is held back and recorded, quiet hours wait', async () => {
    provider.answer('/sms', { status: 200, body: '{"sid":"SM-3"}' });
    const optedOut = await consenting();
    const patched = await server.http
      .patch(`/api/v1/contacts/${optedOut.id}/preferences`)
      .set(admin)
      .send({ channels: { sms: 'opted_out' } });
    expect(patched.status).toBe(200);
    const held = await sms(optedOut.id);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'held', reason: 'opted_out' });
    const holdBacks = await server.http
      .get(`/api/v1/marketing/hold-backs?contactId=${optedOut.id}`)
      .set(admin);
    expect(holdBacks.body.data).toEqual([
      expect.objectContaining({ channel: 'sms', reason: 'opted_out' }),
    ]);

    const noConsent = await customers.contact({ phones: [{ label: 'mobile', number: '+62 1' }] });
    expect((await sms(noConsent.id)).body).toMatchObject({ status: 'held', reason: 'no_consent' });
    const noPhone = await customers.contact({});
    expect((await sms(noPhone.id)).body).toMatchObject({ status: 'held', reason: 'no_address' });

    const sleeping = await consenting();
    const now = new Date();
    const hh = (h: number) => String((now.getUTCHours() + h + 24) % 24).padStart(2, '0');
    expect(
      (
        await server.http
          .patch(`/api/v1/contacts/${sleeping.id}/preferences`)
          .set(admin)
          .send({ timeZone: 'UTC', quietHours: { start: `${hh(-1)}:00`, end: `${hh(2)}:00` } })
      ).status,
    ).toBe(200);
    const waiting = await sms(sleeping.id);
    expect(waiting.status).toBe(201);
    expect(Date.parse(waiting.body.message.notBefore as string)).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 1000));
    expect(requestsFor(waiting.body.message.id as string)).toHaveLength(0);
  });

  it('sends an SMS campaign to its members through the gate, once each', async () => {
    provider.answer('/sms', { status: 200, body: '{"sid":"SM-C"}' });
    const template = await server.http
      .post('/api/v1/message-templates')
      .set(admin)
      .send({
        key: `sale-${randomUUID().slice(0, 8)}`,
        name: 'Sale',
        channel: 'sms',
        language: 'en',
        body: 'Hi {{ contact.firstName | default: "there" }}, {{ campaign.name }} starts today',
        format: 'text',
      });
    expect(template.status).toBe(201);
    const members = [await consenting(), await consenting()];
    const noConsent = await customers.contact({ phones: [{ label: 'mobile', number: '+62 2' }] });
    const campaign = await server.http
      .post('/api/v1/campaigns')
      .set(admin)
      .send({ name: 'June sale', type: 'sms', templateId: template.body.id });
    expect(campaign.status).toBe(201);
    const id = campaign.body.id as string;
    const added = await server.http
      .post(`/api/v1/campaigns/${id}/members`)
      .set(admin)
      .send({ contactIds: [...members.map((m) => m.id), noConsent.id] });
    expect(added.status).toBe(200);
    expect(
      (await server.http.post(`/api/v1/campaigns/${id}/activate`).set(admin).send()).status,
    ).toBe(200);
    const sent = await server.http.post(`/api/v1/campaigns/${id}/send`).set(admin).send();
    expect(sent.status).toBe(202);
    const toMembers = () =>
      provider
        .at('/sms')
        .map((r) => JSON.parse(r.body) as { destination: string; message: { body: string } })
        .filter((b) => members.some((m) => m.number === b.destination));
    await eventually(
      async () => toMembers().length,
      (n) => n === 2,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(toMembers().map((b) => b.message.body)).toEqual([
      expect.stringContaining('June sale starts today'),
      expect.stringContaining('June sale starts today'),
    ]);
    const progress = await server.http.get(`/api/v1/campaigns/${id}/send`).set(admin);
    expect(progress.body).toMatchObject({ pending: 0, heldByReason: { no_consent: 1 } });
  });

  it('texts a contact from an automation step with an SMS template', async () => {
    provider.answer('/sms', { status: 200, body: '{"sid":"SM-A"}' });
    const template = await server.http
      .post('/api/v1/message-templates')
      .set(admin)
      .send({
        key: `thanks-${randomUUID().slice(0, 8)}`,
        name: 'Thanks',
        channel: 'sms',
        language: 'en',
        body: 'Thanks for asking, {{ contact.firstName | default: "friend" }}',
        format: 'text',
      });
    expect(template.status).toBe(201);
    const automation = await server.http
      .post('/api/v1/automations')
      .set(admin)
      .send({
        name: 'Text inquiries',
        triggerEvent: 'lead.created',
        steps: [{ id: 'thanks', type: 'send_template', templateId: template.body.id }],
      });
    expect(automation.status).toBe(201);
    expect(
      (
        await server.http
          .post(`/api/v1/automations/${automation.body.id}/activate`)
          .set(admin)
          .send()
      ).status,
    ).toBe(200);
    const email = `t-${randomUUID()}@example.com`;
    const number = '+62 813 5555 0001';
    const c = await customers.contact({
      firstName: 'Rina',
      email,
      phones: [{ label: 'mobile', number }],
    });
    expect(
      (
        await server.http
          .post(`/api/v1/contacts/${c.id}/consents`)
          .set(admin)
          .send({ purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' })
      ).status,
    ).toBe(201);
    expect(
      (
        await server.http
          .post('/api/v1/leads?allowDuplicate=true')
          .set(admin)
          .send({ lastName: 'Inquirer', company: 'PT Sinar', email })
      ).status,
    ).toBe(201);
    const toRina = () =>
      provider
        .at('/sms')
        .map((r) => JSON.parse(r.body) as { destination: string; message: { body: string } })
        .filter((b) => b.destination === number);
    await eventually(
      async () => toRina().length,
      (n) => n === 1,
      20_000,
    );
    expect(toRina()[0].message.body).toBe('Thanks for asking, Rina');
  });

  it('refuses bad input, an unset channel and another team’s contact', async () => {
    const c = await consenting();
    const base = {
      sourceKey: `campaign:${randomUUID()}`,
      contactId: c.id,
      channel: 'sms',
      purpose: 'marketing',
      text: 'Hi',
    };
    const { text: _t, ...noText } = base;
    expect((await send(noText)).status).toBe(400);
    expect((await send({ ...base, text: 5 })).status).toBe(400);
    expect((await send({ ...base, text: 'x'.repeat(1601) })).status).toBe(400);
    expect((await send({ ...base, subject: 'no subjects on SMS' })).status).toBe(400);
    expect((await send({ ...base, channel: 'fax' })).status).toBe(400);
    expect((await send({ ...base, contactId: 'not-a-uuid' })).status).toBe(400);
    expect((await send({ ...base, contactId: randomUUID() })).status).toBe(404);
    const off = await send({ ...base, channel: 'whatsapp' });
    expect(off.status).toBe(503);
    expect(off.body.code).toBe('text_channel_off');
    const rep = await people.userWithToken('sales_rep');
    expect((await send(base, rep.auth)).status).toBe(404);
  });
  it('sends nobody a text twice when the server dies between the provider taking it and its record', async () => {
    provider.answer('/sms', { status: 200, body: '{"sid":"SM-crash"}' });
    const contacts = [];
    for (let i = 0; i < 6; i++) contacts.push(await consenting());
    let release = () => undefined as void;
    const allQueued = new Promise<void>((resolve) => (release = resolve));
    let seen = 0;
    const victim = server;
    // Every request waits until all messages are queued; the second one reached kills the
    // sender after the provider has it, before the sender hears the answer.
    provider.onRequest = async (r) => {
      if (r.path !== '/sms') return;
      await allQueued;
      if (++seen === 2) victim.process.kill('SIGKILL');
    };
    const sourceKey = `campaign:${randomUUID()}`;
    const ids: string[] = [];
    for (const c of contacts) {
      const queued = await sms(c.id, { sourceKey });
      expect(queued.status).toBe(201);
      ids.push(queued.body.message.id as string);
    }
    release();
    await eventually(
      async () => victim.process.exitCode ?? victim.process.signalCode,
      (v) => v !== null,
    );
    provider.onRequest = null;
    const databaseUrl = victim.databaseUrl;
    // The dead process's job locks run out after CRM_JOB_LOCK_TIMEOUT_MS; let that time pass
    // now, so the restarted server takes its jobs up again.
    await victim.db.query(`UPDATE jobs SET locked_until = now() WHERE state = 'active'`);
    await victim.stop();
    await start(databaseUrl);

    const statuses = async () =>
      (
        await server.db.query<{ id: string; status: string }>(
          `SELECT id, status FROM outbound_messages WHERE source_key = $1`,
          [sourceKey],
        )
      ).rows;
    // Settled: the rest sent, and each claim the crash cut off is marked unconfirmed when its
    // job runs again, instead of being sent a second time.
    const settled = await eventually(statuses, (rows) =>
      rows.every((r) => ['sent', 'unconfirmed'].includes(r.status)),
    );
    expect(settled).toHaveLength(ids.length);
    // Give a second run the chance to send anything again.
    await new Promise((r) => setTimeout(r, 2000));
    for (const id of ids) expect([id, requestsFor(id).length]).toEqual([id, 1]);
    const byStatus = (await statuses()).reduce<Record<string, number>>(
      (n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }),
      {},
    );
    // The ones the provider had when the process died stay unsent by us; the rest went after
    // the restart.
    expect(byStatus.unconfirmed).toBeGreaterThanOrEqual(2);
    expect(byStatus.sent).toBeGreaterThanOrEqual(1);
    expect(byStatus.sent + byStatus.unconfirmed).toBe(ids.length);
  });
});
