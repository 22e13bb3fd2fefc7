import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { accessFactories, USER_PASSWORD } from '../support/access-factories.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  JWT_SECRET,
  startServer,
  type TestServer,
} from '../support/test-server.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** A problem without the per-request members, to compare two answers. */
const stable = (body: Record<string, unknown>) => {
  const { requestId: _r, ...rest } = body;
  return rest;
};

describe('auth', () => {
  let server: TestServer;
  let adminToken: string;
  let adminId: string;
  let make: ReturnType<typeof accessFactories>;

  const login = (email: string, password: string) =>
    server.http.post('/api/v1/auth/login').send({ email, password });
  const pairFor = async (email: string, password: string): Promise<TokenPair> => {
    const res = await login(email, password);
    expect(res.status).toBe(200);
    return res.body as TokenPair;
  };
  const refresh = (refreshToken: string) =>
    server.http.post('/api/v1/auth/refresh').send({ refreshToken });
  const me = (headers: Record<string, string>) => server.http.get('/api/v1/auth/me').set(headers);

  beforeAll(async () => {
    server = await startServer({
      env: {
        // Key and principal changes must be visible on the next request.
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        // Many failures on purpose here; throttling has its own server below.
        CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
        CRM_LOGIN_MAX_FAILURES_PER_IP: '100000',
      },
    });
    adminToken = await server.login();
    adminId = (await me(bearer(adminToken))).body.userId as string;
    make = accessFactories(server, adminToken);
  });

  afterAll(async () => {
    await server.stop();
  });

  describe('login', () => {
    it('answers a token pair whose access token identifies the user', async () => {
      const res = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.stringMatching(/^rt_[\w-]{40,}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const claims = jwt.verify(res.body.accessToken as string, JWT_SECRET, {
        issuer: 'relasi',
      }) as jwt.JwtPayload;
      expect(claims).toMatchObject({ sub: adminId, typ: 'access', iss: 'relasi' });
      expect(claims.exp! - claims.iat!).toBe(900);

      const who = await me(bearer(res.body.accessToken as string));
      expect(who.status).toBe(200);
      expect(who.body).toMatchObject({
        userId: adminId,
        email: ADMIN_EMAIL,
        roleId: '0192f000-0000-7000-8000-000000000001',
        roleName: 'Admin',
        teamIds: [],
        permissions: { admin: true },
      });
    });

    it('matches the email whatever its case', async () => {
      const res = await login(ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD);
      expect(res.status).toBe(200);
      expect(typeof res.body.accessToken).toBe('string');
    });

    it('answers a wrong password and an unknown user alike, after the same work', async () => {
      const user = await make.user('sales_rep');
      // Warm both paths: the first unknown-user attempt also makes the equalizing hash.
      expect((await login(user.email, 'wrong-password-warm')).status).toBe(401);
      expect((await login('nobody-warm@example.com', 'wrong-password-warm')).status).toBe(401);

      const wrongTimes: number[] = [];
      const unknownTimes: number[] = [];
      const bodies: Record<string, unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        let started = performance.now();
        const wrong = await login(user.email, `wrong-password-${i}`);
        wrongTimes.push(performance.now() - started);
        started = performance.now();
        const unknown = await login(`nobody-${i}@example.com`, `wrong-password-${i}`);
        unknownTimes.push(performance.now() - started);

        for (const res of [wrong, unknown]) {
          expect(res.status).toBe(401);
          expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
          bodies.push(stable(res.body as Record<string, unknown>));
        }
      }
      expect(bodies[0]).toEqual({
        type: 'urn:relasi:problem:invalid-credentials',
        title: 'Invalid credentials',
        status: 401,
        detail: 'The email or password is incorrect.',
        code: 'invalid_credentials',
        instance: '/api/v1/auth/login',
      });
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      const ratio = mean(wrongTimes) / mean(unknownTimes);
      expect(ratio).toBeGreaterThan(0.33);
      expect(ratio).toBeLessThan(3);
    });

    it('refuses an inactive user with the same 401 as a wrong password', async () => {
      const user = await make.user('sales_rep', { active: false });
      const res = await login(user.email, user.password);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
      expect(res.body.detail).toBe('The email or password is incorrect.');
    });

    it('validates the body', async () => {
      const res = await server.http
        .post('/api/v1/auth/login')
        .send({ email: 'not-an-email', remember: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      const fields = (res.body.errors as { field: string; code: string }[]).map(
        (e) => `${e.field}:${e.code}`,
      );
      expect(fields).toEqual(
        expect.arrayContaining(['email:isEmail', 'password:required', 'remember:unknownField']),
      );
    });
  });

  describe('access tokens', () => {
    const sign = (
      payload: Record<string, unknown>,
      secret = JWT_SECRET,
      options: jwt.SignOptions = {},
    ) => jwt.sign(payload, secret, { algorithm: 'HS256', ...options });

    it('answers 401 problem+json without credentials', async () => {
      const res = await server.http.get('/api/v1/contacts');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({
        status: 401,
        code: 'unauthorized',
        title: 'Unauthorized',
        instance: '/api/v1/contacts',
      });
    });

    it('answers 401 to a malformed token', async () => {
      const res = await me(bearer('not.a.token'));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    });

    /** The session of a fresh admin login, for tokens signed here. */
    const liveSession = async () =>
      (jwt.decode((await pairFor(ADMIN_EMAIL, ADMIN_PASSWORD)).accessToken) as jwt.JwtPayload)
        .sid as string;

    it('accepts a token signed with the server secret (control for the cases below)', async () => {
      const token = sign({ typ: 'access', sid: await liveSession() }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
        expiresIn: 60,
      });
      const res = await me(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.userId).toBe(adminId);
    });

    it('refuses a token without an expiry or without a session', async () => {
      const sid = await liveSession();
      const forever = sign({ typ: 'access', sid }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
      });
      expect(jwt.decode(forever)).not.toHaveProperty('exp');
      const sessionless = sign({ typ: 'access' }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
        expiresIn: 60,
      });
      const unknownSession = sign(
        { typ: 'access', sid: '0192f3a1-0000-7000-8000-000000000000' },
        JWT_SECRET,
        { subject: adminId, issuer: 'relasi', expiresIn: 60 },
      );
      const garbageSession = sign({ typ: 'access', sid: 'not-a-session' }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
        expiresIn: 60,
      });
      for (const token of [forever, sessionless, unknownSession, garbageSession]) {
        const res = await me(bearer(token));
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.code).toBe('unauthorized');
      }
    });

    it('refuses a token signed with another secret', async () => {
      const token = sign(
        { typ: 'access', sid: await liveSession() },
        'another-secret-another-secret-another-secret',
        {
          subject: adminId,
          issuer: 'relasi',
          expiresIn: 600,
        },
      );
      const res = await me(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    });

    /** An access token of a live session, valid from `iat` until `exp` (Unix seconds). */
    const accessToken = async (iat: number, exp: number) =>
      sign({ typ: 'access', sub: adminId, sid: await liveSession(), iss: 'relasi', iat, exp });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await accessToken(now - 3600, now - 60);
      const res = await me(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    });

    it('refuses a token from the second it expires, though it was accepted before', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await accessToken(now, now + 2);
      expect((await me(bearer(token))).status).toBe(200);
      // Wait until the clock has passed the token's `exp` second.
      await new Promise((r) => setTimeout(r, (now + 2) * 1000 - Date.now() + 50));
      const res = await me(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    });

    it('takes the Bearer scheme in any case, as HTTP says', async () => {
      const token = sign({ typ: 'access', sid: await liveSession() }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
        expiresIn: 60,
      });
      const res = await me({ authorization: `bearer ${token}` });
      expect(res.status).toBe(200);
    });

    it('refuses a token of another type, issuer or algorithm', async () => {
      const sid = await liveSession();
      const wrongType = sign({ typ: 'refresh', sid }, JWT_SECRET, {
        subject: adminId,
        issuer: 'relasi',
        expiresIn: 60,
      });
      const wrongIssuer = sign({ typ: 'access', sid }, JWT_SECRET, {
        subject: adminId,
        issuer: 'someone-else',
        expiresIn: 60,
      });
      const unsigned = jwt.sign({ typ: 'access', sid, sub: adminId, iss: 'relasi' }, '', {
        algorithm: 'none',
      });
      for (const token of [wrongType, wrongIssuer, unsigned]) {
        const res = await me(bearer(token));
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    });
  });

  describe('refresh tokens', () => {
    it('rotates: each refresh answers a new pair and the new access token works', async () => {
      const user = await make.user('analyst');
      const first = await pairFor(user.email, user.password);
      const res = await refresh(first.refreshToken);
      expect(res.status).toBe(200);
      const second = res.body as TokenPair;
      expect(second).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^rt_/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      const who = await me(bearer(second.accessToken));
      expect(who.status).toBe(200);
      expect(who.body.userId).toBe(user.id);
    });

    it('revokes the whole family when a rotated token is presented again', async () => {
      const user = await make.user('analyst');
      const first = await pairFor(user.email, user.password);
      const second = (await refresh(first.refreshToken)).body as TokenPair;
      const third = (await refresh(second.refreshToken)).body as TokenPair;
      expect(typeof third.refreshToken).toBe('string');
      // Another session of the same user must survive.
      const other = await pairFor(user.email, user.password);

      const reuse = await refresh(first.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('invalid_refresh_token');
      // The newest token of the family, never used, is dead too.
      const newest = await refresh(third.refreshToken);
      expect(newest.status).toBe(401);
      expect(newest.body.code).toBe('invalid_refresh_token');

      const { rows } = await server.db.query<{ family_id: string; live: number }>(
        `SELECT family_id, count(*) FILTER (WHERE revoked_at IS NULL)::int AS live
           FROM refresh_tokens WHERE user_id = $1 GROUP BY family_id`,
        [user.id],
      );
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r.live).sort()).toEqual([0, 1]);
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('refuses an unknown refresh token and a malformed body', async () => {
      const unknown = await refresh('rt_this-token-was-never-issued');
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('invalid_refresh_token');
      const missing = await server.http.post('/api/v1/auth/refresh').send({});
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'refreshToken' })]),
      );
    });

    it('logout revokes the refresh token', async () => {
      const user = await make.user('analyst');
      const pair = await pairFor(user.email, user.password);
      const unauthenticated = await server.http
        .post('/api/v1/auth/logout')
        .send({ refreshToken: pair.refreshToken });
      expect(unauthenticated.status).toBe(401);

      const out = await server.http
        .post('/api/v1/auth/logout')
        .set(bearer(pair.accessToken))
        .send({ refreshToken: pair.refreshToken });
      expect(out.status).toBe(204);
      const res = await refresh(pair.refreshToken);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_refresh_token');
    });

    it("logout ends the session's access tokens at once, and only that session's", async () => {
      const user = await make.user('analyst');
      const ended = await pairFor(user.email, user.password);
      const other = await pairFor(user.email, user.password);
      const rotated = (await refresh(ended.refreshToken)).body as TokenPair;
      const claims = jwt.decode(ended.accessToken) as jwt.JwtPayload;
      expect(claims.sid).toEqual(expect.any(String));
      expect((jwt.decode(rotated.accessToken) as jwt.JwtPayload).sid).toBe(claims.sid);
      expect((await me(bearer(ended.accessToken))).status).toBe(200);

      const out = await server.http
        .post('/api/v1/auth/logout')
        .set(bearer(rotated.accessToken))
        .send({ refreshToken: rotated.refreshToken });
      expect(out.status).toBe(204);
      // Both access tokens of the session, the one before the rotation and the one after.
      for (const token of [ended.accessToken, rotated.accessToken]) {
        const res = await me(bearer(token));
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
      expect((await me(bearer(other.accessToken))).status).toBe(200);
    });

    it('a reused refresh token ends the access tokens of its session too', async () => {
      const user = await make.user('analyst');
      const first = await pairFor(user.email, user.password);
      const second = (await refresh(first.refreshToken)).body as TokenPair;
      expect((await refresh(first.refreshToken)).status).toBe(401);
      expect((await me(bearer(second.accessToken))).status).toBe(401);
    });

    it("logout with someone else's refresh token leaves their session alone", async () => {
      const a = await make.user('analyst');
      const b = await make.user('analyst');
      const pairA = await pairFor(a.email, a.password);
      const pairB = await pairFor(b.email, b.password);
      const out = await server.http
        .post('/api/v1/auth/logout')
        .set(bearer(pairA.accessToken))
        .send({ refreshToken: pairB.refreshToken });
      expect(out.status).toBe(204);
      expect((await refresh(pairB.refreshToken)).status).toBe(200);
    });
  });

  describe('API keys', () => {
    it('shows the secret once, stores only its hash, and works as Bearer and X-API-Key', async () => {
      const { user, auth } = await make.userWithToken('sales_rep');
      const created = await server.http
        .post('/api/v1/api-keys')
        .set(auth)
        .send({ name: 'ERP sync' });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'ERP sync',
        prefix: expect.stringMatching(/^[A-Za-z0-9]{8}$/),
        key: expect.stringMatching(/^rls_[A-Za-z0-9]{8}_[\w-]{40,}$/),
        createdAt: expect.stringMatching(ISO),
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(key.startsWith(`rls_${created.body.prefix as string}_`)).toBe(true);

      const listed = await server.http.get('/api/v1/api-keys').set(auth);
      expect(listed.status).toBe(200);
      expect(listed.body.data).toHaveLength(1);
      expect(listed.body.data[0]).not.toHaveProperty('key');
      expect(listed.body.data[0]).toMatchObject({ id: created.body.id, name: 'ERP sync' });
      expect(JSON.stringify(listed.body)).not.toContain(key.slice(13));

      const { rows } = await server.db.query<{ secret_hash: string }>(
        'SELECT secret_hash FROM api_keys WHERE id = $1',
        [created.body.id],
      );
      expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);

      const viaBearer = await me(bearer(key));
      expect(viaBearer.status).toBe(200);
      expect(viaBearer.body.userId).toBe(user.id);
      const viaHeader = await me({ 'x-api-key': key });
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.body.userId).toBe(user.id);
      // The key carries its owner's role: a sales rep may not administer users.
      const admin = await server.http.get('/api/v1/users').set('x-api-key', key);
      expect(admin.status).toBe(403);

      let lastUsedAt: string | null = null;
      for (let i = 0; i < 40 && !lastUsedAt; i++) {
        const res = await server.http.get('/api/v1/api-keys').set(auth);
        lastUsedAt = res.body.data[0].lastUsedAt as string | null;
        if (!lastUsedAt) await new Promise((r) => setTimeout(r, 50));
      }
      expect(lastUsedAt).toMatch(ISO);
    });

    it('refuses an unknown key and a revoked key', async () => {
      const { auth } = await make.userWithToken('sales_rep');
      const created = await server.http.post('/api/v1/api-keys').set(auth).send({ name: 'Temp' });
      const key = created.body.key as string;
      expect((await me({ 'x-api-key': key })).status).toBe(200);

      const forged = `${key.slice(0, -4)}AAAA`;
      const unknown = await me({ 'x-api-key': forged });
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('unauthorized');

      const revoked = await server.http.delete(`/api/v1/api-keys/${created.body.id}`).set(auth);
      expect(revoked.status).toBe(204);
      for (const headers of [bearer(key), { 'x-api-key': key }]) {
        const res = await me(headers);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
      const listed = await server.http.get('/api/v1/api-keys').set(auth);
      expect(listed.body.data[0].revokedAt).toMatch(ISO);
    });

    it("cannot revoke another user's key; validates input", async () => {
      const owner = await make.userWithToken('sales_rep');
      const other = await make.userWithToken('sales_rep');
      const created = await server.http
        .post('/api/v1/api-keys')
        .set(owner.auth)
        .send({ name: 'Mine' });
      const foreign = await server.http
        .delete(`/api/v1/api-keys/${created.body.id}`)
        .set(other.auth);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('not_found');
      expect((await me({ 'x-api-key': created.body.key as string })).status).toBe(200);

      const badId = await server.http.delete('/api/v1/api-keys/not-a-uuid').set(owner.auth);
      expect(badId.status).toBe(400);
      expect(badId.body.code).toBe('invalid_id');
      const noName = await server.http.post('/api/v1/api-keys').set(owner.auth).send({});
      expect(noName.status).toBe(400);
      expect(noName.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'name', code: 'required' })]),
      );
      const past = await server.http
        .post('/api/v1/api-keys')
        .set(owner.auth)
        .send({ name: 'Old', expiresAt: '2020-01-01T00:00:00Z' });
      expect(past.status).toBe(400);
      expect(past.body.errors).toEqual([
        expect.objectContaining({ field: 'expiresAt', code: 'min' }),
      ]);
    });
  });

  describe('login history', () => {
    it('lists successes and failures, newest first', async () => {
      const user = await make.user('analyst');
      expect((await login(user.email, 'not-the-password')).status).toBe(401);
      const token = await server.login(user.email, user.password);
      const res = await server.http.get('/api/v1/auth/login-history').set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.data[0]).toEqual({
        id: expect.any(String),
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: null,
        success: true,
        reason: null,
        at: expect.stringMatching(ISO),
      });
      expect(res.body.data[1]).toMatchObject({ success: false, reason: 'wrong_password' });
      expect(Date.parse(res.body.data[0].at as string)).toBeGreaterThanOrEqual(
        Date.parse(res.body.data[1].at as string),
      );

      const one = await server.http.get('/api/v1/auth/login-history?limit=1').set(bearer(token));
      expect(one.body.data).toHaveLength(1);
      const bad = await server.http.get('/api/v1/auth/login-history?limit=0').set(bearer(token));
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_query');
    });
  });

  describe('change password', () => {
    it('checks the current password and the length, then ends other sessions', async () => {
      const user = await make.user('analyst');
      const pair = await pairFor(user.email, user.password);
      const auth = bearer(pair.accessToken);
      const change = (body: Record<string, unknown>) =>
        server.http.post('/api/v1/auth/change-password').set(auth).send(body);

      const wrong = await change({ currentPassword: 'not-it-at-all', newPassword: 'x'.repeat(20) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const short = await change({ currentPassword: USER_PASSWORD, newPassword: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([
        expect.objectContaining({ field: 'newPassword', code: 'minLength' }),
      ]);
      const missing = await change({ currentPassword: USER_PASSWORD });
      expect(missing.status).toBe(400);

      const ok = await change({
        currentPassword: USER_PASSWORD,
        newPassword: 'a brand new passphrase',
      });
      expect(ok.status).toBe(204);
      expect((await login(user.email, USER_PASSWORD)).status).toBe(401);
      expect((await login(user.email, 'a brand new passphrase')).status).toBe(200);
      const stale = await refresh(pair.refreshToken);
      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('invalid_refresh_token');
    });
  });

  describe('login throttling', () => {
    let throttled: TestServer;
    let tMake: ReturnType<typeof accessFactories>;
    const tLogin = (email: string, password: string) =>
      throttled.http.post('/api/v1/auth/login').send({ email, password });

    beforeAll(async () => {
      throttled = await startServer({
        env: {
          CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
          CRM_LOGIN_MAX_FAILURES_PER_IP: '6',
          CRM_LOGIN_LOCK_SECONDS: '900',
        },
      });
      tMake = accessFactories(throttled, await throttled.login());
    });

    afterAll(async () => {
      await throttled.stop();
    });

    let victim: Awaited<ReturnType<typeof tMake.user>>;
    let bystander: Awaited<ReturnType<typeof tMake.user>>;

    it('locks an account after 3 failures, even for the right password', async () => {
      victim = await tMake.user('analyst');
      bystander = await tMake.user('analyst');
      for (let i = 0; i < 3; i++) {
        const res = await tLogin(victim.email, `wrong-${i}-password`);
        expect(res.status).toBe(401);
      }
      const locked = await tLogin(victim.email, victim.password);
      expect(locked.status).toBe(429);
      expect(locked.headers['content-type']).toMatch(PROBLEM_JSON);
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(locked.body).toMatchObject({ code: 'rate_limited', status: 429, retryAfter });
      // The same email in another case is the same account.
      expect((await tLogin(victim.email.toUpperCase(), victim.password)).status).toBe(429);
      // Other accounts are not affected.
      expect((await tLogin(bystander.email, bystander.password)).status).toBe(200);
    });

    it('locks the client address after 6 failures across accounts', async () => {
      // 3 failures so far from this address; 3 more on accounts that do not exist.
      for (let i = 0; i < 3; i++) {
        const res = await tLogin(`ghost-${i}@example.com`, 'whatever-password');
        expect(res.status).toBe(401);
      }
      for (const [email, password] of [
        [bystander.email, bystander.password],
        [ADMIN_EMAIL, ADMIN_PASSWORD],
      ]) {
        const res = await tLogin(email, password);
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body.code).toBe('rate_limited');
      }
    });
  });

  describe('login throttling under concurrent attempts', () => {
    let raced: TestServer;
    const statusesOf = async (attempts: { email: string; password: string }[]) => {
      const statuses = await Promise.all(
        attempts.map(
          async (body) => (await raced.http.post('/api/v1/auth/login').send(body)).status,
        ),
      );
      return {
        evaluated: statuses.filter((s) => s === 401).length,
        refused: statuses.filter((s) => s === 429).length,
        other: statuses.filter((s) => s !== 401 && s !== 429),
      };
    };
    const failuresLogged = async (email: string | null) =>
      (
        await raced.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM login_events
            WHERE success = false AND ($1::text IS NULL OR email = $1)`,
          [email],
        )
      ).rows[0].n;

    beforeAll(async () => {
      raced = await startServer({
        env: {
          CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
          CRM_LOGIN_MAX_FAILURES_PER_IP: '20',
          CRM_LOGIN_LOCK_SECONDS: '900',
        },
      });
    });

    afterAll(async () => {
      await raced.stop();
    });

    it('ends a logged-out session at once though open sessions are cached', async () => {
      // This server keeps the default cache of principals and open sessions.
      const login = await raced.http
        .post('/api/v1/auth/login')
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      const pair = login.body as TokenPair;
      const who = () => raced.http.get('/api/v1/auth/me').set(bearer(pair.accessToken));
      expect((await who()).status).toBe(200);
      const out = await raced.http
        .post('/api/v1/auth/logout')
        .set(bearer(pair.accessToken))
        .send({ refreshToken: pair.refreshToken });
      expect(out.status).toBe(204);
      expect((await who()).status).toBe(401);
    });

    it('evaluates at most 5 of 30 concurrent wrong passwords for one account', async () => {
      const result = await statusesOf(
        Array.from({ length: 30 }, (_, i) => ({ email: ADMIN_EMAIL, password: `wrong-${i}-pw` })),
      );
      expect(result).toEqual({ evaluated: 5, refused: 25, other: [] });
      expect(await failuresLogged(ADMIN_EMAIL)).toBe(5);
    });

    it('evaluates at most 20 attempts from one address across 60 unknown emails', async () => {
      // The 5 failures above came from this address too: 15 more reach the limit of 20.
      const result = await statusesOf(
        Array.from({ length: 60 }, (_, i) => ({
          email: `ghost-${i}@example.com`,
          password: 'whatever-password',
        })),
      );
      expect(result).toEqual({ evaluated: 15, refused: 45, other: [] });
      expect(await failuresLogged(null)).toBe(20);
    });
  });
});
