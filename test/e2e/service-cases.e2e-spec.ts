import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, eventually } from '../support/sales-factories.js';
import {
  caseFactories,
  writeServiceConfig,
  type Auth,
  type CaseRecord,
} from '../support/service-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const MINUTE = 60_000;
const shift = (iso: string | null, minutes: number) =>
  new Date(new Date(iso!).getTime() + minutes * MINUTE).toISOString();

describe('service desk: cases', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let cases: ReturnType<typeof caseFactories>;
  let account: { id: string };
  let contact: { id: string };

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeServiceConfig('cases'), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
    cases = caseFactories(server, admin);
    account = await customers.account({ customFields: { tier: 'gold' } });
    contact = await customers.contact({ accountId: account.id });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('opens a case: a yearly number, SLA due times from the matching policy, an event, history and timeline entries', async () => {
    const res = await server.http.post('/api/v1/cases').set(admin).send({
      subject: 'Invoice shows the wrong tax',
      description: 'PPN 12% instead of 11%',
      accountId: account.id,
      contactId: contact.id,
      channel: 'phone',
      type: 'problem',
      category: 'billing',
      priority: 'urgent',
      language: 'id',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/cases/${res.body.id}`);
    const c = res.body as CaseRecord;
    const year = new Date().getUTCFullYear();
    expect(c.number).toMatch(new RegExp(`^CS-${year}-\\d{6}$`));
    expect(c).toMatchObject({
      status: 'new',
      channel: 'phone',
      type: 'problem',
      category: 'billing',
      priority: 'urgent',
      slaPolicy: 'gold_urgent',
      slaStatus: 'on_track',
      slaPausedAt: null,
      firstRespondedAt: null,
    });
    // Round-the-clock calendar: business minutes are wall minutes.
    expect(c.firstResponseDueAt).toBe(shift(c.createdAt as string, 30));
    expect(c.resolutionDueAt).toBe(shift(c.createdAt as string, 120));

    const next = await cases.case();
    expect(Number(next.number.slice(-6))).toBe(Number(c.number.slice(-6)) + 1);
    // Without the tier's policy: the catch-all one.
    expect(next.slaPolicy).toBe('standard');

    const read = await server.http.get(`/api/v1/cases/${c.id}`).set(admin);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe(`"${c.version}"`);
    expect((await eventsOf(server, c.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['case.created', 'case.opened']),
    );
    for (const path of [`accounts/${account.id}`, `contacts/${contact.id}`]) {
      const timeline = await server.http
        .get(`/api/v1/${path}/timeline?filter[type][eq]=case`)
        .set(admin);
      expect(timeline.status).toBe(200);
      expect(timeline.body.data).toContainEqual(
        expect.objectContaining({
          type: 'case',
          source: { entity: 'cases', id: c.id },
          title: `Case ${c.number}: Invoice shows the wrong tax (new)`,
        }),
      );
    }
    const listed = await server.http
      .get(`/api/v1/cases?filter[accountId][eq]=${account.id}&filter[slaStatus][eq]=on_track`)
      .set(admin);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((x: CaseRecord) => x.id)).toContain(c.id);
  });

  it('moves along its lifecycle; illegal moves answer 409 with a code, stale ETags 412', async () => {
    const c = await cases.case({ accountId: account.id });
    const skip = await cases.patch(c.id, { status: 'closed' });
    expect(skip.status).toBe(409);
    expect(skip.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(skip.body).toMatchObject({
      code: 'case_status_transition',
      from: 'new',
      to: 'closed',
      allowed: ['open', 'pending_customer', 'on_hold', 'resolved'],
    });
    expect((await cases.patch(c.id, { status: 'gone' })).status).toBe(400);
    expect((await cases.patch(c.id, { status: 'open' }, { 'if-match': '"99"' })).status).toBe(412);
    for (const status of ['open', 'resolved', 'reopened', 'resolved', 'closed'])
      expect((await cases.patch(c.id, { status })).status).toBe(200);
    const closed = await cases.get(c.id);
    expect(closed).toMatchObject({ status: 'closed', slaStatus: 'met' });
    expect(closed.closedAt).toEqual(expect.any(String));
    expect((await cases.patch(c.id, { status: 'reopened' })).status).toBe(409);
    const moves = (await eventsOf(server, c.id))
      .filter((e) => e.type === 'case.status_changed')
      .map((e) => `${e.data.from as string}>${e.data.to as string}`);
    expect(moves).toEqual([
      'new>open',
      'open>resolved',
      'resolved>reopened',
      'reopened>resolved',
      'resolved>closed',
    ]);
    const history = await server.http.get(`/api/v1/cases/${c.id}/history`).set(admin);
    expect(history.status).toBe(200);
    expect(
      (history.body.data as { changes: { field: string }[] }[])
        .flatMap((h) => h.changes)
        .filter((ch) => ch.field === 'status'),
    ).toHaveLength(6);
  });

  it('stops the SLA clock while waiting for the customer and moves the due times on by the pause', async () => {
    const c = await cases.case({ accountId: account.id, priority: 'urgent' });
    const waiting = await cases.patch(c.id, { status: 'pending_customer' });
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ slaStatus: 'paused', slaPausedAt: expect.any(String) });
    // The customer took 45 minutes to answer.
    await server.db.query(
      `UPDATE cases SET sla_paused_at = sla_paused_at - interval '45 minutes' WHERE id = $1`,
      [c.id],
    );
    const back = await cases.patch(c.id, { status: 'open' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ slaStatus: 'on_track', slaPausedAt: null });
    expect(back.body.firstResponseDueAt).toBe(shift(c.firstResponseDueAt, 45));
    expect(back.body.resolutionDueAt).toBe(shift(c.resolutionDueAt, 45));
    // on_hold does not stop the clock in this configuration.
    const held = await cases.patch(c.id, { status: 'on_hold' });
    expect(held.body.slaStatus).toBe('on_track');
    // A priority change picks the policy again.
    const low = await cases.patch(c.id, { priority: 'low' });
    expect(low.body.slaPolicy).toBe('standard');
    expect(low.body.resolutionDueAt).toBe(shift(c.createdAt as string, 480 + 45));
  });

  describe('SLA check', () => {
    const runCheck = () =>
      server.db.query(
        `UPDATE job_schedules SET next_run_at = now() WHERE name = 'service.sla-check'`,
      );
    /** Moves a case's due times so they fall `minutes` from now, and lets the check look at it. */
    const dueIn = (id: string, firstResponse: number, resolution: number) =>
      server.db.query(
        `UPDATE cases SET first_response_due_at = now() + make_interval(mins => $2),
                resolution_due_at = now() + make_interval(mins => $3),
                sla_next_check_at = now() - interval '1 second'
          WHERE id = $1`,
        [id, firstResponse, resolution],
      );
    const eventTypes = async (id: string) => (await eventsOf(server, id)).map((e) => e.type);

    it('warns once before a breach: the case is at risk and filterable so', async () => {
      const c = await cases.case({ subject: 'Slow reply', accountId: account.id });
      // The standard policy warns 30 minutes ahead.
      await dueIn(c.id, 10, 400);
      await runCheck();
      const risky = await eventually(
        () => cases.get(c.id),
        (x) => x.slaStatus === 'at_risk',
      );
      expect(risky.slaStatus).toBe('at_risk');
      const events = await eventsOf(server, c.id);
      expect(events.filter((e) => e.type === 'case.sla_at_risk').map((e) => e.data)).toEqual([
        expect.objectContaining({ target: 'first_response', policy: 'standard', number: c.number }),
      ]);
      const listed = await server.http
        .get('/api/v1/cases?filter[slaStatus][eq]=at_risk')
        .set(admin);
      expect(listed.body.data.map((x: CaseRecord) => x.id)).toContain(c.id);
      // The next run looks again only at the due time.
      const { rows } = await server.db.query<{ next: Date; due: Date }>(
        `SELECT sla_next_check_at AS next, first_response_due_at AS due FROM cases WHERE id = $1`,
        [c.id],
      );
      expect(rows[0].next).toEqual(rows[0].due);
    });

    it('escalates once on a breach: breached status, a higher priority, breach and escalation events', async () => {
      const c = await cases.case({ subject: 'Nobody answers', priority: 'normal' });
      await dueIn(c.id, -1, 400);
      await runCheck();
      const breached = await eventually(
        () => cases.get(c.id),
        (x) => x.slaStatus === 'breached',
      );
      expect(breached).toMatchObject({ slaStatus: 'breached', priority: 'high' });
      const breach = (await eventsOf(server, c.id)).find((e) => e.type === 'case.sla_breached');
      expect(breach?.data).toMatchObject({
        target: 'first_response',
        policy: 'standard',
        actions: ['priority', 'notify'],
      });
      expect(await eventTypes(c.id)).toContain('case.escalated');
      const history = await server.http.get(`/api/v1/cases/${c.id}/history`).set(admin);
      expect(history.body.data[0]).toMatchObject({
        changes: [{ field: 'priority', old: 'normal', new: 'high' }],
      });
      // Another run, even one forced at the same case, adds nothing.
      await server.db.query(
        `UPDATE cases SET sla_next_check_at = now() - interval '1 second' WHERE id = $1`,
        [c.id],
      );
      await runCheck();
      await eventually(
        () => server.db.query(`SELECT sla_next_check_at FROM cases WHERE id = $1`, [c.id]),
        (r) => (r.rows[0] as { sla_next_check_at: Date }).sla_next_check_at > new Date(),
      );
      const types = await eventTypes(c.id);
      expect(types.filter((t) => t === 'case.sla_breached')).toHaveLength(1);
      expect((await cases.get(c.id)).priority).toBe('high');
    });

    it('leaves a paused clock alone and counts a late resolution as breached', async () => {
      const waiting = await cases.case({ subject: 'Waiting' });
      await cases.patch(waiting.id, { status: 'pending_customer' }).expect(200);
      await dueIn(waiting.id, -5, -5);
      await server.db.query(`UPDATE cases SET sla_next_check_at = NULL WHERE id = $1`, [
        waiting.id,
      ]);
      await runCheck();
      const late = await cases.case({ subject: 'Late' });
      await server.db.query(
        `UPDATE cases SET resolution_due_at = now() - interval '1 minute', sla_next_check_at = NULL WHERE id = $1`,
        [late.id],
      );
      const resolved = await cases.patch(late.id, { status: 'resolved' });
      expect(resolved.body.slaStatus).toBe('breached');
      expect((await cases.get(waiting.id)).slaStatus).toBe('paused');
      expect(await eventTypes(waiting.id)).not.toContain('case.sla_breached');
    });
  });

  describe('comments', () => {
    it('takes internal and public comments; the first public one by staff is the first response', async () => {
      const c = await cases.case({ accountId: account.id, priority: 'urgent' });
      const note = await server.http
        .post(`/api/v1/cases/${c.id}/comments`)
        .set(admin)
        .send({ body: 'Customer sounds upset' });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ visibility: 'internal', source: 'api', caseId: c.id });
      expect((await cases.get(c.id)).firstRespondedAt).toBeNull();
      const answer = await server.http
        .post(`/api/v1/cases/${c.id}/comments`)
        .set(admin)
        .send({ body: 'We are on it', visibility: 'public' });
      expect(answer.status).toBe(201);
      const read = await cases.get(c.id);
      expect(read.firstRespondedAt).toBe(answer.body.createdAt);
      expect(read.slaStatus).toBe('on_track');
      const list = await server.http.get(`/api/v1/cases/${c.id}/comments`).set(admin);
      expect(list.body.data.map((x: { body: string }) => x.body)).toEqual([
        'Customer sounds upset',
        'We are on it',
      ]);
      expect(
        (await eventsOf(server, c.id)).filter((e) => e.type === 'case.comment_added'),
      ).toHaveLength(2);
    });

    it.each([
      ['missing body', { body: undefined }, 'body'],
      ['empty body', { body: '' }, 'body'],
      ['body of wrong type', { body: 7 }, 'body'],
      ['body too long', { body: 'x'.repeat(50001) }, 'body'],
      ['unknown visibility', { visibility: 'secret' }, 'visibility'],
      ['unknown field', { pinned: true }, 'pinned'],
    ])('refuses a comment with %s → 400', async (_name, change, field) => {
      const c = await cases.case();
      const res = await server.http
        .post(`/api/v1/cases/${c.id}/comments`)
        .set(admin)
        .send({ body: 'Hello', ...change });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses comments on a closed case (409) and on an unknown one (404)', async () => {
      const c = await cases.case();
      for (const status of ['resolved', 'closed']) await cases.patch(c.id, { status }).expect(200);
      const res = await server.http
        .post(`/api/v1/cases/${c.id}/comments`)
        .set(admin)
        .send({ body: 'Anyone?' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('case_closed');
      expect(
        (
          await server.http
            .post(`/api/v1/cases/${randomUUID()}/comments`)
            .set(admin)
            .send({ body: 'x' })
        ).status,
      ).toBe(404);
    });
  });

  describe('attachments', () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const upload = (id: string, content: Buffer, name: string, auth: Auth = admin) =>
      server.http.post(`/api/v1/cases/${id}/attachments`).set(auth).attach('file', content, name);

    it('stores a file by its content hash, lists it and streams it back with the sniffed type', async () => {
      const c = await cases.case();
      // The name says PNG; the content says PDF.
      const res = await upload(c.id, PDF, 'scan.png');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        caseId: c.id,
        fileName: 'scan.png',
        mediaType: 'application/pdf',
        sizeBytes: PDF.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(res.headers.location).toBe(`/api/v1/cases/${c.id}/attachments/${res.body.id}`);
      const again = await upload(c.id, PDF, 'copy.pdf');
      expect(again.body.sha256).toBe(res.body.sha256);
      const list = await server.http.get(`/api/v1/cases/${c.id}/attachments`).set(admin);
      expect(list.body.data.map((a: { fileName: string }) => a.fileName)).toEqual([
        'scan.png',
        'copy.pdf',
      ]);
      const download = await server.http
        .get(`/api/v1/cases/${c.id}/attachments/${res.body.id}/content`)
        .set(admin)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (x: Buffer) => chunks.push(x));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="scan.png"; filename*=UTF-8''scan.png`,
      );
      expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);
    });

    it('downloads a file whose name no header can carry as it is, under its exact name', async () => {
      const c = await cases.case();
      const name = 'Faktur – Juli (ümit) 📄.pdf';
      const res = await upload(c.id, PDF, name);
      expect(res.status).toBe(201);
      expect(res.body.fileName).toBe(name);
      const download = await server.http
        .get(`/api/v1/cases/${c.id}/attachments/${res.body.id}/content`)
        .set(admin);
      expect(download.status).toBe(200);
      const disposition = String(download.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="Faktur _ Juli \(_mit\) __\.pdf"; /);
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1])).toBe(name);
    });

    it('refuses a file over the size limit (413), a forbidden type (415), no file and an extra field (400)', async () => {
      const c = await cases.case();
      const big = await upload(c.id, Buffer.alloc(5000, 'a'), 'big.txt');
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('case_attachment_too_large');
      const exe = await upload(
        c.id,
        Buffer.from('MZ\x90\x00rest-of-program', 'latin1'),
        'notes.txt',
      );
      expect(exe.status).toBe(415);
      expect(exe.body).toMatchObject({
        code: 'case_attachment_type_forbidden',
        mediaType: 'application/x-msdownload',
      });
      const json = await server.http
        .post(`/api/v1/cases/${c.id}/attachments`)
        .set(admin)
        .send({ file: 'x' });
      expect(json.status).toBe(415);
      const extra = await server.http
        .post(`/api/v1/cases/${c.id}/attachments`)
        .set(admin)
        .field('note', 'hi')
        .attach('file', PDF, 'a.pdf');
      expect(extra.status).toBe(400);
      const none = await server.http
        .post(`/api/v1/cases/${c.id}/attachments`)
        .set(admin)
        .field('file', 'not a file');
      expect(none.status).toBe(400);
      const list = await server.http.get(`/api/v1/cases/${c.id}/attachments`).set(admin);
      expect(list.body.data).toEqual([]);
      expect(
        (await server.http.get(`/api/v1/cases/${c.id}/attachments/${randomUUID()}`).set(admin))
          .status,
      ).toBe(404);
    });
  });

  describe('bad input', () => {
    it.each([
      ['missing subject', { subject: undefined }, 'subject'],
      ['subject of wrong type', { subject: 42 }, 'subject'],
      ['subject too long', { subject: 'x'.repeat(501) }, 'subject'],
      ['description too long', { description: 'x'.repeat(20001) }, 'description'],
      ['unknown channel', { channel: 'pigeon' }, 'channel'],
      ['unknown type', { type: 'rant' }, 'type'],
      ['unknown priority', { priority: 'asap' }, 'priority'],
      ['category not configured', { category: 'gardening' }, 'category'],
      ['account not a uuid', { accountId: 'acme' }, 'accountId'],
      ['unknown account', { accountId: randomUUID() }, 'accountId'],
      ['unknown assignee', { assigneeId: randomUUID() }, 'assigneeId'],
      ['bad language', { language: 'Bahasa Indonesia' }, 'language'],
      ['status on create', { status: 'open' }, 'status'],
      ['number is the server’s', { number: 'CS-1' }, 'number'],
      ['SLA is the server’s', { slaStatus: 'met' }, 'slaStatus'],
      ['unknown field', { mood: 'angry' }, 'mood'],
    ])('%s → 400 naming the field', async (_name, change, field) => {
      const res = await server.http
        .post('/api/v1/cases')
        .set(admin)
        .send({ subject: 'Help', ...change });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses a contact of another account', async () => {
      const other = await customers.account();
      const stranger = await customers.contact({ accountId: other.id });
      const res = await server.http
        .post('/api/v1/cases')
        .set(admin)
        .send({ subject: 'Help', accountId: account.id, contactId: stranger.id });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'contactId', code: 'contactOfAccount' }),
      ]);
      const c = await cases.case({ accountId: account.id, contactId: contact.id });
      expect((await cases.patch(c.id, { accountId: other.id })).status).toBe(400);
      expect((await cases.patch(c.id, { subject: 'x'.repeat(501) })).status).toBe(400);
      expect((await cases.patch(c.id, { subject: null })).status).toBe(400);
      expect((await cases.patch(c.id, { colour: 'red' })).status).toBe(400);
    });
  });

  describe('access', () => {
    it("hides another team's cases (404) and refuses roles without cases (403)", async () => {
      const teamA = await people.team();
      const teamB = await people.team();
      const agentA = await people.userWithToken('service_agent', { teamIds: [teamA.id] });
      const agentB = await people.userWithToken('service_agent', { teamIds: [teamB.id] });
      const marketing = await people.userWithToken('marketing');
      const c = await cases.case({ subject: 'Team A case' }, agentA.auth);
      expect(c.ownerId).toBe(agentA.user.id);
      expect((await server.http.get(`/api/v1/cases/${c.id}`).set(agentA.auth)).status).toBe(200);
      for (const req of [
        server.http.get(`/api/v1/cases/${c.id}`),
        server.http.patch(`/api/v1/cases/${c.id}`).send({ status: 'open' }),
        server.http.delete(`/api/v1/cases/${c.id}`),
        server.http.get(`/api/v1/cases/${c.id}/history`),
        server.http.get(`/api/v1/cases/${c.id}/comments`),
        server.http.post(`/api/v1/cases/${c.id}/comments`).send({ body: 'x' }),
        server.http.get(`/api/v1/cases/${c.id}/attachments`),
        server.http
          .post(`/api/v1/cases/${c.id}/attachments`)
          .attach('file', Buffer.from('hello'), 'a.txt'),
      ])
        expect((await req.set(agentB.auth)).status).toBe(404);
      const listB = await server.http.get('/api/v1/cases').set(agentB.auth);
      expect(listB.body.data.map((x: CaseRecord) => x.id)).not.toContain(c.id);
      expect((await server.http.get('/api/v1/cases').set(marketing.auth)).status).toBe(403);
      expect(
        (await server.http.post('/api/v1/cases').set(marketing.auth).send({ subject: 'x' })).status,
      ).toBe(403);
    });

    it('deletes softly and restores', async () => {
      const c = await cases.case();
      expect((await server.http.delete(`/api/v1/cases/${c.id}`).set(admin)).status).toBe(204);
      expect((await server.http.get(`/api/v1/cases/${c.id}`).set(admin)).status).toBe(404);
      const restored = await server.http.post(`/api/v1/cases/${c.id}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.body.number).toBe(c.number);
    });
  });
});
