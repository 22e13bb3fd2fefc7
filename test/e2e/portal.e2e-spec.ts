import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import {
  invitationToken,
  PORTAL_PASSWORD,
  portalFactories,
  type PortalLogin,
} from '../support/portal-factories.js';
import { expectProblem } from '../support/problems.js';
import { writeServiceConfig, type Auth } from '../support/service-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

/** Who the portal's writes are recorded as (see portal-scope.ts). */
const PORTAL_ACTOR_ID = '00000000-0000-4000-8000-00000000f001';

const PORTAL = `
portal: { baseUrl: https://help.example.com, fromAddress: support@example.com, invitationTtlHours: 1 }
catalog:
  taxCategories:
    - { key: standard, label: { en: VAT 11% }, rate: "11", default: true }
`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('customer portal: access and tokens', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let portal: ReturnType<typeof portalFactories>;
  let account: { id: string };
  let dewi: PortalLogin & { contactId: string };
  let other: PortalLogin & { contactId: string };
  let otherAccount: { id: string };
  let laptop: { id: string };

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeServiceConfig('portal-auth', PORTAL),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_LOGIN_MAX_FAILURES_PER_IP: '1000',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
    portal = portalFactories(server, admin, box);
    account = await customers.account();
    otherAccount = await customers.account();
    dewi = await portal.customer(account.id);
    other = await portal.customer(otherAccount.id);
    const catalog = catalogFactories(server, admin);
    const book = await catalog.priceBook({ name: 'Standard', isStandard: true });
    laptop = await catalog.product({
      sku: `LPT-${randomUUID().slice(0, 8)}`,
      name: { en: 'Laptop 14' },
    });
    await catalog.entry(book.id, laptop.id, '10000000');
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  it('mails a single-use invitation link; accepting it sets the password and logs in', async () => {
    const email = `ayu-${randomUUID()}@example.com`;
    const contact = await customers.contact({ accountId: account.id, email, firstName: 'Ayu' });
    const res = await portal.invite(contact.id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contactId: contact.id, email, delivered: true });
    const token = await invitationToken(box, email);
    const [mail] = mailsTo(box, email);
    expect(mail.subject).toContain('customer portal');
    expect(mail.text).toContain('https://help.example.com/accept-invitation?token=');

    const short = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token, password: 'short' });
    expectProblem(short, 400);

    const accepted = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token, password: PORTAL_PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });

    const reused = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token, password: PORTAL_PASSWORD });
    expectProblem(reused, 410);
    expect(reused.body.code).toBe('portal_invitation_used');

    const login = await server.http
      .post('/api/v1/portal/auth/login')
      .send({ email: email.toUpperCase(), password: PORTAL_PASSWORD });
    expect(login.status).toBe(200);
    const me = await server.http
      .get('/api/v1/portal/me')
      .set({ authorization: `Bearer ${login.body.accessToken as string}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ contactId: contact.id, accountId: account.id, email });

    // Already using the portal: a second invitation is refused.
    const again = await portal.invite(contact.id);
    expectProblem(again, 409);
    expect(again.body.code).toBe('portal_access_exists');
  });

  it('refuses an expired, an unknown and a replaced invitation', async () => {
    const email = `late-${randomUUID()}@example.com`;
    const contact = await customers.contact({ accountId: account.id, email });
    expect((await portal.invite(contact.id)).status).toBe(201);
    const first = await invitationToken(box, email);
    expect((await portal.invite(contact.id)).status).toBe(201);
    const second = await invitationToken(box, email, 1);
    expect(second).not.toBe(first);
    const replaced = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token: first, password: PORTAL_PASSWORD });
    expectProblem(replaced, 410);

    await server.db.query(
      `UPDATE portal_invitations SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`,
    );
    const expired = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token: second, password: PORTAL_PASSWORD });
    expectProblem(expired, 410);
    expect(expired.body.code).toBe('portal_invitation_expired');

    const unknown = await server.http
      .post('/api/v1/portal/auth/accept-invitation')
      .send({ token: 'pinv_nothing-like-this', password: PORTAL_PASSWORD });
    expectProblem(unknown, 404);
  });

  it('answers bad invitation requests with clear problems', async () => {
    const noEmail = await customers.contact({ accountId: account.id });
    const without = await portal.invite(noEmail.id);
    expectProblem(without, 422);
    expect(without.body.code).toBe('portal_contact_without_email');

    const unknownField = await server.http
      .post(`/api/v1/contacts/${noEmail.id}/portal-invitation`)
      .set(admin)
      .send({ role: 'admin' });
    expectProblem(unknownField, 400);
    const wrongType = await server.http
      .post(`/api/v1/contacts/${noEmail.id}/portal-invitation`)
      .set(admin)
      .send({ locale: 7 });
    expectProblem(wrongType, 400);
    expectProblem(await portal.invite(randomUUID()), 404);

    // An analyst reads contacts but may not change them.
    const analyst = await people.user('analyst');
    const analystToken = await server.login(analyst.email, analyst.password);
    const forbidden = await portal.invite(noEmail.id, {
      authorization: `Bearer ${analystToken}`,
    });
    expectProblem(forbidden, 403);

    for (const body of [
      {},
      { token: 'x' },
      { token: 7, password: PORTAL_PASSWORD },
      { token: 'x'.repeat(201), password: PORTAL_PASSWORD },
      { token: 'x', password: PORTAL_PASSWORD, extra: true },
    ])
      expectProblem(
        await server.http.post('/api/v1/portal/auth/accept-invitation').send(body),
        400,
      );
  });

  it('keeps portal tokens and staff credentials apart', async () => {
    const staffOnPortal = await server.http.get('/api/v1/portal/me').set(admin);
    expectProblem(staffOnPortal, 401);
    const key = await server.http.post('/api/v1/api-keys').set(admin).send({ name: 'ERP' });
    const keyOnPortal = await server.http
      .get('/api/v1/portal/me')
      .set({ 'x-api-key': key.body.key as string });
    expectProblem(keyOnPortal, 401);
    const bearerKeyOnPortal = await server.http
      .get('/api/v1/portal/me')
      .set({ authorization: `Bearer ${key.body.key as string}` });
    expectProblem(bearerKeyOnPortal, 401);

    const portalOnStaff = await server.http.get('/api/v1/cases').set(dewi.auth);
    expectProblem(portalOnStaff, 401);
    expectProblem(await server.http.get('/api/v1/auth/me').set(dewi.auth), 401);
    expectProblem(await server.http.get(`/api/v1/contacts/${dewi.contactId}`).set(dewi.auth), 401);
    expectProblem(await server.http.get('/api/v1/portal/me'), 401);
  });

  it('logs in, rotates refresh tokens, revokes a reused one and logs out', async () => {
    const wrong = await server.http
      .post('/api/v1/portal/auth/login')
      .send({ email: dewi.email, password: 'not-the-password' });
    expectProblem(wrong, 401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const unknown = await server.http
      .post('/api/v1/portal/auth/login')
      .send({ email: `nobody-${randomUUID()}@example.com`, password: PORTAL_PASSWORD });
    expectProblem(unknown, 401);
    expectProblem(
      await server.http.post('/api/v1/portal/auth/login').send({ email: 'not an address' }),
      400,
    );

    const login = await server.http
      .post('/api/v1/portal/auth/login')
      .send({ email: dewi.email, password: PORTAL_PASSWORD });
    expect(login.status).toBe(200);
    const rotated = await server.http
      .post('/api/v1/portal/auth/refresh')
      .send({ refreshToken: login.body.refreshToken as string });
    expect(rotated.status).toBe(200);
    const auth = { authorization: `Bearer ${rotated.body.accessToken as string}` };
    expect((await server.http.get('/api/v1/portal/me').set(auth)).status).toBe(200);

    // The first token again: it leaked, so its session ends.
    const reuse = await server.http
      .post('/api/v1/portal/auth/refresh')
      .send({ refreshToken: login.body.refreshToken as string });
    expectProblem(reuse, 401);
    expectProblem(await server.http.get('/api/v1/portal/me').set(auth), 401);

    // A staff refresh token is not a portal one, and the other way round.
    const staff = await server.http
      .post('/api/v1/auth/login')
      .send({ email: 'admin@example.com', password: 'admin-password-123' });
    expectProblem(
      await server.http
        .post('/api/v1/portal/auth/refresh')
        .send({ refreshToken: staff.body.refreshToken as string }),
      401,
    );
    const second = await server.http
      .post('/api/v1/portal/auth/login')
      .send({ email: dewi.email, password: PORTAL_PASSWORD });
    expectProblem(
      await server.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: second.body.refreshToken as string }),
      401,
    );

    const secondAuth = { authorization: `Bearer ${second.body.accessToken as string}` };
    const out = await server.http
      .post('/api/v1/portal/auth/logout')
      .set(secondAuth)
      .send({ refreshToken: second.body.refreshToken as string });
    expect(out.status).toBe(204);
    expectProblem(await server.http.get('/api/v1/portal/me').set(secondAuth), 401);
  });

  it('throttles repeated wrong portal passwords like the staff login', async () => {
    const victim = await portal.customer(account.id);
    let last = 0;
    for (let i = 0; i < 12 && last !== 429; i++)
      last = (
        await server.http
          .post('/api/v1/portal/auth/login')
          .send({ email: victim.email, password: `wrong-${i}-password` })
      ).status;
    expect(last).toBe(429);
  });

  it('revokes access: the sessions end at once and a new invitation is needed', async () => {
    const ratna = await portal.customer(account.id);
    expect((await server.http.get('/api/v1/portal/me').set(ratna.auth)).status).toBe(200);
    const revoked = await server.http
      .delete(`/api/v1/contacts/${ratna.contactId}/portal-access`)
      .set(admin);
    expect(revoked.status).toBe(204);
    expectProblem(await server.http.get('/api/v1/portal/me').set(ratna.auth), 401);
    expectProblem(
      await server.http
        .post('/api/v1/portal/auth/login')
        .send({ email: ratna.email, password: PORTAL_PASSWORD }),
      401,
    );
    expectProblem(
      await server.http.delete(`/api/v1/contacts/${ratna.contactId}/portal-access`).set(admin),
      404,
    );
    expect((await portal.invite(ratna.contactId)).status).toBe(201);
  });

  describe('cases, orders, articles and preferences', () => {
    const open = (body: Record<string, unknown>, auth: Auth = dewi.auth) =>
      server.http.post('/api/v1/portal/cases').set(auth).send(body);
    const staffCase = async (fields: Record<string, unknown>) => {
      const res = await server.http
        .post('/api/v1/cases')
        .set(admin)
        .send({ subject: 'Staff opened', ...fields });
      expect(res.status).toBe(201);
      return res.body as { id: string; number: string; version: number };
    };

    it('opens a case on the portal channel for the caller and their account, and lists it', async () => {
      const res = await open({ subject: 'Printer does not power on', type: 'problem' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/portal/cases/${res.body.id}`);
      expect(res.body).toMatchObject({
        subject: 'Printer does not power on',
        channel: 'portal',
        contactId: dewi.contactId,
        status: 'new',
        type: 'problem',
      });
      expect(res.body).not.toHaveProperty('assigneeId');
      expect(res.body).not.toHaveProperty('slaStatus');
      const staff = await server.http.get(`/api/v1/cases/${res.body.id}`).set(admin);
      expect(staff.body).toMatchObject({ accountId: account.id, channel: 'portal' });

      // A colleague's case of the same account shows; another customer's does not.
      const colleague = await customers.contact({ accountId: account.id });
      const theirs = await staffCase({ accountId: account.id, contactId: colleague.id });
      const foreign = await staffCase({ accountId: otherAccount.id });
      const list = await server.http.get('/api/v1/portal/cases?limit=1').set(dewi.auth);
      expect(list.status).toBe(200);
      expect(list.body.meta.nextCursor).toEqual(expect.any(String));
      const all = await server.http.get('/api/v1/portal/cases?limit=500').set(dewi.auth);
      const ids = (all.body.data as { id: string }[]).map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([res.body.id, theirs.id]));
      expect(ids).not.toContain(foreign.id);
      const next = await server.http
        .get(`/api/v1/portal/cases?limit=1&cursor=${list.body.meta.nextCursor as string}`)
        .set(dewi.auth);
      expect(next.body.data[0].id).not.toBe(list.body.data[0].id);
      const open_ = await server.http
        .get('/api/v1/portal/cases?filter[status][eq]=new&sort=-createdAt')
        .set(dewi.auth);
      expect(open_.status).toBe(200);
    });

    it('records its writes as the portal, not as the inviter; the case goes to the customer’s owner', async () => {
      const owner = await people.user('sales_rep');
      const inviter = await people.userWithToken('admin');
      const email = `rina-${randomUUID()}@example.com`;
      const contact = await customers.contact({ accountId: account.id, email, ownerId: owner.id });
      expect((await portal.invite(contact.id, inviter.auth)).status).toBe(201);
      const accepted = await server.http
        .post('/api/v1/portal/auth/accept-invitation')
        .send({ token: await invitationToken(box, email), password: PORTAL_PASSWORD });
      const rina = { authorization: `Bearer ${accepted.body.accessToken as string}` };

      const opened = await open({ subject: 'Screen flickers' }, rina);
      expect(opened.status).toBe(201);
      const staff = await server.http.get(`/api/v1/cases/${opened.body.id}`).set(admin);
      expect(staff.body).toMatchObject({ ownerId: owner.id, createdById: PORTAL_ACTOR_ID });
      const history = await server.http.get(`/api/v1/cases/${opened.body.id}/history`).set(admin);
      expect(history.body.data).toEqual([
        expect.objectContaining({ action: 'create', actorId: PORTAL_ACTOR_ID }),
      ]);

      // The inviter leaving takes nothing from the customer.
      const off = await server.http
        .patch(`/api/v1/users/${inviter.user.id}`)
        .set(admin)
        .set('if-match', `"${inviter.user.version}"`)
        .send({ active: false });
      expect(off.status).toBe(200);
      expect((await open({ subject: 'Still flickering' }, rina)).status).toBe(201);
    });

    it("answers another customer's case, order and attachment as not found", async () => {
      const foreign = await staffCase({ accountId: otherAccount.id, contactId: other.contactId });
      expectProblem(
        await server.http.get(`/api/v1/portal/cases/${foreign.id}`).set(dewi.auth),
        404,
      );
      expectProblem(
        await server.http.get(`/api/v1/portal/cases/${foreign.id}/comments`).set(dewi.auth),
        404,
      );
      expectProblem(
        await server.http
          .post(`/api/v1/portal/cases/${foreign.id}/comments`)
          .set(dewi.auth)
          .send({ body: 'Let me in' }),
        404,
      );
      expectProblem(
        await server.http
          .post(`/api/v1/portal/cases/${foreign.id}/attachments`)
          .set(dewi.auth)
          .attach('file', PDF, 'x.pdf'),
        404,
      );
      expectProblem(
        await server.http.get(`/api/v1/portal/cases/${randomUUID()}`).set(dewi.auth),
        404,
      );
      expectProblem(await server.http.get('/api/v1/portal/cases/not-a-uuid').set(dewi.auth), 400);
      const mine = await server.http.get(`/api/v1/portal/cases/${foreign.id}`).set(other.auth);
      expect(mine.status).toBe(200);
      expect(mine.headers.etag).toBe(`"${foreign.version}"`);
    });

    it('refuses a case naming another contact, account or order, and bad bodies', async () => {
      const stranger = await customers.contact({ accountId: otherAccount.id });
      const contact = await open({ subject: 'x', contactId: stranger.id });
      expectProblem(contact, 422);
      expect(contact.body).toMatchObject({ code: 'portal_not_own', field: 'contactId' });
      const acct = await open({ subject: 'x', accountId: otherAccount.id });
      expectProblem(acct, 422);
      const order = await server.http
        .post('/api/v1/orders')
        .set(admin)
        .send({ accountId: otherAccount.id, lines: [{ productId: laptop.id, quantity: '1' }] });
      expect(order.status).toBe(201);
      expectProblem(await open({ subject: 'x', orderId: order.body.id as string }), 422);
      const self = await open({
        subject: 'Mine',
        contactId: dewi.contactId,
        accountId: account.id,
      });
      expect(self.status).toBe(201);

      for (const body of [
        {},
        { subject: '' },
        { subject: 7 },
        { subject: 'x'.repeat(501) },
        { subject: 'x', type: 'rant' },
        { subject: 'x', ownerId: randomUUID() },
        { subject: 'x', assigneeId: randomUUID() },
        { subject: 'x', contactId: 'nope' },
      ])
        expectProblem(await open(body), 400);
      expectProblem(await open({ subject: 'x', category: 'unknown' }), 400);
      const list = await server.http
        .get('/api/v1/portal/cases?filter[assigneeId][eq]=x')
        .set(dewi.auth);
      expectProblem(list, 400);
      expectProblem(
        await server.http.get('/api/v1/portal/cases?fields=assigneeId').set(dewi.auth),
        400,
      );
      expectProblem(
        await server.http.get('/api/v1/portal/cases?sort=slaStatus').set(dewi.auth),
        400,
      );
    });

    it('shows public comments only; a reply reopens a case waiting for the customer', async () => {
      const c = (await open({ subject: 'Invoice is wrong' })).body as { id: string };
      const comment = (body: Record<string, unknown>, auth: Auth = admin) =>
        server.http.post(`/api/v1/cases/${c.id}/comments`).set(auth).send(body);
      expect((await comment({ body: 'Customer seems upset', visibility: 'internal' })).status).toBe(
        201,
      );
      expect((await comment({ body: 'We are on it', visibility: 'public' })).status).toBe(201);
      const seen = await server.http.get(`/api/v1/portal/cases/${c.id}/comments`).set(dewi.auth);
      expect(seen.status).toBe(200);
      expect(seen.body.data).toEqual([
        expect.objectContaining({ body: 'We are on it', author: 'staff' }),
      ]);
      expect(JSON.stringify(seen.body)).not.toContain('upset');

      await server.http
        .patch(`/api/v1/cases/${c.id}`)
        .set(admin)
        .send({ status: 'open' })
        .expect(200);
      await server.http
        .patch(`/api/v1/cases/${c.id}`)
        .set(admin)
        .send({ status: 'pending_customer' })
        .expect(200);
      const reply = await server.http
        .post(`/api/v1/portal/cases/${c.id}/comments`)
        .set(dewi.auth)
        .send({ body: 'Here is the invoice number: 42' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ author: 'customer', authorContactId: dewi.contactId });
      const after = await server.http.get(`/api/v1/portal/cases/${c.id}`).set(dewi.auth);
      expect(after.body.status).toBe('open');
      const staffView = await server.http.get(`/api/v1/cases/${c.id}/comments`).set(admin);
      expect(staffView.body.data.at(-1)).toMatchObject({
        source: 'portal',
        visibility: 'public',
        authorUserId: null,
        authorContactId: dewi.contactId,
      });

      for (const body of [
        {},
        { body: '' },
        { body: 3 },
        { body: 'x'.repeat(50001) },
        { body: 'x', visibility: 'internal' },
      ])
        expectProblem(
          await server.http.post(`/api/v1/portal/cases/${c.id}/comments`).set(dewi.auth).send(body),
          400,
        );
    });

    it('uploads and downloads attachments under the case limits, never those of internal notes', async () => {
      const c = (await open({ subject: 'Broken screen' })).body as { id: string };
      const upload = (content: Buffer, name: string, auth: Auth = dewi.auth) =>
        server.http
          .post(`/api/v1/portal/cases/${c.id}/attachments`)
          .set(auth)
          .attach('file', content, name);
      const res = await upload(PDF, 'receipt.pdf');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ fileName: 'receipt.pdf', mediaType: 'application/pdf' });
      const staff = await server.http.get(`/api/v1/cases/${c.id}/attachments`).set(admin);
      expect(staff.body.data[0]).toMatchObject({
        createdById: null,
        createdByContactId: dewi.contactId,
      });

      const big = await upload(Buffer.alloc(5000, 'a'), 'big.txt');
      expectProblem(big, 413);
      const exe = await upload(Buffer.from('MZ\x90\x00rest-of-program', 'latin1'), 'notes.txt');
      expectProblem(exe, 415);
      const json = await server.http
        .post(`/api/v1/portal/cases/${c.id}/attachments`)
        .set(dewi.auth)
        .send({ file: 'x' });
      expect(json.status).toBe(415);

      // A file on an internal note stays with staff.
      const note = await server.http
        .post(`/api/v1/cases/${c.id}/comments`)
        .set(admin)
        .send({ body: 'internal', visibility: 'internal' });
      await server.db.query(
        `INSERT INTO case_attachments (id, case_id, comment_id, file_name, media_type, size_bytes, sha256)
         SELECT $1, case_id, $2, 'internal.pdf', media_type, size_bytes, sha256 FROM case_attachments WHERE id = $3`,
        [randomUUID(), note.body.id, res.body.id],
      );
      const list = await server.http.get(`/api/v1/portal/cases/${c.id}/attachments`).set(dewi.auth);
      expect((list.body.data as { fileName: string }[]).map((a) => a.fileName)).toEqual([
        'receipt.pdf',
      ]);
      const hidden = (
        await server.db.query(`SELECT id FROM case_attachments WHERE file_name = 'internal.pdf'`)
      ).rows[0] as { id: string };
      expectProblem(
        await server.http
          .get(`/api/v1/portal/cases/${c.id}/attachments/${hidden.id}/content`)
          .set(dewi.auth),
        404,
      );
      const download = await server.http
        .get(`/api/v1/portal/cases/${c.id}/attachments/${res.body.id as string}/content`)
        .set(dewi.auth)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (x: Buffer) => chunks.push(x));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);
      expectProblem(
        await server.http
          .get(`/api/v1/portal/cases/${c.id}/attachments/${res.body.id as string}/content`)
          .set(other.auth),
        404,
      );
    });

    it("tracks the account's orders: status, lines, dates, tracking events; no other account's", async () => {
      const placed = await server.http
        .post('/api/v1/orders')
        .set(admin)
        .send({
          accountId: account.id,
          lines: [{ productId: laptop.id, quantity: '2' }],
          notes: 'margin is thin',
        });
      expect(placed.status).toBe(201);
      const order = placed.body as { id: string; number: string };
      await server.http
        .patch(`/api/v1/orders/${order.id}`)
        .set(admin)
        .send({ status: 'confirmed' })
        .expect(200);
      await server.http
        .post(`/api/v1/orders/${order.id}/tracking-events`)
        .set(admin)
        .send({
          occurredAt: '2026-05-05T08:00:00+07:00',
          status: 'picked_up',
          carrier: 'JNE',
          trackingNumber: 'JNE123',
          note: 'fragile',
        })
        .expect(201);
      const foreign = await server.http
        .post('/api/v1/orders')
        .set(admin)
        .send({ accountId: otherAccount.id, lines: [{ productId: laptop.id, quantity: '1' }] });

      const list = await server.http.get('/api/v1/portal/orders').set(dewi.auth);
      expect(list.status).toBe(200);
      const ids = (list.body.data as { id: string }[]).map((o) => o.id);
      expect(ids).toContain(order.id);
      expect(ids).not.toContain(foreign.body.id);
      const one = await server.http.get(`/api/v1/portal/orders/${order.id}`).set(dewi.auth);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        number: order.number,
        status: 'confirmed',
        total: { currency: 'IDR' },
        lines: [expect.objectContaining({ sku: expect.any(String), quantity: '2' })],
        trackingEvents: [
          expect.objectContaining({ status: 'picked_up', trackingNumber: 'JNE123' }),
        ],
      });
      expect(JSON.stringify(one.body)).not.toMatch(/margin is thin|fragile/);
      expectProblem(
        await server.http.get(`/api/v1/portal/orders/${foreign.body.id as string}`).set(dewi.auth),
        404,
      );
      expectProblem(
        await server.http
          .get('/api/v1/portal/orders?filter[notes][contains]=margin')
          .set(dewi.auth),
        400,
      );
      expectProblem(await server.http.get('/api/v1/portal/orders').set(admin), 401);
    });

    it('searches published public articles only', async () => {
      const article = async (title: string, visibility: string, publish: boolean) => {
        const res = await server.http
          .post('/api/v1/knowledge-articles')
          .set(admin)
          .send({ content: { en: { title, body: `${title} body about routers` } }, visibility });
        expect(res.status).toBe(201);
        if (publish) {
          await server.http
            .patch(`/api/v1/knowledge-articles/${res.body.id as string}`)
            .set(admin)
            .send({ status: 'review' })
            .expect(200);
          await server.http
            .patch(`/api/v1/knowledge-articles/${res.body.id as string}`)
            .set(admin)
            .send({ status: 'published' })
            .expect(200);
        }
      };
      await article('Restart your router', 'public', true);
      await article('Router internals for agents', 'internal', true);
      await article('Router draft', 'public', false);
      const res = await server.http
        .get('/api/v1/portal/knowledge/articles?q=router&lang=en')
        .set(dewi.auth);
      expect(res.status).toBe(200);
      expect((res.body.data as { title: string }[]).map((a) => a.title)).toEqual([
        'Restart your router',
      ]);
      expectProblem(
        await server.http.get('/api/v1/portal/knowledge/articles?status=draft').set(dewi.auth),
        400,
      );
      expectProblem(
        await server.http.get('/api/v1/portal/knowledge/articles?q=router').set(admin),
        401,
      );
    });

    it("reads and changes the contact's own preferences, with If-Match", async () => {
      const read = await server.http.get('/api/v1/portal/preferences').set(dewi.auth);
      expect(read.status).toBe(200);
      expect(read.body.contactId).toBe(dewi.contactId);
      const etag = read.headers.etag;
      const changed = await server.http
        .patch('/api/v1/portal/preferences')
        .set({ ...dewi.auth, 'if-match': etag })
        .send({ channels: { sms: 'opted_out' } });
      expect(changed.status).toBe(200);
      expect(changed.body.channels.sms).toBe('opted_out');
      const stale = await server.http
        .patch('/api/v1/portal/preferences')
        .set({ ...dewi.auth, 'if-match': etag })
        .send({ channels: { sms: 'opted_in' } });
      expectProblem(stale, 412);
      expectProblem(
        await server.http
          .patch('/api/v1/portal/preferences')
          .set(dewi.auth)
          .send({ colour: 'red' }),
        400,
      );
      expectProblem(
        await server.http
          .patch('/api/v1/portal/preferences')
          .set(dewi.auth)
          .send({ channels: { sms: 7 } }),
        400,
      );
      const staff = await server.http
        .get(`/api/v1/contacts/${dewi.contactId}/preferences`)
        .set(admin);
      expect(staff.body.channels.sms).toBe('opted_out');
      expectProblem(await server.http.get('/api/v1/portal/preferences').set(admin), 401);
    });
  });
});
