import { randomUUID } from 'node:crypto';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
  type Message,
  type Thread,
} from '../support/messaging-factories.js';
import {
  PARTNERS_YAML,
  partnerFactories,
  type PartnerLogin,
} from '../support/partner-factories.js';
import { portalFactories, type PortalLogin } from '../support/portal-factories.js';
import { expectProblem } from '../support/problems.js';
import { salesFactories } from '../support/sales-factories.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { openSse, type SseConnection, type SseEvent } from '../support/sse-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

type PartnerMessage = {
  id: string;
  body: string | null;
  author: { kind: string; name: string; you: boolean };
  source: string;
};
type Posted = { threadId: string; messageId: string; author: Record<string, unknown> };

const posted = (e: SseEvent) => e.data as Posted;

describe('partner users in threads, and the portal and partner streams', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let threads: ReturnType<typeof threadFactories>;
  let sales: ReturnType<typeof salesFactories>;
  let partners: ReturnType<typeof partnerFactories>;
  let alpha: { id: string };
  let beta: { id: string };
  let sari: PartnerLogin;
  let budi: PartnerLogin;
  let dewi: PortalLogin & { contactId: string };
  const open: SseConnection[] = [];

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeMessagingConfig(
          'partner-threads',
          `portal: { baseUrl: https://help.example.com, fromAddress: support@example.com }\n${PARTNERS_YAML}`,
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    threads = threadFactories(server, admin);
    sales = salesFactories(server, token);
    partners = partnerFactories(server, admin, box);
    alpha = await partners.partner();
    beta = await partners.partner();
    sari = await partners.user(alpha.id);
    budi = await partners.user(beta.id);
    dewi = await portalFactories(server, admin, box).customer(
      (await factories(server, token).account()).id,
    );
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.stop();
    await box.close();
  });

  const path = (id: string, rest = '') => `/api/v1/partner/threads/${id}${rest}`;
  const withSari = (body: Record<string, unknown> = {}) =>
    threads.thread({ participants: [{ kind: 'partner_user', id: sari.userId }], ...body });
  const sse = async (url: string, auth: Record<string, string>) => {
    const c = await openSse(`${server.url}${url}`, auth);
    open.push(c);
    // Live from the `ready` comment on: what is posted after it cannot be missed.
    if (c.status === 200) await c.ready();
    return c;
  };
  const sharedOpportunity = async (partnerId: string) => {
    const opp = await sales.opportunity();
    const share = await server.http
      .post(`/api/v1/opportunities/${opp.id}/share`)
      .set(admin)
      .send({ partnerId });
    expect(share.status).toBe(200);
    return opp;
  };

  it('adds partner users with live access only, named in the participants', async () => {
    const thread = await withSari({ subject: 'Joint pitch' });
    expect(thread.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'partner_user', participantId: sari.userId, name: 'Sari' }),
      ]),
    );
    const invited = await partners.invite(alpha.id, {
      email: `pending-${randomUUID().slice(0, 8)}@mitra.example.com`,
      name: 'Pending',
    });
    const revoked = await partners.user(alpha.id);
    const gone = await server.http
      .delete(`/api/v1/partners/${alpha.id}/users/${revoked.userId}`)
      .set(admin);
    expect(gone.status).toBe(204);
    for (const id of [randomUUID(), invited.body.id as string, revoked.userId]) {
      const res = await server.http
        .post(`/api/v1/threads/${thread.id}/participants`)
        .set(admin)
        .send({ participants: [{ kind: 'partner_user', id }] });
      expectProblem(res, 422);
      expect(res.body.code).toBe('thread_partner_user_unavailable');
    }
    const byEmail = await server.http
      .post(`/api/v1/threads/${thread.id}/participants`)
      .set(admin)
      .send({ participants: [{ kind: 'partner_user', email: sari.email }] });
    expectProblem(byEmail, 400);
    const badKind = await server.http
      .post(`/api/v1/threads/${thread.id}/participants`)
      .set(admin)
      .send({ participants: [{ kind: 'partner', id: sari.userId }] });
    expectProblem(badKind, 400);
  });

  it('lets a partner into a record thread only when the record is shared with their organization', async () => {
    const opp = await sharedOpportunity(alpha.id);
    const onShared = await withSari({ record: { type: 'opportunities', id: opp.id } });
    expect(onShared.participants.map((p) => p.kind)).toContain('partner_user');

    // Budi's organization does not share the opportunity: not at the start, not added later.
    const notShared = await server.http
      .post('/api/v1/threads')
      .set(admin)
      .send({
        subject: 'Pricing',
        record: { type: 'opportunities', id: opp.id },
        participants: [{ kind: 'partner_user', id: budi.userId }],
      });
    expectProblem(notShared, 422);
    expect(notShared.body.code).toBe('thread_record_not_shared');
    const later = await server.http
      .post(`/api/v1/threads/${onShared.id}/participants`)
      .set(admin)
      .send({ participants: [{ kind: 'partner_user', id: budi.userId }] });
    expectProblem(later, 422);

    // A case joins through its account: shared when an opportunity of the account is.
    const caseRes = await server.http
      .post('/api/v1/cases')
      .set(admin)
      .send({ subject: 'Install fails', accountId: opp.accountId });
    expect(caseRes.status).toBe(201);
    const onCase = await withSari({ record: { type: 'cases', id: caseRes.body.id } });
    expect(onCase.participants.map((p) => p.kind)).toContain('partner_user');
    const contact = await sales.contact();
    const onContact = await server.http
      .post('/api/v1/threads')
      .set(admin)
      .send({
        subject: 'Who is this',
        record: { type: 'contacts', id: contact.id },
        participants: [{ kind: 'partner_user', id: sari.userId }],
      });
    expectProblem(onContact, 422);
  });

  it('serves the partner their threads: no internal notes, posts as source partner, read and files', async () => {
    const thread = await withSari({ subject: 'Rollout plan' });
    await threads.message(thread.id, { body: 'Kick-off on Monday' });
    await threads.message(thread.id, { body: 'Their margin is 12%', internal: true });
    await threads.thread({ subject: 'Not for Sari' });

    const list = await server.http.get('/api/v1/partner/threads').set(sari.auth);
    expect(list.status).toBe(200);
    const subjects = (list.body.data as { subject: string }[]).map((t) => t.subject);
    expect(subjects).toContain('Rollout plan');
    expect(subjects).not.toContain('Not for Sari');
    expect(
      (list.body.data as { id: string; unreadCount: number }[]).find((t) => t.id === thread.id),
    ).toMatchObject({ unreadCount: 1 });

    const one = await server.http.get(path(thread.id)).set(sari.auth);
    expect(one.status).toBe(200);
    expect(one.body.participants).toEqual(
      expect.arrayContaining([{ kind: 'partner_user', name: 'Sari', you: true }]),
    );
    expect(JSON.stringify(one.body)).not.toContain('@');

    const messages = await server.http.get(path(thread.id, '/messages')).set(sari.auth);
    expect((messages.body.data as PartnerMessage[]).map((m) => m.body)).toEqual([
      'Kick-off on Monday',
    ]);
    expect(JSON.stringify(messages.body)).not.toMatch(/margin|internal/);

    const file = await server.http
      .post(path(thread.id, '/attachments'))
      .set(sari.auth)
      .attach('file', Buffer.from('timeline draft'), 'plan.txt');
    expect(file.status).toBe(201);
    const res = await server.http
      .post(path(thread.id, '/messages'))
      .set(sari.auth)
      .send({ body: 'Monday works **for us**', attachmentIds: [file.body.id] });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/partner/threads/${thread.id}/messages`);
    expect(res.body).toMatchObject({
      author: { kind: 'partner_user', name: 'Sari', you: true },
      source: 'partner',
      attachments: [{ id: file.body.id, fileName: 'plan.txt' }],
    });
    const staffView = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(admin);
    expect((staffView.body.data as Message[]).find((m) => m.id === res.body.id)).toMatchObject({
      source: 'partner',
      author: { kind: 'partner_user', id: sari.userId },
    });
    const download = await server.http
      .get(path(thread.id, `/attachments/${file.body.id as string}/content`))
      .set(sari.auth);
    expect(download.status).toBe(200);
    expect(download.text).toBe('timeline draft');

    const read = await server.http.post(path(thread.id, '/read')).set(sari.auth).send({});
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ unreadCount: 0, lastReadMessageId: res.body.id });
  });

  it('keeps other threads out of reach (404) and each audience to its own routes (401)', async () => {
    const thread = await withSari();
    const note = await threads.message(thread.id, { body: 'staff only', internal: true });
    for (const [method, url, body] of [
      ['get', path(thread.id), undefined],
      ['get', path(thread.id, '/messages'), undefined],
      ['post', path(thread.id, '/messages'), { body: 'let me in' }],
      ['post', path(thread.id, '/read'), {}],
      ['get', path(randomUUID()), undefined],
    ] as const) {
      expectProblem(await server.http[method](url).set(budi.auth).send(body), 404);
    }
    const answer = await server.http
      .post(path(thread.id, '/messages'))
      .set(sari.auth)
      .send({ body: 'reply', parentId: note.id });
    expectProblem(answer, 400);

    expectProblem(await server.http.get('/api/v1/partner/threads').set(admin), 401);
    expectProblem(await server.http.get('/api/v1/partner/threads').set(dewi.auth), 401);
    expectProblem(await server.http.get('/api/v1/portal/threads').set(sari.auth), 401);
    expectProblem(await server.http.get(`/api/v1/threads/${thread.id}`).set(sari.auth), 401);
  });

  it('answers bad partner input with 400', async () => {
    const thread = await withSari();
    const cases: [object, string][] = [
      [{}, 'body'],
      [{ body: 5 }, 'body'],
      [{ body: 'x'.repeat(50_001) }, 'body'],
      [{ body: 'x', internal: true }, 'internal'],
      [{ body: 'x', secret: 1 }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await server.http.post(path(thread.id, '/messages')).set(sari.auth).send(body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expectProblem(await server.http.get(path('abc')).set(sari.auth), 400);
    expectProblem(
      await server.http.post(path(thread.id, '/read')).set(sari.auth).send({ messageId: 'x' }),
      400,
    );
  });

  it('streams to the partner and the customer the messages of their threads only, never internal notes', async () => {
    const thread = await withSari({
      subject: 'Three-way',
      participants: [
        { kind: 'partner_user', id: sari.userId },
        { kind: 'contact', id: dewi.contactId },
      ],
    });
    const elsewhere = await threads.thread({
      participants: [{ kind: 'partner_user', id: budi.userId }],
    });
    const partnerStream = await sse('/api/v1/partner/stream', sari.auth);
    const portalStream = await sse('/api/v1/portal/stream', dewi.auth);
    const staffStream = await sse('/api/v1/stream', admin);
    expect([partnerStream.status, portalStream.status, staffStream.status]).toEqual([
      200, 200, 200,
    ]);

    const note = await threads.message(thread.id, { body: 'Discount ceiling 8%', internal: true });
    await threads.message(elsewhere.id, { body: 'For Budi only' });
    const hello = await threads.message(thread.id, { body: 'Welcome both of you' });
    for (const stream of [partnerStream, portalStream]) {
      const live = await stream.next(
        (e) => e.event === 'message.posted' && posted(e).messageId === hello.id,
      );
      expect(live.data).toMatchObject({
        threadId: thread.id,
        subject: 'Three-way',
        preview: 'Welcome both of you',
        author: { kind: 'user' },
      });
      // Nothing names a staff id or says whether it was internal.
      expect(live.data).not.toHaveProperty('internal');
      expect(live.data).not.toHaveProperty('author.id');
    }
    const fromSari = await server.http
      .post(path(thread.id, '/messages'))
      .set(sari.auth)
      .send({ body: 'Happy to help' });
    const customerSees = await portalStream.next(
      (e) => e.event === 'message.posted' && posted(e).messageId === fromSari.body.id,
    );
    expect(customerSees.data).toMatchObject({ author: { kind: 'partner_user', name: 'Sari' } });
    const staffSees = await staffStream.next(
      (e) => e.event === 'message.posted' && posted(e).messageId === fromSari.body.id,
    );
    expect(staffSees.data).toMatchObject({
      author: { kind: 'partner_user', id: sari.userId },
      internal: false,
    });

    // Resuming from the start replays exactly what was hers: not the note, not Budi's thread.
    const resumed = await sse('/api/v1/partner/stream', { ...sari.auth, 'last-event-id': '0' });
    const here = resumed.events.filter((e) =>
      [thread.id, elsewhere.id].includes(posted(e).threadId),
    );
    expect(here.map((e) => [e.event, posted(e).messageId])).toEqual([['message.posted', hello.id]]);
    await new Promise((r) => setTimeout(r, 300));
    const seen = [partnerStream, portalStream, resumed].flatMap((s) =>
      s.events.map((e) => posted(e).messageId),
    );
    expect(seen).not.toContain(note.id);
    expect(partnerStream.events.map((e) => posted(e).threadId)).not.toContain(elsewhere.id);
    // Her own message is not echoed to the author.
    expect(partnerStream.events.map((e) => posted(e).messageId)).not.toContain(fromSari.body.id);
  });

  it('opens each stream to its own audience only and checks the resume point', async () => {
    for (const [url, auth] of [
      ['/api/v1/partner/stream', admin],
      ['/api/v1/partner/stream', dewi.auth],
      ['/api/v1/portal/stream', sari.auth],
      ['/api/v1/portal/stream', admin],
      ['/api/v1/stream', sari.auth],
      ['/api/v1/stream', dewi.auth],
      ['/api/v1/partner/stream', {}],
    ] as const) {
      const c = await sse(url, auth);
      expect([url, c.status]).toEqual([url, 401]);
      c.close();
    }
    const badId = await server.http
      .get('/api/v1/partner/stream')
      .set({ ...sari.auth, 'last-event-id': 'abc' });
    expectProblem(badId, 400);
    expectProblem(await server.http.get('/api/v1/portal/stream?since=1').set(dewi.auth), 400);
  });

  it('tells the partner and the customer about edits and deletions of what they saw', async () => {
    const thread = await withSari({
      participants: [
        { kind: 'partner_user', id: sari.userId },
        { kind: 'contact', id: dewi.contactId },
      ],
    });
    const partnerStream = await sse('/api/v1/partner/stream', sari.auth);
    const seen = await threads.message(thread.id, { body: 'Shipping Friday' });
    const note = await threads.message(thread.id, { body: 'Maybe later', internal: true });
    const edit = await server.http
      .patch(`/api/v1/threads/${thread.id}/messages/${seen.id}`)
      .set(admin)
      .send({ body: 'Shipping Thursday' });
    expect(edit.status).toBe(200);
    await server.http.delete(`/api/v1/threads/${thread.id}/messages/${note.id}`).set(admin);
    const edited = await partnerStream.next((e) => e.event === 'message.edited');
    expect(edited.data).toMatchObject({ threadId: thread.id, messageId: seen.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(partnerStream.events.map((e) => posted(e).messageId)).not.toContain(note.id);
    const thr = (await server.http.get(`/api/v1/threads/${thread.id}`).set(admin)).body as Thread;
    expect(thr.participants).toHaveLength(3);
  });
});
