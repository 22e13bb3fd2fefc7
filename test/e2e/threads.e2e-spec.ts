import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
  type Message,
  type Thread,
} from '../support/messaging-factories.js';
import { expectProblem } from '../support/problems.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('messaging: threads and messages', () => {
  let server: TestServer;
  let admin: Auth;
  let adminId: string;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let threads: ReturnType<typeof threadFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeMessagingConfig('threads'), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    adminId = ((await server.http.get('/api/v1/auth/me').set(admin)).body as { userId: string })
      .userId;
    customers = factories(server, token);
    people = accessFactories(server, token);
    threads = threadFactories(server, admin);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('opens a thread on a record with staff and a contact by e-mail, and puts messages on its timeline', async () => {
    const account = await customers.account();
    const contact = await customers.contact({
      accountId: account.id,
      email: 'siti@pelanggan.co.id',
    });
    const rep = await people.userWithToken('sales_manager');
    const res = await server.http
      .post('/api/v1/threads')
      .set(admin)
      .send({
        subject: '  Renewal terms ',
        record: { type: 'accounts', id: account.id },
        participants: [
          { kind: 'user', id: rep.user.id },
          { kind: 'contact', email: 'SITI@pelanggan.co.id' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/threads/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    const thread = res.body as Thread;
    expect(thread).toMatchObject({
      subject: 'Renewal terms',
      record: { type: 'accounts', id: account.id },
      ownerId: adminId,
      unreadCount: 0,
    });
    expect(thread.participants.map((p) => [p.kind, p.participantId])).toEqual([
      ['user', adminId],
      ['user', rep.user.id],
      ['contact', contact.id],
    ]);

    const first = await threads.message(thread.id, {
      body: 'Proposal attached **soon**.',
      mentions: [rep.user.id],
    });
    expect(first).toMatchObject({
      format: 'markdown',
      body: 'Proposal attached **soon**.',
      internal: false,
      mentions: [rep.user.id],
      author: { kind: 'user', id: adminId },
      source: 'api',
    });
    const reply = await threads.message(
      thread.id,
      { body: '<p>Thanks</p>', format: 'html', parentId: first.id },
      rep.auth,
    );
    expect(reply).toMatchObject({ parentId: first.id, body: '<p>Thanks</p>' });

    const timeline = await server.http.get(`/api/v1/accounts/${account.id}/timeline`).set(admin);
    expect(timeline.status).toBe(200);
    const entries = (
      timeline.body.data as { type: string; title: string; data: { messageId: string } }[]
    ).filter((e) => e.type === 'message');
    expect(entries.map((e) => e.data.messageId).sort()).toEqual([first.id, reply.id].sort());
    expect(entries.find((e) => e.data.messageId === first.id)!.title).toContain(
      'Renewal terms: Proposal',
    );

    const list = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(admin);
    expect(list.status).toBe(200);
    expect((list.body.data as Message[]).map((m) => m.id)).toEqual([first.id, reply.id]);
  });

  it('stores bodies sanitized: no script, handlers or javascript: links', async () => {
    const thread = await threads.thread();
    const html = await threads.message(thread.id, {
      format: 'html',
      body: '<p onclick="steal()">Hi<script>alert(document.cookie)</script></p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>',
    });
    expect(html.body).toBe('<p>Hi</p><a rel="noopener noreferrer nofollow">x</a>');
    const md = await threads.message(thread.id, {
      body: '> quoted\n<script>alert(1)</script>[go](javascript:alert(1))',
    });
    expect(md.body).toBe('> quoted\n[go](#blocked:alert(1))');
    const stored = await server.db.query<{ body: string }>(
      `SELECT body FROM thread_messages WHERE thread_id = $1`,
      [thread.id],
    );
    for (const r of stored.rows) expect(r.body).not.toMatch(/script|onclick|onerror|javascript:/i);
    const empty = await server.http
      .post(`/api/v1/threads/${thread.id}/messages`)
      .set(admin)
      .send({ body: '<script>x</script>', format: 'html' });
    expectProblem(empty, 400);
    expect(empty.body.errors[0]).toMatchObject({ field: 'body' });
  });

  it('counts unread messages per participant and moves read receipts forward only', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await threads.thread({ participants: [{ kind: 'user', id: rep.user.id }] });
    const a = await threads.message(thread.id, { body: 'one' });
    const b = await threads.message(thread.id, { body: 'two' });
    await threads.message(thread.id, { body: 'three' });

    const mine = await server.http.get(`/api/v1/threads/${thread.id}`).set(rep.auth);
    expect(mine.body.unreadCount).toBe(3);
    const unread = await server.http.get('/api/v1/threads?unread=true').set(rep.auth);
    expect((unread.body.data as Thread[]).map((t) => t.id)).toContain(thread.id);
    const totals = await server.http.get('/api/v1/threads/unread-count').set(rep.auth);
    expect(totals.body).toEqual({ threads: 1, messages: 3 });

    const read = await server.http
      .post(`/api/v1/threads/${thread.id}/read`)
      .set(rep.auth)
      .send({ messageId: b.id });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ lastReadMessageId: b.id, unreadCount: 1 });
    const back = await server.http
      .post(`/api/v1/threads/${thread.id}/read`)
      .set(rep.auth)
      .send({ messageId: a.id });
    expect(back.body).toEqual({ lastReadMessageId: b.id, unreadCount: 1 });
    const all = await server.http.post(`/api/v1/threads/${thread.id}/read`).set(rep.auth).send({});
    expect(all.body.unreadCount).toBe(0);
    const none = await server.http.get('/api/v1/threads?unread=true').set(rep.auth);
    expect((none.body.data as Thread[]).map((t) => t.id)).not.toContain(thread.id);
    // The author's own messages never count as unread for them.
    expect(
      (await server.http.get(`/api/v1/threads/${thread.id}`).set(admin)).body.unreadCount,
    ).toBe(0);
    const receipts = (await server.http.get(`/api/v1/threads/${thread.id}`).set(admin))
      .body as Thread;
    expect(
      receipts.participants.find((p) => p.participantId === rep.user.id)!.lastReadMessageId,
    ).not.toBeNull();

    const badRead = await server.http
      .post(`/api/v1/threads/${thread.id}/read`)
      .set(rep.auth)
      .send({ messageId: 'not-a-uuid', extra: 1 });
    expectProblem(badRead, 400);
    const badUnread = await server.http.get('/api/v1/threads?unread=maybe').set(rep.auth);
    expectProblem(badUnread, 400);
  });

  it('edits within the window with history, then 409 after it; stale ETag 412; others 403', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await threads.thread({ participants: [{ kind: 'user', id: rep.user.id }] });
    const m = await threads.message(thread.id, { body: 'First draft' });
    const edited = await server.http
      .patch(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin)
      .set('if-match', '"1"')
      .send({ body: 'Second draft' });
    expect(edited.status).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.body).toMatchObject({ body: 'Second draft', version: 2 });
    expect(edited.body.editedAt).not.toBeNull();
    const stale = await server.http
      .patch(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin)
      .set('if-match', '"1"')
      .send({ body: 'Third' });
    expectProblem(stale, 412);
    const notMine = await server.http
      .patch(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(rep.auth)
      .send({ body: 'Hijack' });
    expectProblem(notMine, 403);
    const history = await server.http
      .get(`/api/v1/threads/${thread.id}/messages/${m.id}/edits`)
      .set(admin);
    expect(history.body.data).toMatchObject([{ change: 'edit', body: 'First draft' }]);

    await server.db.query(
      `UPDATE thread_messages SET created_at = now() - interval '11 minutes' WHERE id = $1`,
      [m.id],
    );
    const late = await server.http
      .patch(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin)
      .send({ body: 'Too late' });
    expectProblem(late, 409);
    expect(late.body.code ?? late.body.type).toMatch(/message_edit_window_closed/);
  });

  it('deletes to a tombstone that keeps an audit trace and leaves the timeline', async () => {
    const account = await customers.account();
    const thread = await threads.thread({ record: { type: 'accounts', id: account.id } });
    const m = await threads.message(thread.id, { body: 'Wrong customer, sorry' });
    const stale = await server.http
      .delete(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin)
      .set('if-match', '"7"');
    expectProblem(stale, 412);
    const del = await server.http
      .delete(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin);
    expect(del.status).toBe(204);
    const tomb = await server.http.get(`/api/v1/threads/${thread.id}/messages/${m.id}`).set(admin);
    expect(tomb.body).toMatchObject({ body: null, deletedById: adminId });
    expect(tomb.body.deletedAt).not.toBeNull();
    const history = await server.http
      .get(`/api/v1/threads/${thread.id}/messages/${m.id}/edits`)
      .set(admin);
    expect(history.body.data).toMatchObject([{ change: 'delete', body: 'Wrong customer, sorry' }]);
    const timeline = await server.http.get(`/api/v1/accounts/${account.id}/timeline`).set(admin);
    expect((timeline.body.data as { type: string }[]).filter((e) => e.type === 'message')).toEqual(
      [],
    );
    const again = await server.http
      .delete(`/api/v1/threads/${thread.id}/messages/${m.id}`)
      .set(admin);
    expectProblem(again, 409);
    const replyToDeleted = await server.http
      .post(`/api/v1/threads/${thread.id}/messages`)
      .set(admin)
      .send({ body: 'x', parentId: m.id });
    expectProblem(replyToDeleted, 409);
  });

  it('keeps threads from staff outside them: 404 to read or post, and for a record of another team', async () => {
    const teamA = await people.team();
    const teamB = await people.team();
    const repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
    const repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
    const accountA = (
      await server.http.post('/api/v1/accounts').set(repA.auth).send({ name: 'Toko A' })
    ).body as { id: string };
    const onRecord = await threads.thread(
      { record: { type: 'accounts', id: accountA.id } },
      repA.auth,
    );
    const private_ = await threads.thread({}, repA.auth);

    for (const t of [onRecord, private_]) {
      expectProblem(await server.http.get(`/api/v1/threads/${t.id}`).set(repB.auth), 404);
      expectProblem(
        await server.http
          .post(`/api/v1/threads/${t.id}/messages`)
          .set(repB.auth)
          .send({ body: 'hi' }),
        404,
      );
    }
    const list = await server.http.get('/api/v1/threads').set(repB.auth);
    expect((list.body.data as Thread[]).map((t) => t.id)).not.toContain(onRecord.id);
    const otherTeams = await server.http
      .post('/api/v1/threads')
      .set(repB.auth)
      .send({ subject: 'Snoop', record: { type: 'accounts', id: accountA.id } });
    expectProblem(otherTeams, 404);

    // A teammate reads the account, so sees the thread on it and joins by posting.
    const mate = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
    expect((await server.http.get(`/api/v1/threads/${onRecord.id}`).set(mate.auth)).status).toBe(
      200,
    );
    expectProblem(await server.http.get(`/api/v1/threads/${private_.id}`).set(mate.auth), 404);
    await threads.message(onRecord.id, { body: 'I can help' }, mate.auth);
    const joined = (await server.http.get(`/api/v1/threads/${onRecord.id}`).set(repA.auth))
      .body as Thread;
    expect(joined.participants.map((p) => p.participantId)).toContain(mate.user.id);
  });

  it('hides internal notes from what a contact participant is shown', async () => {
    const contact = await customers.contact({ email: 'budi@toko.id' });
    const thread = await threads.thread({ participants: [{ kind: 'contact', id: contact.id }] });
    await threads.message(thread.id, { body: 'Public answer' });
    const note = await threads.message(thread.id, {
      body: 'Customer is difficult',
      internal: true,
    });
    expect(note.internal).toBe(true);
    const staffView = await server.http.get(`/api/v1/threads/${thread.id}/messages`).set(admin);
    expect((staffView.body.data as Message[]).map((m) => m.body)).toEqual([
      'Public answer',
      'Customer is difficult',
    ]);
    const contactView = await server.http
      .get(`/api/v1/threads/${thread.id}/participants/${thread.participants[1].id}/view`)
      .set(admin);
    expect(contactView.status).toBe(200);
    expect((contactView.body.data as Message[]).map((m) => m.body)).toEqual(['Public answer']);
  });

  it('takes allowed attachments within the size and refuses the rest', async () => {
    const thread = await threads.thread();
    const upload = (content: Buffer, name: string) =>
      server.http
        .post(`/api/v1/threads/${thread.id}/attachments`)
        .set(admin)
        .attach('file', content, name);
    const ok = await upload(Buffer.from('delivery note'), 'note.txt');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      fileName: 'note.txt',
      mediaType: 'text/plain',
      messageId: null,
    });
    const big = await upload(Buffer.alloc(4096, 'a'), 'big.txt');
    expectProblem(big, 413);
    const exe = await upload(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), 'tool.pdf');
    expectProblem(exe, 415);
    const json = await server.http
      .post(`/api/v1/threads/${thread.id}/attachments`)
      .set(admin)
      .send({ file: 'note.txt' });
    expectProblem(json, 415);
    expect(json.body.code).toBe('multipart_required');
    const m = await threads.message(thread.id, {
      body: 'See the note',
      attachmentIds: [ok.body.id],
    });
    expect(m.attachments).toMatchObject([{ id: ok.body.id, messageId: m.id }]);
    const again = await server.http
      .post(`/api/v1/threads/${thread.id}/messages`)
      .set(admin)
      .send({ body: 'Again', attachmentIds: [ok.body.id] });
    expectProblem(again, 400);
    const file = await server.http
      .get(`/api/v1/threads/${thread.id}/attachments/${ok.body.id}/content`)
      .set(admin);
    expect(file.status).toBe(200);
    expect(file.text ?? file.body.toString()).toBe('delivery note');
  });

  it('answers bad input with 400 and missing permission with 403', async () => {
    const thread = await threads.thread();
    const cases: [string, Record<string, unknown>][] = [
      ['missing subject', {}],
      ['subject of wrong type', { subject: 42 }],
      ['subject too long', { subject: 'x'.repeat(301) }],
      ['unknown field', { subject: 'x', colour: 'red' }],
      ['bad record type', { subject: 'x', record: { type: 'leads', id: thread.id } }],
      [
        'unknown user',
        {
          subject: 'x',
          participants: [{ kind: 'user', id: '0192f000-0000-7000-8000-0000000000ff' }],
        },
      ],
      [
        'partner user by e-mail',
        { subject: 'x', participants: [{ kind: 'partner_user', email: 'sari@mitra.example.com' }] },
      ],
      [
        'unknown contact e-mail',
        { subject: 'x', participants: [{ kind: 'contact', email: 'nobody@x.id' }] },
      ],
    ];
    for (const [why, body] of cases) {
      const res = await server.http.post('/api/v1/threads').set(admin).send(body);
      expect([why, res.status]).toEqual([why, 400]);
    }
    const messages: [string, Record<string, unknown>][] = [
      ['missing body', {}],
      ['body of wrong type', { body: ['x'] }],
      ['body too long', { body: 'x'.repeat(50_001) }],
      ['unknown field', { body: 'x', html: true }],
      ['bad format', { body: 'x', format: 'rtf' }],
      ['unknown mention', { body: 'x', mentions: ['0192f000-0000-7000-8000-0000000000ff'] }],
      ['mention not a uuid', { body: 'x', mentions: ['bob'] }],
      ['unknown parent', { body: 'x', parentId: '0192f000-0000-7000-8000-0000000000ff' }],
    ];
    for (const [why, body] of messages) {
      const res = await server.http
        .post(`/api/v1/threads/${thread.id}/messages`)
        .set(admin)
        .send(body);
      expect([why, res.status]).toEqual([why, 400]);
    }
    expectProblem(await server.http.get('/api/v1/threads/not-a-uuid').set(admin), 400);
    expectProblem(
      await server.http.get('/api/v1/threads/0192f000-0000-7000-8000-0000000000ff').set(admin),
      404,
    );
    const stale = await server.http
      .patch(`/api/v1/threads/${thread.id}`)
      .set(admin)
      .set('if-match', '"9"')
      .send({ subject: 'New' });
    expectProblem(stale, 412);
    const renamed = await server.http
      .patch(`/api/v1/threads/${thread.id}`)
      .set(admin)
      .set('if-match', '"1"')
      .send({ subject: 'New' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ subject: 'New', version: 2 });
    const noRole = await people.role({ permissions: { admin: false, entities: {} } });
    const outsider = await people.userWithToken(noRole.id);
    expectProblem(await server.http.get('/api/v1/threads').set(outsider.auth), 403);
    expectProblem(
      await server.http.post('/api/v1/threads').set(outsider.auth).send({ subject: 'x' }),
      403,
    );
  });
});
