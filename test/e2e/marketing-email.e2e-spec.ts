import { createHmac, randomUUID } from 'node:crypto';
import { factories } from '../support/factories.js';
import { eventsOf, eventually, writeSalesConfig } from '../support/sales-factories.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

const LINK_SECRET = 'marketing-link-secret-for-tests-0123456789';
const CONFIG = `
version: 1
marketing:
  email: { messagesPerMinute: 6000, fromAddress: news@example.com, fromName: Relasi News }
  publicBaseUrl: https://crm.example.com
`;

const pathOf = (url: string) => new URL(url).pathname;
const sign = (claims: Record<string, unknown>) => {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', LINK_SECRET).update(body).digest('base64url')}`;
};

describe('marketing: the e-mail channel and the preference centre', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: { authorization: string };
  let customers: ReturnType<typeof factories>;
  let env: Record<string, string>;

  beforeAll(async () => {
    box = await inbox();
    env = {
      CRM_CONFIG: writeSalesConfig('mkt-email', CONFIG),
      CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
      CRM_MARKETING_LINK_SECRET: LINK_SECRET,
      CRM_JOB_POLL_MS: '200',
    };
    server = await startServer({ env });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const consenting = async () => {
    const c = await customers.contact({ email: `c-${randomUUID()}@example.com` });
    const given = await server.http
      .post(`/api/v1/contacts/${c.id}/consents`)
      .set(admin)
      .send({ purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' });
    expect(given.status).toBe(201);
    return c as typeof c & { email: string };
  };
  const send = (body: Record<string, unknown>) =>
    server.http.post('/api/v1/marketing/messages').set(admin).send(body);
  const mailsTo = (address: string) =>
    box.mails.filter((m) => (m.to as { text: string } | undefined)?.text === address);

  it('delivers once per source key, with tracked links, an open pixel and one-click unsubscribe', async () => {
    const c = await consenting();
    const body = {
      sourceKey: `campaign:${randomUUID()}`,
      contactId: c.id,
      purpose: 'marketing',
      subject: 'Our June webinar',
      html: '<p>Hello <a href="https://example.com/webinar?x=1&amp;y=2">join us</a><script>alert(1)</script></p>',
    };
    const queued = await send(body);
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({
      status: 'queued',
      message: { status: 'queued', toAddress: c.email },
    });
    expect((await send(body)).body).toMatchObject({ status: 'duplicate' });
    await eventually(
      async () => mailsTo(c.email).length,
      (n) => n === 1,
      20_000,
    );
    const [mail] = mailsTo(c.email);
    expect(mail.subject).toBe('Our June webinar');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('join us');
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line ?? '';
    const unsubscribe = /<([^>]+)>/.exec(header('list-unsubscribe'))![1];
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(unsubscribe).toMatch(/^https:\/\/crm\.example\.com\/public\/unsubscribe\//);

    const id = queued.body.message.id as string;
    await eventually(
      async () => (await server.http.get(`/api/v1/marketing/messages/${id}`).set(admin)).body,
      (m: { status: string }) => m.status === 'sent',
    );
    const click = /href="([^"]+\/public\/t\/c\/[^"]+)"/.exec(mail.html as string)![1];
    const redirected = await server.http.get(pathOf(click)).redirects(0);
    expect(redirected.status).toBe(302);
    expect(redirected.headers.location).toBe('https://example.com/webinar?x=1&y=2');
    const tampered = await server.http.get(`${pathOf(click)}x`).redirects(0);
    expect(tampered.status).toBe(404);
    const forged = sign({ p: 'c', c: c.id, m: id, l: 5, e: Math.floor(Date.now() / 1000) + 60 });
    expect((await server.http.get(`/public/t/c/${forged}`).redirects(0)).status).toBe(404);
    const pixel = /src="([^"]+\/public\/t\/o\/[^"]+\.gif)"/.exec(mail.html as string)![1];
    const opened = await server.http.get(pathOf(pixel));
    expect(opened.status).toBe(200);
    expect(opened.headers['content-type']).toBe('image/gif');
    const after = await server.http.get(`/api/v1/marketing/messages/${id}`).set(admin);
    expect(after.body).toMatchObject({ openCount: 1, clickCount: 1 });
    await eventually(
      async () => (await eventsOf(server, id)).map((e) => e.type),
      (types) =>
        ['message.sent', 'message.opened', 'message.clicked'].every((t) => types.includes(t)),
    );

    const gone = await server.http
      .post(pathOf(unsubscribe))
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ unsubscribed: true });
    const held = await send({ ...body, sourceKey: `campaign:${randomUUID()}` });
    expect(held.body).toMatchObject({ status: 'held', reason: 'unsubscribed' });
    expect((await eventsOf(server, c.id)).map((e) => e.type)).toContain('contact.unsubscribed');
  });

  it('holds back an opted-out contact and records why', async () => {
    const c = await consenting();
    await server.http
      .patch(`/api/v1/contacts/${c.id}/preferences`)
      .set(admin)
      .send({ channels: { email: 'opted_out' } });
    const res = await send({
      sourceKey: 'campaign:x1',
      contactId: c.id,
      purpose: 'marketing',
      subject: 'Hi',
      text: 'Hi',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'held', reason: 'opted_out' });
    const holds = await server.http
      .get(`/api/v1/marketing/hold-backs?contactId=${c.id}`)
      .set(admin);
    expect(holds.body.data[0]).toMatchObject({ reason: 'opted_out', sourceKey: 'campaign:x1' });
    for (const bad of [
      {},
      { sourceKey: 'nocolon', contactId: c.id, purpose: 'marketing', subject: 'x' },
      { sourceKey: 'c:1', contactId: c.id, purpose: 'marketing', subject: 'x'.repeat(301) },
      { sourceKey: 'c:1', contactId: c.id, purpose: 'marketing', subject: 3 },
      { sourceKey: 'c:1', contactId: c.id, purpose: 'marketing', subject: 'x', colour: 'red' },
    ])
      expect([(await send(bad)).status, bad]).toEqual([400, bad]);
    expect(
      (
        await send({
          sourceKey: 'c:1',
          contactId: randomUUID(),
          purpose: 'marketing',
          subject: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('lets the contact read and change their own preferences through a signed link', async () => {
    const c = await consenting();
    const links = await server.http
      .post('/api/v1/marketing/preference-links')
      .set(admin)
      .send({ contactId: c.id });
    expect(links.status).toBe(200);
    const url = pathOf(links.body.preferencesUrl as string);
    const read = await server.http.get(url);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      topics: [],
      unsubscribed: false,
      channels: { email: 'unset' },
    });
    expect(read.body.availableTopics.map((t: { key: string }) => t.key)).toContain('newsletter');
    expect(read.body).not.toHaveProperty('consents');
    const changed = await server.http.put(url).send({
      topics: ['events'],
      channels: { sms: 'opted_out' },
      quietHours: { start: '22:00', end: '07:00' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ topics: ['events'], channels: { sms: 'opted_out' } });
    const staff = await server.http.get(`/api/v1/contacts/${c.id}/preferences`).set(admin);
    expect(staff.body).toMatchObject({
      topics: ['events'],
      quietHours: { start: '22:00', end: '07:00' },
    });
    const events = await eventsOf(server, c.id);
    expect(events.find((e) => e.type === 'preferences.changed')?.data).toMatchObject({
      changedBy: 'contact',
    });

    expect((await server.http.put(url).send({ email: 'me@evil.example' })).status).toBe(400);
    expect((await server.http.put(url).send({ topics: ['golf'] })).status).toBe(400);
    expect((await server.http.get(`${url.slice(0, -3)}abc`)).status).toBe(404);
    const unsubscribeAsPreferences = pathOf(links.body.unsubscribeUrl as string).replace(
      'unsubscribe',
      'preferences',
    );
    expect((await server.http.get(unsubscribeAsPreferences)).status).toBe(404);
    const expired = sign({ p: 'p', c: c.id, e: Math.floor(Date.now() / 1000) - 60 });
    const gone = await server.http.get(`/public/preferences/${expired}`);
    expect(gone.status).toBe(410);
    expect(gone.body).toHaveProperty('expiredAt');
    expect(
      (await server.http.post(`/public/unsubscribe/${expired.replace('.', '.x')}`)).status,
    ).toBe(404);
  });

  it('marks the address bounced from a delivery status notification', async () => {
    const c = await consenting();
    const queued = await send({
      sourceKey: `campaign:${randomUUID()}`,
      contactId: c.id,
      purpose: 'marketing',
      subject: 'B',
      text: 'b',
    });
    await eventually(
      async () => mailsTo(c.email).length,
      (n) => n === 1,
      20_000,
    );
    const original = mailsTo(c.email)[0].messageId!;
    const dsn = [
      'From: MAILER-DAEMON@example.com',
      'To: news@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      `Final-Recipient: rfc822; ${c.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${original}`,
      '--b--',
      '',
    ].join('\r\n');
    const res = await server.http.post('/api/v1/marketing/bounces').set(admin).send({ raw: dsn });
    expect(res.status).toBe(200);
    expect(res.body.bouncedMessageIds).toEqual([queued.body.message.id]);
    const prefs = await server.http.get(`/api/v1/contacts/${c.id}/preferences`).set(admin);
    expect(prefs.body.emailBouncedAt).not.toBeNull();
    const again = await send({
      sourceKey: `campaign:${randomUUID()}`,
      contactId: c.id,
      purpose: 'marketing',
      subject: 'B',
      text: 'b',
    });
    expect(again.body).toMatchObject({ status: 'held', reason: 'bounced' });
    expect((await server.http.post('/api/v1/marketing/bounces').set(admin).send({})).status).toBe(
      400,
    );
  });

  it('sends a message enqueued while the run before it is finishing without waiting for the minute', async () => {
    for (let round = 0; round < 4; round++) {
      const [first, second] = [await consenting(), await consenting()];
      const sourceKey = `campaign:${randomUUID()}`;
      // Start at the top of a second, so that the second message is enqueued within the same
      // second as the run that sent the first one, often while that run is still finishing.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      const sendAndReceive = async (c: { id: string; email: string }, timeoutMs: number) => {
        const res = await send({
          sourceKey,
          contactId: c.id,
          purpose: 'marketing',
          subject: 'S',
          text: 's',
        });
        expect(res.status).toBe(201);
        await eventually(
          async () => mailsTo(c.email).length,
          (n) => n === 1,
          timeoutMs,
        );
      };
      await sendAndReceive(first, 20_000);
      const startedAt = Date.now();
      await sendAndReceive(second, 20_000);
      expect([round, mailsTo(second.email).length]).toEqual([round, 1]);
      // The scheduled run comes once a minute; a kick that folded in is much sooner.
      expect(Date.now() - startedAt).toBeLessThan(20_000);
    }
  });

  it('sends nobody a message twice when the server dies between the SMTP answer and its record', async () => {
    const contacts: { id: string; email: string }[] = [];
    for (let i = 0; i < 5; i++) contacts.push(await consenting());
    const addresses = new Set(contacts.map((c) => c.email));
    let seen = 0;
    let allQueued = () => undefined as void;
    const queuedAll = new Promise<void>((resolve) => (allQueued = resolve));
    box.onMessage = async (mail) => {
      const to = (mail.to as { text: string }).text;
      if (!addresses.has(to)) return;
      seen += 1;
      // The first one waits until every message is queued, so the rest wait behind it.
      if (seen === 1) await queuedAll;
      // The server takes the message, and the sender dies before it hears so.
      if (seen === 2) server.process.kill('SIGKILL');
    };
    const sourceKey = `campaign:${randomUUID()}`;
    for (const c of contacts)
      expect(
        (await send({ sourceKey, contactId: c.id, purpose: 'marketing', subject: 'R', text: 'r' }))
          .status,
      ).toBe(201);
    allQueued();
    await eventually(
      async () => server.process.exitCode ?? server.process.signalCode,
      (v) => v !== null,
      20_000,
    );
    box.onMessage = null;
    const databaseUrl = server.databaseUrl;
    await server.stop();
    server = await startServer({ env, databaseUrl });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    await eventually(
      async () => contacts.filter((c) => mailsTo(c.email).length > 0).length,
      (n) => n === contacts.length,
      30_000,
    );
    // Give a second run the chance to send anything again.
    await new Promise((r) => setTimeout(r, 2000));
    for (const c of contacts) expect([c.email, mailsTo(c.email).length]).toEqual([c.email, 1]);
    const { rows } = await server.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM outbound_messages WHERE source_key = $1 GROUP BY status`,
      [sourceKey],
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(byStatus.sent).toBe(4);
    expect(byStatus.sending ?? byStatus.unconfirmed).toBe(1);
  });
});
