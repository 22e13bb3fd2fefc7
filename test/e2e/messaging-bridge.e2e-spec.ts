import type { ParsedMail } from 'mailparser';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
  type Message,
  type Thread,
} from '../support/messaging-factories.js';
import { portalFactories } from '../support/portal-factories.js';
import { rawMail } from '../support/raw-mail.js';
import { inbox, mailsTo, waitFor, type Inbox } from '../support/smtp-inbox.js';
import { openSse, type SseConnection } from '../support/sse-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

const DOMAIN = 'reply.relasi.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const header = (m: ParsedMail, name: string) => String(m.headers.get(name) ?? '');
const replyTo = (m: ParsedMail) => m.replyTo?.value[0]?.address ?? '';

describe('messaging: the e-mail bridge', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let relay: string;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let threads: ReturnType<typeof threadFactories>;
  let portal: ReturnType<typeof portalFactories>;
  const open: SseConnection[] = [];

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeMessagingConfig(
          'messaging-bridge',
          [
            'portal: { baseUrl: https://help.example.com, fromAddress: support@example.com }',
            'catalog:',
            '  taxCategories:',
            '    - { key: standard, label: { en: VAT 11% }, rate: "11", default: true }',
          ].join('\n'),
          `  email: { replyDomain: ${DOMAIN}, from: '"Relasi Support" <support@relasi.example>' }`,
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
    threads = threadFactories(server, admin);
    portal = portalFactories(server, admin, box);
    const key = await server.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'Mail relay', scopes: ['inbound-email'] });
    relay = key.body.key as string;
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.stop();
    await box.close();
  });

  const receive = (raw: Buffer) =>
    server.http
      .post('/api/v1/inbound/email')
      .set('x-api-key', relay)
      .set('content-type', 'message/rfc822')
      .send(raw);

  /** A thread on an account with one contact who has no portal access. */
  async function conversation(subject = 'Delivery of order 1042') {
    const account = await customers.account();
    const email = `siti-${Math.random().toString(36).slice(2, 10)}@pelanggan.co.id`;
    const contact = await customers.contact({ accountId: account.id, email, firstName: 'Siti' });
    const thread = await threads.thread({
      subject,
      record: { type: 'accounts', id: account.id },
      participants: [{ kind: 'contact', id: contact.id }],
    });
    return { account, contact, email, thread };
  }

  it('mails a staff message to a contact without portal access: reply address, threading, safe body', async () => {
    const { email, thread } = await conversation();
    const first = await threads.message(thread.id, {
      format: 'html',
      body: '<p>Your parcel ships <b>Friday</b>.<script>alert(1)</script><img src=x onerror=alert(1)></p>',
    });
    await threads.message(thread.id, { body: 'Only for staff: check stock', internal: true });
    const [mail] = await waitFor(async () => {
      const got = mailsTo(box, email);
      return got.length ? got : null;
    });
    expect(mail.subject).toBe('Re: Delivery of order 1042');
    expect(mail.from?.text).toContain('support@relasi.example');
    expect(replyTo(mail)).toMatch(
      new RegExp(`^reply\\+[A-Za-z0-9_-]{24}@${DOMAIN.replace(/\./g, '\\.')}$`),
    );
    expect(mail.messageId).toBe(`<message-${first.id}.${thread.participants[1].id}@${DOMAIN}>`);
    expect(header(mail, 'references')).toContain(`<thread-${thread.id}@${DOMAIN}>`);
    expect(mail.html).toContain('<b>Friday</b>');
    expect(String(mail.html)).not.toMatch(/script|onerror|<img/i);
    expect(mail.text).toContain('Your parcel ships Friday.');
    expect(mail.text).not.toContain('Only for staff');

    // The second message references the first, so clients show one conversation.
    await threads.message(thread.id, { body: 'Tracking number: **JNE123**' });
    const both = await waitFor(async () => {
      const got = mailsTo(box, email);
      return got.length >= 2 ? got : null;
    });
    expect(header(both[1], 'references')).toContain(String(mail.messageId));
    expect(both[1].html).toContain('Tracking number: **JNE123**');
    // Once per (message, recipient), recorded as sent; the internal note was never queued.
    const rows = await server.db.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM thread_email_deliveries WHERE thread_id = $1 GROUP BY status`,
      [thread.id],
    );
    expect(rows.rows).toEqual([{ status: 'sent', n: '2' }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(box, email)).toHaveLength(2);
  });

  it('mails a portal customer only when they prefer e-mail', async () => {
    const account = await customers.account();
    const dewi = await portal.customer(account.id);
    const thread = await threads.thread({
      participants: [{ kind: 'contact', id: dewi.contactId }],
    });
    const before = mailsTo(box, dewi.email).length;
    const quiet = await threads.message(thread.id, { body: 'See the portal' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(box, dewi.email)).toHaveLength(before);
    const none = await server.db.query(
      `SELECT 1 FROM thread_email_deliveries WHERE message_id = $1`,
      [quiet.id],
    );
    expect(none.rowCount).toBe(0);

    const prefs = await server.http
      .patch(`/api/v1/contacts/${dewi.contactId}/preferences`)
      .set(admin)
      .send({ preferredChannel: 'email' });
    expect(prefs.status).toBe(200);
    await threads.message(thread.id, { body: 'Now by e-mail too' });
    const got = await waitFor(async () => {
      const m = mailsTo(box, dewi.email);
      return m.length > before ? m : null;
    });
    expect(got[got.length - 1].text).toContain('Now by e-mail too');
  });

  it('posts an e-mail reply into the thread as the contact, without the quoted history, live to staff', async () => {
    const rep = await people.userWithToken('sales_manager');
    const { contact, email, thread } = await conversation('Invoice question');
    await server.http
      .post(`/api/v1/threads/${thread.id}/participants`)
      .set(admin)
      .send({ participants: [{ kind: 'user', id: rep.user.id }] });
    const asked = await threads.message(thread.id, { body: 'Which invoice do you mean?' });
    const [out] = await waitFor(async () => {
      const got = mailsTo(box, email);
      return got.length ? got : null;
    });
    const stream = await openSse(`${server.url}/api/v1/stream`, rep.auth);
    open.push(stream);
    await stream.ready();

    const res = await receive(
      rawMail(
        {
          From: `Siti <${email}>`,
          To: replyTo(out),
          Subject: `Re: ${out.subject}`,
          'Message-ID': '<answer-1@pelanggan.co.id>',
          'In-Reply-To': String(out.messageId),
          References: header(out, 'references'),
        },
        'Invoice INV-77, please.\n\nOn Mon, 7 Dec 2026 at 10:00, Relasi Support <support@relasi.example> wrote:\n> Which invoice do you mean?\n',
        [
          { name: 'invoice.pdf', type: 'application/pdf', content: PDF },
          {
            name: 'tool.exe',
            type: 'application/octet-stream',
            content: Buffer.from('MZ\x90\x00'),
          },
        ],
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      routedTo: 'thread',
      targetId: thread.id,
      contactId: contact.id,
      skippedAttachments: [{ fileName: 'tool.exe', reason: 'thread_attachment_type_forbidden' }],
    });
    expect(res.body.attachmentIds).toHaveLength(1);

    const list = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(admin);
    const posted = (list.body.data as Message[]).find((m) => m.id === res.body.itemId)!;
    expect(posted).toMatchObject({
      author: { kind: 'contact', id: contact.id },
      source: 'email',
      body: 'Invoice INV-77, please.',
      internal: false,
    });
    expect((posted.attachments as { fileName: string }[]).map((a) => a.fileName)).toEqual([
      'invoice.pdf',
    ]);
    const live = await stream.next(
      (e) =>
        e.event === 'message.posted' && (e.data as { messageId: string }).messageId === posted.id,
    );
    expect(live.data).toMatchObject({ threadId: thread.id, author: { kind: 'contact' } });
    const timeline = await server.http
      .get(`/api/v1/accounts/${(thread.record as { id: string }).id}/timeline`)
      .set(admin);
    expect(
      (timeline.body.data as { data: { messageId?: string } }[]).map((e) => e.data.messageId),
    ).toEqual(expect.arrayContaining([asked.id, posted.id]));

    // The relay retrying the same mail posts nothing new.
    const again = await receive(
      rawMail(
        {
          From: `Siti <${email}>`,
          To: replyTo(out),
          Subject: 'Re: again',
          'Message-ID': '<answer-1@pelanggan.co.id>',
        },
        'Invoice INV-77, please.',
      ),
    );
    expect(again.status).toBe(200);
    expect(again.body.itemId).toBe(res.body.itemId);
    // A reply by e-mail does not go back out by e-mail.
    const n = await server.db.query(`SELECT 1 FROM thread_email_deliveries WHERE message_id = $1`, [
      posted.id,
    ]);
    expect(n.rowCount).toBe(0);
  });

  it('posts nothing for an unknown or revoked token: the mail is recorded and goes to e-mail-to-case', async () => {
    const { thread, contact, email } = await conversation('Token test');
    const bogus = await receive(
      rawMail(
        {
          From: `Siti <${email}>`,
          To: `reply+AAAAAAAAAAAAAAAAAAAAAAAA@${DOMAIN}`,
          Subject: 'Re: Token test',
          'Message-ID': '<bogus-1@pelanggan.co.id>',
        },
        'Hello?',
      ),
    );
    expect(bogus.status).toBe(201);
    expect(bogus.body).toMatchObject({ created: true, caseId: expect.any(String) });
    expect(bogus.body.routedTo).toBeUndefined();
    const token = (
      await server.db.query<{ reply_token: string }>(
        `SELECT reply_token FROM thread_participants WHERE thread_id = $1 AND kind = 'contact'`,
        [thread.id],
      )
    ).rows[0].reply_token;
    const participant = thread.participants.find((p) => p.participantId === contact.id)!;
    const removed = await server.http
      .delete(`/api/v1/threads/${thread.id}/participants/${participant.id}`)
      .set(admin);
    expect(removed.status).toBe(204);
    const revoked = await receive(
      rawMail(
        {
          From: `Siti <${email}>`,
          To: `reply+${token}@${DOMAIN}`,
          Subject: 'Re: Token test',
          'Message-ID': '<revoked-1@pelanggan.co.id>',
        },
        'Still there?',
      ),
    );
    expect(revoked.status).toBe(201);
    expect(revoked.body.routedTo).toBeUndefined();
    const list = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(admin);
    expect(list.body.data).toEqual([]);
    const recorded = await server.db.query<{ outcome: string; header_message_id: string }>(
      `SELECT outcome, header_message_id FROM thread_email_inbound WHERE header_message_id IN ('bogus-1@pelanggan.co.id', 'revoked-1@pelanggan.co.id') ORDER BY created_at`,
    );
    expect(recorded.rows.map((r) => r.outcome)).toEqual(['rejected', 'rejected']);
  });

  it('puts messages on the timeline of an opportunity, a case, an order and a quote', async () => {
    const account = await customers.account();
    const contact = await customers.contact({ accountId: account.id });
    const opportunity = await server.http
      .post('/api/v1/opportunities')
      .set(admin)
      .send({
        name: 'Fleet renewal',
        accountId: account.id,
        amount: { amount: '1000000', currency: 'IDR' },
      });
    const kase = await server.http
      .post('/api/v1/cases')
      .set(admin)
      .send({ subject: 'Printer jam', contactId: contact.id, accountId: account.id });
    const catalog = catalogFactories(server, admin);
    const book = await catalog.priceBook({ name: 'Standard', isStandard: true });
    const laptop = await catalog.product({
      sku: `LPT-${kase.body.id as string}`,
      name: { en: 'Laptop 14' },
    });
    await catalog.entry(book.id, laptop.id, '10000000');
    const order = await server.http
      .post('/api/v1/orders')
      .set(admin)
      .send({ accountId: account.id, lines: [{ productId: laptop.id, quantity: '1' }] });
    const quote = await server.http
      .post('/api/v1/quotes')
      .set(admin)
      .send({ accountId: account.id });
    const records: [string, string | undefined][] = [
      ['opportunities', opportunity.body.id as string | undefined],
      ['cases', kase.body.id as string | undefined],
      ['orders', order.body.id as string | undefined],
      ['quotes', quote.body.id as string | undefined],
    ];
    for (const [type, id] of records) {
      expect(id).toBeDefined();
      const thread: Thread = await threads.thread({ record: { type, id } });
      const m = await threads.message(thread.id, { body: `About this ${type}` });
      const timeline = await server.http.get(`/api/v1/${type}/${id}/timeline`).set(admin);
      expect(timeline.status).toBe(200);
      const entry = (timeline.body.data as { type: string; data: { messageId?: string } }[]).find(
        (e) => e.data.messageId === m.id,
      );
      expect(entry).toMatchObject({ type: 'message' });
    }
  });
});
