import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import {
  PARTNER_PASSWORD,
  PARTNERS_YAML,
  partnerFactories,
  type PartnerLogin,
} from '../support/partner-factories.js';
import { invitationToken, portalFactories } from '../support/portal-factories.js';
import { expectProblem } from '../support/problems.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import type { Auth } from '../support/service-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('partners: organizations, users and the partner audience', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let customers: ReturnType<typeof factories>;
  let partners: ReturnType<typeof partnerFactories>;
  let manager: { user: { id: string }; auth: Auth };
  let rep: { user: { id: string }; auth: Auth };

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('partners', `version: 1\n${PARTNERS_YAML}`),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_LOGIN_MAX_FAILURES_PER_IP: '1000',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(server, token);
    customers = factories(server, token);
    partners = partnerFactories(server, admin, box);
    manager = await people.userWithToken('sales_manager');
    rep = await people.userWithToken('sales_rep');
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  describe('partner profiles', () => {
    it('a channel manager creates, reads, updates a profile with ETag, history and events', async () => {
      const account = await customers.account({ type: 'partner', name: `Mitra ${randomUUID()}` });
      const created = await server.http
        .post('/api/v1/partners')
        .set(manager.auth)
        .send({
          accountId: account.id,
          tier: 'gold',
          territories: ['ID', 'ID-JK'],
          certifications: [{ name: 'Installer', issued: '2026-01-15', expires: '2027-01-14' }],
          channelManagerId: manager.user.id,
        });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/partners/${created.body.id}`);
      expect(created.body).toMatchObject({
        accountId: account.id,
        tier: 'gold',
        status: 'active',
        territories: ['ID', 'ID-JK'],
        certifications: [{ name: 'Installer', issued: '2026-01-15', expires: '2027-01-14' }],
      });
      const id = created.body.id as string;
      const read = await server.http.get(`/api/v1/partners/${id}`).set(rep.auth);
      expect(read.status).toBe(200);
      const etag = read.headers.etag;

      const patched = await server.http
        .patch(`/api/v1/partners/${id}`)
        .set({ ...manager.auth, 'if-match': etag })
        .send({ tier: 'silver' });
      expect(patched.status).toBe(200);
      expect(patched.body.tier).toBe('silver');
      const stale = await server.http
        .patch(`/api/v1/partners/${id}`)
        .set({ ...manager.auth, 'if-match': etag })
        .send({ tier: 'gold' });
      expectProblem(stale, 412);

      const history = await server.http.get(`/api/v1/partners/${id}/history`).set(admin);
      expect(history.status).toBe(200);
      expect(JSON.stringify(history.body)).toContain('silver');
      const types = (await eventsOf(server, id)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['partner.created', 'partner.updated']));

      // A sales rep reads partners but does not manage them.
      const denied = await server.http
        .patch(`/api/v1/partners/${id}`)
        .set(rep.auth)
        .send({ tier: 'gold' });
      expectProblem(denied, 403);
    });

    it('refuses bad profiles with a clear 4xx', async () => {
      const customer = await customers.account({ type: 'customer' });
      const partnerAccount = await customers.account({ type: 'partner' });
      const cases: [string, Record<string, unknown>, number, string?][] = [
        ['missing account', { tier: 'gold' }, 400],
        ['missing tier', { accountId: partnerAccount.id }, 400],
        ['wrong type', { accountId: partnerAccount.id, tier: 7 }, 400],
        ['unknown tier', { accountId: partnerAccount.id, tier: 'platinum' }, 400],
        ['too long tier', { accountId: partnerAccount.id, tier: 'x'.repeat(51) }, 400],
        ['bad territory', { accountId: partnerAccount.id, tier: 'gold', territories: ['id'] }, 400],
        [
          'bad certification',
          { accountId: partnerAccount.id, tier: 'gold', certifications: [{ name: 'X' }] },
          400,
        ],
        ['unknown field', { accountId: partnerAccount.id, tier: 'gold', colour: 'red' }, 400],
        [
          'not a partner account',
          { accountId: customer.id, tier: 'gold' },
          422,
          'partner_account_not_partner',
        ],
        [
          'unknown channel manager',
          { accountId: partnerAccount.id, tier: 'gold', channelManagerId: randomUUID() },
          400,
        ],
      ];
      for (const [name, body, status, code] of cases) {
        const res = await server.http.post('/api/v1/partners').set(admin).send(body);
        expect({ name, status: res.status }).toEqual({ name, status });
        expectProblem(res, status);
        if (code) expect(res.body.code).toBe(code);
      }
      const first = await server.http
        .post('/api/v1/partners')
        .set(admin)
        .send({ accountId: partnerAccount.id, tier: 'gold' });
      expect(first.status).toBe(201);
      const again = await server.http
        .post('/api/v1/partners')
        .set(admin)
        .send({ accountId: partnerAccount.id, tier: 'gold' });
      expectProblem(again, 409);
      expect(again.body.code).toBe('partner_profile_exists');
    });
  });

  describe('partner users and their tokens', () => {
    it('invites by e-mail; the link sets a password once; login, refresh and logout work', async () => {
      const partner = await partners.partner();
      const email = `ayu-${randomUUID()}@mitra.example.com`;
      const invited = await partners.invite(partner.id, { email, name: 'Ayu' }, manager.auth);
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ email, status: 'invited', delivered: true });
      const token = await invitationToken(box, email);
      expect(mailsTo(box, email)[0].text).toContain(
        'https://partners.example.com/accept-invitation?token=',
      );

      const short = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token, password: 'short' });
      expectProblem(short, 400);
      const accepted = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token, password: PARTNER_PASSWORD });
      expect(accepted.status).toBe(200);
      const reused = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token, password: PARTNER_PASSWORD });
      expectProblem(reused, 410);
      expect(reused.body.code).toBe('partner_invitation_used');

      const login = await server.http
        .post('/api/v1/partner/auth/login')
        .send({ email: email.toUpperCase(), password: PARTNER_PASSWORD });
      expect(login.status).toBe(200);
      const auth = { authorization: `Bearer ${login.body.accessToken as string}` };
      const me = await server.http.get('/api/v1/partner/me').set(auth);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ partnerId: partner.id, email, name: 'Ayu' });
      expect(me.body.invitedById).toBeUndefined();

      const wrong = await server.http
        .post('/api/v1/partner/auth/login')
        .send({ email, password: 'not-the-password' });
      expectProblem(wrong, 401);

      const rotated = await server.http
        .post('/api/v1/partner/auth/refresh')
        .send({ refreshToken: login.body.refreshToken });
      expect(rotated.status).toBe(200);
      const replayed = await server.http
        .post('/api/v1/partner/auth/refresh')
        .send({ refreshToken: login.body.refreshToken });
      expectProblem(replayed, 401);
      // The replay ended the whole family: the rotated session is gone too.
      const after = await server.http
        .get('/api/v1/partner/me')
        .set({ authorization: `Bearer ${rotated.body.accessToken as string}` });
      expectProblem(after, 401);

      const users = await server.http.get(`/api/v1/partners/${partner.id}/users`).set(rep.auth);
      expect(users.status).toBe(200);
      expect(users.body.data).toEqual([expect.objectContaining({ email, status: 'active' })]);
      const taken = await partners.invite(partner.id, { email, name: 'Ayu' });
      expectProblem(taken, 409);
      expect(taken.body.code).toBe('partner_user_email_taken');
    });

    it('refuses bad invitations and expired or unknown links', async () => {
      const partner = await partners.partner();
      for (const body of [
        {},
        { email: 'not-an-address', name: 'X' },
        { email: 'x@example.com' },
        { email: 'x@example.com', name: 'x'.repeat(201) },
        { email: 'x@example.com', name: 'X', role: 'admin' },
      ]) {
        const res = await partners.invite(partner.id, body);
        expectProblem(res, 400);
      }
      expectProblem(
        await partners.invite(randomUUID(), { email: 'x@example.com', name: 'X' }),
        404,
      );
      expectProblem(
        await partners.invite(partner.id, { email: 'x@example.com', name: 'X' }, rep.auth),
        403,
      );

      const email = `late-${randomUUID()}@mitra.example.com`;
      expect((await partners.invite(partner.id, { email, name: 'Late' })).status).toBe(201);
      const token = await invitationToken(box, email);
      await server.db.query(
        `UPDATE partner_invitations SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`,
      );
      const expired = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token, password: PARTNER_PASSWORD });
      expectProblem(expired, 410);
      expect(expired.body.code).toBe('partner_invitation_expired');
      const unknown = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token: 'ninv_nothing-like-this', password: PARTNER_PASSWORD });
      expectProblem(unknown, 404);
    });

    it('suspending the partner or revoking the user stops their tokens at once', async () => {
      const partner = await partners.partner();
      const sari: PartnerLogin = await partners.user(partner.id);
      const budi: PartnerLogin = await partners.user(partner.id);
      expect((await server.http.get('/api/v1/partner/me').set(sari.auth)).status).toBe(200);

      const revoked = await server.http
        .delete(`/api/v1/partners/${partner.id}/users/${budi.userId}`)
        .set(manager.auth);
      expect(revoked.status).toBe(204);
      expectProblem(await server.http.get('/api/v1/partner/me').set(budi.auth), 401);
      expectProblem(
        await server.http
          .delete(`/api/v1/partners/${partner.id}/users/${budi.userId}`)
          .set(manager.auth),
        404,
      );

      const suspended = await server.http
        .patch(`/api/v1/partners/${partner.id}`)
        .set(manager.auth)
        .send({ status: 'suspended' });
      expect(suspended.status).toBe(200);
      expectProblem(await server.http.get('/api/v1/partner/me').set(sari.auth), 401);
      expectProblem(
        await server.http
          .post('/api/v1/partner/auth/refresh')
          .send({ refreshToken: sari.refreshToken }),
        401,
      );
      expectProblem(
        await server.http
          .post('/api/v1/partner/auth/login')
          .send({ email: sari.email, password: PARTNER_PASSWORD }),
        401,
      );
      const invite = await partners.invite(partner.id, { email: 'new@example.com', name: 'New' });
      expectProblem(invite, 422);
      expect(invite.body.code).toBe('partner_suspended');
    });

    it('partner tokens reach only partner routes; staff, API key and portal tokens are refused there', async () => {
      const partner = await partners.partner();
      const sari = await partners.user(partner.id);
      expectProblem(await server.http.get('/api/v1/accounts').set(sari.auth), 401);
      expectProblem(await server.http.get('/api/v1/deal-registrations').set(sari.auth), 401);
      expectProblem(await server.http.get('/api/v1/portal/me').set(sari.auth), 401);

      expectProblem(await server.http.get('/api/v1/partner/me').set(admin), 401);
      expectProblem(await server.http.get('/api/v1/partner/deals').set(manager.auth), 401);
      const key = await server.http
        .post('/api/v1/api-keys')
        .set(admin)
        .send({ name: `key ${randomUUID()}` });
      expect(key.status).toBe(201);
      expectProblem(
        await server.http
          .get('/api/v1/partner/me')
          .set({ authorization: `Bearer ${key.body.key as string}` }),
        401,
      );

      const portal = portalFactories(server, admin, box);
      const account = await customers.account();
      const customer = await portal.customer(account.id);
      expectProblem(await server.http.get('/api/v1/partner/me').set(customer.auth), 401);
      expect((await server.http.get('/api/v1/portal/me').set(customer.auth)).status).toBe(200);
    });
  });
});
