import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
  type Message,
  type Thread,
} from '../support/messaging-factories.js';
import { portalFactories, type PortalLogin } from '../support/portal-factories.js';
import { expectProblem } from '../support/problems.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { openSse, type SseConnection } from '../support/sse-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Customer = PortalLogin & { contactId: string };
type PortalMessage = {
  id: string;
  body: string | null;
  author: { kind: string; name: string; you: boolean };
  attachments: { id: string; fileName: string }[];
  source: string;
};

describe('customer portal: conversations', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let threads: ReturnType<typeof threadFactories>;
  let dewi: Customer;
  let other: Customer;
  const open: SseConnection[] = [];

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeMessagingConfig(
          'portal-threads',
          'portal: { baseUrl: https://help.example.com, fromAddress: support@example.com }',
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const customers = factories(server, token);
    people = accessFactories(server, token);
    threads = threadFactories(server, admin);
    const portal = portalFactories(server, admin, box);
    dewi = await portal.customer((await customers.account()).id);
    other = await portal.customer((await customers.account()).id);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.stop();
    await box.close();
  });

  const path = (id: string, rest = '') => `/api/v1/portal/threads/${id}${rest}`;
  const withDewi = (body: Record<string, unknown> = {}) =>
    threads.thread({ participants: [{ kind: 'contact', id: dewi.contactId }], ...body });

  it('lists the conversations the customer is in, with unread counts that leave internal notes out', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await withDewi({
      subject: 'Your warranty claim',
      participants: [
        { kind: 'contact', id: dewi.contactId },
        { kind: 'user', id: rep.user.id },
      ],
    });
    await threads.message(thread.id, { body: 'We received your claim.' });
    await threads.message(thread.id, { body: 'Margin is thin, offer 5% max', internal: true });
    await threads.thread({ subject: 'Not for Dewi' });

    const list = await server.http.get('/api/v1/portal/threads').set(dewi.auth);
    expect(list.status).toBe(200);
    const mine = (list.body.data as { id: string; unreadCount: number }[]).find(
      (t) => t.id === thread.id,
    );
    expect(mine).toMatchObject({ subject: 'Your warranty claim', unreadCount: 1 });
    expect((list.body.data as { subject: string }[]).map((t) => t.subject)).not.toContain(
      'Not for Dewi',
    );

    const one = await server.http.get(path(thread.id)).set(dewi.auth);
    expect(one.status).toBe(200);
    expect(one.body.participants).toEqual(
      expect.arrayContaining([{ kind: 'contact', name: 'Dewi Customer', you: true }]),
    );
    // Staff appear by kind and name only: no ids, no addresses, no record, no owner.
    const text = JSON.stringify(one.body);
    expect(text).not.toContain(rep.user.id);
    expect(text).not.toContain('@');
    expect(one.body).not.toHaveProperty('record');
    expect(one.body).not.toHaveProperty('ownerId');

    const messages = await server.http.get(path(thread.id, '/messages')).set(dewi.auth);
    expect(messages.status).toBe(200);
    const bodies = (messages.body.data as PortalMessage[]).map((m) => m.body);
    expect(bodies).toEqual(['We received your claim.']);
    expect(JSON.stringify(messages.body)).not.toMatch(/Margin|internal|mentions/);
    // A filter cannot bring an internal note back.
    const sneaky = await server.http
      .get(path(thread.id, '/messages?filter[internal][eq]=true'))
      .set(dewi.auth);
    expect(sneaky.body.data).toEqual([]);

    const read = await server.http.post(path(thread.id, '/read')).set(dewi.auth).send({});
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ unreadCount: 0 });
    const after = await server.http.get(path(thread.id)).set(dewi.auth);
    expect(after.body.unreadCount).toBe(0);
  });

  it('posts the customer message sanitized, live to staff, with a file within the limits', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await withDewi({
      participants: [
        { kind: 'contact', id: dewi.contactId },
        { kind: 'user', id: rep.user.id },
      ],
    });
    const stream = await openSse(`${server.url}/api/v1/stream`, rep.auth);
    open.push(stream);
    await stream.ready();
    const upload = (content: Buffer, name: string, auth: Auth = dewi.auth, id = thread.id) =>
      server.http.post(path(id, '/attachments')).set(auth).attach('file', content, name);
    const file = await upload(Buffer.from('photo of the label'), 'label.txt');
    expect(file.status).toBe(201);
    expect(file.body).toMatchObject({ fileName: 'label.txt', mediaType: 'text/plain' });
    expectProblem(await upload(Buffer.alloc(4096, 'a'), 'big.txt'), 413);
    expectProblem(await upload(Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), 'tool.pdf'), 415);

    const res = await server.http
      .post(path(thread.id, '/messages'))
      .set(dewi.auth)
      .send({
        format: 'html',
        body: '<p onclick="steal()">The label is torn<script>fetch("//evil")</script></p><a href="javascript:alert(1)">x</a>',
        attachmentIds: [file.body.id],
      });
    expect(res.status).toBe(201);
    const posted = res.body as PortalMessage;
    expect(posted).toMatchObject({
      body: '<p>The label is torn</p><a rel="noopener noreferrer nofollow">x</a>',
      author: { kind: 'contact', you: true },
      source: 'portal',
      attachments: [{ id: file.body.id, fileName: 'label.txt' }],
    });
    const live = await stream.next(
      (e) =>
        e.event === 'message.posted' && (e.data as { messageId: string }).messageId === posted.id,
    );
    expect(live.data).toMatchObject({
      threadId: thread.id,
      author: { kind: 'contact', id: dewi.contactId },
    });
    const staffView = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(rep.auth);
    const seen = (staffView.body.data as Message[]).find((m) => m.id === posted.id)!;
    expect(seen).toMatchObject({
      source: 'portal',
      author: { kind: 'contact', id: dewi.contactId },
    });
    const staffThread = await server.http.get(`/api/v1/threads/${thread.id}`).set(rep.auth);
    expect((staffThread.body as Thread).unreadCount).toBe(1);

    const download = await server.http
      .get(path(thread.id, `/attachments/${file.body.id}/content`))
      .set(dewi.auth);
    expect(download.status).toBe(200);
    expect(download.text).toBe('photo of the label');
    // A file sent once is not sent again; another customer's upload cannot be sent by Dewi.
    const twice = await server.http
      .post(path(thread.id, '/messages'))
      .set(dewi.auth)
      .send({ body: 'again', attachmentIds: [file.body.id] });
    expectProblem(twice, 400);
  });

  it('keeps every other thread out of reach: 404, and the portal and staff tokens reach only their own routes', async () => {
    const thread = await withDewi();
    const note = await threads.message(thread.id, { body: 'staff only', internal: true });
    const staffFile = await server.http
      .post(`/api/v1/threads/${thread.id}/attachments`)
      .set(admin)
      .attach('file', Buffer.from('internal sheet'), 'sheet.txt');
    await threads.message(thread.id, {
      body: 'see sheet',
      internal: true,
      attachmentIds: [staffFile.body.id],
    });
    for (const [method, url, body] of [
      ['get', path(thread.id), undefined],
      ['get', path(thread.id, '/messages'), undefined],
      ['post', path(thread.id, '/messages'), { body: 'let me in' }],
      ['post', path(thread.id, '/read'), {}],
      ['get', path(randomUUID()), undefined],
    ] as const) {
      const res = await server.http[method](url).set(other.auth).send(body);
      expectProblem(res, 404);
    }
    const upload = await server.http
      .post(path(thread.id, '/attachments'))
      .set(other.auth)
      .attach('file', Buffer.from('x'), 'x.txt');
    expectProblem(upload, 404);
    // The file of an internal note is not Dewi's to download, even knowing its id.
    const hidden = await server.http
      .get(path(thread.id, `/attachments/${staffFile.body.id}/content`))
      .set(dewi.auth);
    expectProblem(hidden, 404);

    expectProblem(await server.http.get('/api/v1/portal/threads').set(admin), 401);
    expectProblem(await server.http.get(path(thread.id)).set(admin), 401);
    expectProblem(await server.http.get('/api/v1/portal/threads'), 401);
    expectProblem(await server.http.get('/api/v1/threads').set(dewi.auth), 401);
    expectProblem(await server.http.get(`/api/v1/threads/${thread.id}`).set(dewi.auth), 401);
    expectProblem(
      await server.http
        .post(`/api/v1/threads/${thread.id}/messages`)
        .set(dewi.auth)
        .send({ body: 'x' }),
      401,
    );

    // An internal note is not there for the customer: neither to answer nor to mark read.
    const answer = await server.http
      .post(path(thread.id, '/messages'))
      .set(dewi.auth)
      .send({ body: 'reply', parentId: note.id });
    expectProblem(answer, 400);
    expect(answer.body.errors[0]).toMatchObject({ field: 'parentId' });
    const readNote = await server.http
      .post(path(thread.id, '/read'))
      .set(dewi.auth)
      .send({ messageId: note.id });
    expectProblem(readNote, 400);
  });

  it('answers bad input with 400', async () => {
    const thread = await withDewi();
    const cases: [string, unknown, string][] = [
      ['missing body', {}, 'body'],
      ['body of the wrong type', { body: 5 }, 'body'],
      ['body too long', { body: 'x'.repeat(50_001) }, 'body'],
      ['empty once sanitized', { body: '<script>x</script>', format: 'html' }, 'body'],
      ['unknown format', { body: 'x', format: 'rtf' }, 'format'],
      ['internal note', { body: 'x', internal: true }, 'internal'],
      ['mentions', { body: 'x', mentions: [randomUUID()] }, 'mentions'],
      ['parent not a uuid', { body: 'x', parentId: 'abc' }, 'parentId'],
      ['unknown parent', { body: 'x', parentId: randomUUID() }, 'parentId'],
      ['attachments not a list', { body: 'x', attachmentIds: 'abc' }, 'attachmentIds'],
      ['unknown attachment', { body: 'x', attachmentIds: [randomUUID()] }, 'attachmentIds'],
      [
        'too many attachments',
        { body: 'x', attachmentIds: Array.from({ length: 21 }, randomUUID) },
        'attachmentIds',
      ],
    ];
    for (const [label, body, field] of cases) {
      const res = await server.http
        .post(path(thread.id, '/messages'))
        .set(dewi.auth)
        .send(body as object);
      expect([label, res.status]).toEqual([label, 400]);
      expect([label, (res.body.errors as { field: string }[])[0].field]).toEqual([
        label,
        expect.stringContaining(field),
      ]);
    }
    expectProblem(await server.http.get(path('not-a-uuid')).set(dewi.auth), 400);
    expectProblem(
      await server.http.post(path(thread.id, '/read')).set(dewi.auth).send({ messageId: 5 }),
      400,
    );
    expectProblem(
      await server.http.get('/api/v1/portal/threads?filter[ownerId][eq]=x').set(dewi.auth),
      400,
    );
    expectProblem(
      await server.http.get('/api/v1/portal/threads?include=record').set(dewi.auth),
      400,
    );
    const notMultipart = await server.http
      .post(path(thread.id, '/attachments'))
      .set(dewi.auth)
      .send({ file: 'x' });
    expect([400, 415]).toContain(notMultipart.status);
  });
});
