import { accessFactories, ROLE_IDS, USER_PASSWORD } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '0192f000-0000-7000-8000-0000000000ff';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** `field:code` of each field error, to compare regardless of message and order. */
const fieldErrors = (body: { errors?: { field: string; code: string }[] }) =>
  (body.errors ?? []).map((e) => `${e.field}:${e.code}`);

describe('access administration and record scopes', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let adminId: string;
  let make: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: {
        // Role, team and activation changes must show on the very next request.
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
        CRM_LOGIN_MAX_FAILURES_PER_IP: '100000',
      },
    });
    const token = await server.login();
    admin = bearer(token);
    adminId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
    make = accessFactories(server, token);
  });

  afterAll(async () => {
    await server.stop();
  });

  const login = (email: string, password: string) =>
    server.http.post('/api/v1/auth/login').send({ email, password });

  describe('users', () => {
    const validUser = (extra: Record<string, unknown> = {}) => ({
      email: `valid-${Math.random().toString(36).slice(2)}@example.com`,
      password: USER_PASSWORD,
      lastName: 'Valid',
      roleId: ROLE_IDS.sales_rep,
      ...extra,
    });

    it('creates a user: 201 with Location and ETag, never the password', async () => {
      const team = await make.team();
      const res = await server.http
        .post('/api/v1/users')
        .set(admin)
        .send({
          email: 'Sari.Wijaya@Example.com',
          password: USER_PASSWORD,
          firstName: 'Sari',
          lastName: 'Wijaya',
          roleId: ROLE_IDS.sales_rep,
          teamIds: [team.id],
          locale: 'id',
          timeZone: 'Asia/Jakarta',
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        email: 'Sari.Wijaya@Example.com',
        firstName: 'Sari',
        lastName: 'Wijaya',
        roleId: ROLE_IDS.sales_rep,
        teamIds: [team.id],
        locale: 'id',
        timeZone: 'Asia/Jakarta',
        active: true,
        lastLoginAt: null,
        passwordChangedAt: expect.stringMatching(ISO),
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        version: 1,
      });
      const id = res.body.id as string;
      expect(res.headers.location).toBe(`/api/v1/users/${id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(JSON.stringify(res.body)).not.toMatch(/password_?hash|argon2/i);

      const got = await server.http.get(`/api/v1/users/${id}`).set(admin);
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toEqual(res.body);

      const { rows } = await server.db.query<{ password_hash: string; email_normalized: string }>(
        'SELECT password_hash, email_normalized FROM users WHERE id = $1',
        [id],
      );
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].email_normalized).toBe('sari.wijaya@example.com');

      const team2 = await server.http.get(`/api/v1/teams/${team.id}`).set(admin);
      expect(team2.body.memberIds).toEqual([id]);
      // The new user logs in, with the email in any case, and carries the team.
      const token = await server.login('SARI.WIJAYA@example.com', USER_PASSWORD);
      const me = await server.http.get('/api/v1/auth/me').set(bearer(token));
      expect(me.body).toMatchObject({ userId: id, roleName: 'Sales rep', teamIds: [team.id] });
      const after = await server.http.get(`/api/v1/users/${id}`).set(admin);
      expect(after.body.lastLoginAt).toMatch(ISO);
    });

    it('fills defaults for the optional fields', async () => {
      const res = await server.http
        .post('/api/v1/users')
        .set(admin)
        .send(validUser({ lastName: 'Suharto' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        firstName: null,
        lastName: 'Suharto',
        teamIds: [],
        locale: 'en',
        timeZone: 'UTC',
        active: true,
      });
    });

    it('refuses a duplicate email whatever its case: 409', async () => {
      const existing = await make.user('analyst');
      const res = await server.http
        .post('/api/v1/users')
        .set(admin)
        .send(validUser({ email: existing.email.toUpperCase() }));
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        code: 'unique_violation',
        field: 'email',
        existingId: existing.id,
        detail: 'A record with the same email already exists.',
      });
    });

    it('answers 400 naming the field for each bad input, and creates nothing', async () => {
      const before = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      const cases: [Record<string, unknown>, string[]][] = [
        [{}, ['email:isEmail', 'password:required', 'lastName:required', 'roleId:isUuid']],
        [validUser({ email: 'not-an-email' }), ['email:isEmail']],
        [validUser({ email: `${'x'.repeat(250)}@example.com` }), ['email:maxLength']],
        [validUser({ active: 'yes' }), ['active:isBoolean']],
        [validUser({ firstName: 42 }), ['firstName:isString']],
        [validUser({ lastName: 'x'.repeat(101) }), ['lastName:maxLength']],
        [validUser({ password: 'x'.repeat(257) }), ['password:maxLength']],
        [validUser({ teamIds: 'abc' }), ['teamIds:isArray']],
        [validUser({ teamIds: ['not-a-uuid'] }), ['teamIds:isUuid']],
        [validUser({ roleId: 'admin' }), ['roleId:isUuid']],
        [validUser({ locale: 'fr' }), ['locale:isIn']],
        [validUser({ timeZone: 'Mars/Olympus_Mons' }), ['timeZone:isTimeZone']],
        [validUser({ nickname: 'Sar' }), ['nickname:unknownField']],
        [validUser({ passwordHash: 'x' }), ['passwordHash:unknownField']],
        [validUser({ id: UNKNOWN_ID }), ['id:serverOwned']],
        [validUser({ password: 'short' }), ['password:minLength']],
        [validUser({ roleId: UNKNOWN_ID }), ['roleId:notFound']],
        [validUser({ teamIds: [UNKNOWN_ID] }), ['teamIds[0]:notFound']],
      ];
      for (const [body, expected] of cases) {
        const res = await server.http.post('/api/v1/users').set(admin).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.code).toBe('validation_failed');
        expect(fieldErrors(res.body)).toEqual(expect.arrayContaining(expected));
      }
      const malformed = await server.http
        .post('/api/v1/users')
        .set(admin)
        .set('content-type', 'application/json')
        .send('{"email": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('malformed_body');
      const after = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('answers 400 to a bad id and 404 to an unknown one', async () => {
      const bad = await server.http.get('/api/v1/users/not-a-uuid').set(admin);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_id');
      const unknown = await server.http.get(`/api/v1/users/${UNKNOWN_ID}`).set(admin);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({
        code: 'not_found',
        detail: expect.stringContaining('user'),
      });
      for (const req of [
        server.http.patch(`/api/v1/users/${UNKNOWN_ID}`).send({ firstName: 'X' }),
        server.http.delete(`/api/v1/users/${UNKNOWN_ID}`),
        server.http.get(`/api/v1/users/${UNKNOWN_ID}/login-history`),
      ]) {
        const res = await req.set(admin);
        expect(res.status).toBe(404);
      }
    });

    it('lists with filters, sort, cursor, search, count and fields', async () => {
      const tag = `Listed${Date.now()}`;
      const team = await make.team();
      const ani = await make.user('analyst', {
        firstName: 'Ani',
        lastName: tag,
        teamIds: [team.id],
      });
      const budi = await make.user('sales_rep', { firstName: 'Budi', lastName: tag });
      const citra = await make.user('sales_rep', {
        firstName: 'Citra',
        lastName: tag,
        active: false,
      });

      const page1 = await server.http
        .get(`/api/v1/users?filter[lastName][eq]=${tag}&sort=firstName&limit=2&count=exact`)
        .set(admin);
      expect(page1.status).toBe(200);
      expect(page1.body.data.map((u: { id: string }) => u.id)).toEqual([ani.id, budi.id]);
      expect(page1.body.meta).toEqual({ nextCursor: expect.any(String), limit: 2, total: 3 });
      const page2 = await server.http
        .get(
          `/api/v1/users?filter[lastName][eq]=${tag}&sort=firstName&limit=2&cursor=${page1.body.meta.nextCursor as string}`,
        )
        .set(admin);
      expect(page2.body.data.map((u: { id: string }) => u.id)).toEqual([citra.id]);
      expect(page2.body.meta.nextCursor).toBeNull();
      expect(JSON.stringify([page1.body, page2.body])).not.toMatch(/password_?hash|\$argon2/i);

      const q = (query: string) => server.http.get(`/api/v1/users?${query}`).set(admin);
      const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((u) => u.id);
      expect(
        ids(await q(`filter[email][eq]=${encodeURIComponent(budi.email.toUpperCase())}`)),
      ).toEqual([budi.id]);
      expect(
        ids(await q(`filter[lastName][eq]=${tag}&filter[roleId][eq]=${ROLE_IDS.analyst}`)),
      ).toEqual([ani.id]);
      expect(ids(await q(`filter[lastName][eq]=${tag}&filter[active][eq]=false`))).toEqual([
        citra.id,
      ]);
      expect(ids(await q(`filter[teamIds][contains]=${team.id}`))).toEqual([ani.id]);
      expect(ids(await q(`filter[lastName][eq]=${tag}&sort=-firstName`))).toEqual([
        citra.id,
        budi.id,
        ani.id,
      ]);
      expect(ids(await q(`q=${tag.toLowerCase()}&sort=firstName`))).toEqual([
        ani.id,
        budi.id,
        citra.id,
      ]);
      const recent = await q(
        `filter[lastName][eq]=${tag}&filter[createdAt][gte]=${encodeURIComponent(ani.createdAt as string)}&sort=createdAt`,
      );
      expect(ids(recent)).toEqual([ani.id, budi.id, citra.id]);
      const projected = await q(`filter[id][eq]=${ani.id}&fields=email,active`);
      expect(projected.body.data).toEqual([{ id: ani.id, email: ani.email, active: true }]);

      for (const [query, field] of [
        ['filter[passwordHash][eq]=x', 'filter[passwordHash][eq]'],
        ['filter[active][eq]=maybe', 'filter[active][eq]'],
        ['sort=passwordHash', 'sort'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['include=role', 'include'],
        ['fields=passwordHash', 'fields'],
        ['cursor=garbage', 'cursor'],
        ['colour=blue', 'colour'],
      ]) {
        const res = await q(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.code).toBe('invalid_query');
        expect(res.body.errors[0].field).toBe(field);
      }
    });

    it('updates partially, with If-Match: 412 when stale', async () => {
      const user = await make.user('analyst', { firstName: 'Dewi', lastName: 'Lestari' });
      const url = `/api/v1/users/${user.id}`;
      const res = await server.http.patch(url).set(admin).set('if-match', '"1"').send({
        firstName: 'Dewi Ayu',
        locale: 'id',
      });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({
        firstName: 'Dewi Ayu',
        lastName: 'Lestari',
        locale: 'id',
        version: 2,
      });

      const stale = await server.http
        .patch(url)
        .set(admin)
        .set('if-match', '"1"')
        .send({ lastName: 'Overwritten' });
      expect(stale.status).toBe(412);
      expect(stale.headers.etag).toBe('"2"');
      expect(stale.body).toMatchObject({ code: 'precondition_failed', currentVersion: 2 });
      expect((await server.http.get(url).set(admin)).body.lastName).toBe('Lestari');

      // Without If-Match the write goes ahead; an empty or same-value patch changes nothing.
      const blind = await server.http.patch(url).set(admin).send({ timeZone: 'Asia/Makassar' });
      expect(blind.status).toBe(200);
      expect(blind.body.version).toBe(3);
      const same = await server.http.patch(url).set(admin).send({ timeZone: 'Asia/Makassar' });
      expect(same.body.version).toBe(3);
      const empty = await server.http.patch(url).set(admin).send({});
      expect(empty.status).toBe(200);
      expect(empty.body.version).toBe(3);

      const cleared = await server.http.patch(url).set(admin).send({ firstName: null });
      expect(cleared.body.firstName).toBeNull();

      const other = await make.user('analyst');
      for (const [body, expected, status] of [
        [{ lastName: null }, 'lastName:required', 400],
        [{ email: null }, 'email:isEmail', 400],
        [{ active: 'no' }, 'active:isBoolean', 400],
        [{ roleId: UNKNOWN_ID }, 'roleId:notFound', 400],
        [{ teamIds: [UNKNOWN_ID] }, 'teamIds[0]:notFound', 400],
        [{ version: 9 }, 'version:serverOwned', 400],
        [{ shoeSize: 42 }, 'shoeSize:unknownField', 400],
      ] as [Record<string, unknown>, string, number][]) {
        const bad = await server.http.patch(url).set(admin).send(body);
        expect({ body, status: bad.status }).toEqual({ body, status });
        expect(fieldErrors(bad.body)).toContain(expected);
      }
      const dup = await server.http
        .patch(url)
        .set(admin)
        .send({ email: other.email.toUpperCase() });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ code: 'unique_violation', field: 'email' });
      // Changing only the case of one's own email is not a duplicate.
      const recased = await server.http
        .patch(url)
        .set(admin)
        .send({ email: user.email.toUpperCase() });
      expect(recased.status).toBe(200);
      expect(recased.body.email).toBe(user.email.toUpperCase());
    });

    it('replaces team memberships with teamIds', async () => {
      const [t1, t2, t3] = [await make.team(), await make.team(), await make.team()];
      const user = await make.user('sales_rep', { teamIds: [t1.id, t2.id] });
      expect([...user.teamIds].sort()).toEqual([t1.id, t2.id].sort());
      const url = `/api/v1/users/${user.id}`;

      const res = await server.http
        .patch(url)
        .set(admin)
        .send({ teamIds: [t3.id, t2.id] });
      expect(res.status).toBe(200);
      expect([...(res.body.teamIds as string[])].sort()).toEqual([t2.id, t3.id].sort());
      const members = async (teamId: string) =>
        (await server.http.get(`/api/v1/teams/${teamId}`).set(admin)).body.memberIds as string[];
      expect(await members(t1.id)).not.toContain(user.id);
      expect(await members(t2.id)).toContain(user.id);
      expect(await members(t3.id)).toContain(user.id);

      const bad = await server.http
        .patch(url)
        .set(admin)
        .send({ teamIds: [t1.id, UNKNOWN_ID] });
      expect(bad.status).toBe(400);
      expect(fieldErrors(bad.body)).toEqual(['teamIds[1]:notFound']);
      expect(await members(t1.id)).not.toContain(user.id);

      const none = await server.http.patch(url).set(admin).send({ teamIds: [] });
      expect(none.body.teamIds).toEqual([]);
      expect(await members(t2.id)).not.toContain(user.id);
    });

    it("a new password works at once and ends the user's sessions", async () => {
      const user = await make.user('analyst');
      const pair = (await login(user.email, user.password)).body as { refreshToken: string };
      const res = await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ password: 'a different passphrase' });
      expect(res.status).toBe(200);
      expect(Date.parse(res.body.passwordChangedAt as string)).toBeGreaterThan(
        Date.parse(user.passwordChangedAt as string),
      );
      expect((await login(user.email, user.password)).status).toBe(401);
      expect((await login(user.email, 'a different passphrase')).status).toBe(200);
      const refresh = await server.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: pair.refreshToken });
      expect(refresh.status).toBe(401);

      const short = await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ password: 'tiny' });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([
        expect.objectContaining({
          field: 'password',
          code: 'minLength',
          message: 'must be at least 12 characters',
        }),
      ]);

      const history = await server.http.get(`/api/v1/users/${user.id}/history`).set(admin);
      expect(history.status).toBe(200);
      expect(history.body.data[0]).toMatchObject({
        action: 'update',
        actorId: adminId,
        changes: [{ field: 'password', old: null, new: null }],
      });
      expect(JSON.stringify(history.body)).not.toMatch(/passphrase|argon2/);
    });

    it("deactivating refuses the user's tokens and ends their sessions at once", async () => {
      const user = await make.user('sales_rep');
      const pair = (await login(user.email, user.password)).body as {
        accessToken: string;
        refreshToken: string;
      };
      const me = () => server.http.get('/api/v1/auth/me').set(bearer(pair.accessToken));
      expect((await me()).status).toBe(200);

      const off = await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const refused = await me();
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('unauthorized');
      const contacts = await server.http.get('/api/v1/contacts').set(bearer(pair.accessToken));
      expect(contacts.status).toBe(401);
      const refresh = await server.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: pair.refreshToken });
      expect(refresh.status).toBe(401);
      expect((await login(user.email, user.password)).status).toBe(401);

      await server.http.patch(`/api/v1/users/${user.id}`).set(admin).send({ active: true });
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it('an admin cannot deactivate, delete or demote themself', async () => {
      const url = `/api/v1/users/${adminId}`;
      for (const req of [
        server.http.patch(url).send({ active: false }),
        server.http.patch(url).send({ roleId: ROLE_IDS.analyst }),
        server.http.delete(url),
      ]) {
        const res = await req.set(admin);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('self_lockout');
        expect(res.body.detail).toMatch(/^You cannot .+ your own administration access\.$/);
      }
      const localized = await server.http.delete(url).set(admin).set('accept-language', 'id');
      expect(localized.status).toBe(409);
      expect(localized.headers['content-language']).toBe('id');
      expect(localized.body).toMatchObject({ code: 'self_lockout', title: 'Akan mengunci Anda' });
      const self = await server.http.get(url).set(admin);
      expect(self.body).toMatchObject({ active: true, roleId: ROLE_IDS.admin });
      // Harmless changes to oneself are fine.
      const renamed = await server.http.patch(url).set(admin).send({ firstName: 'Head' });
      expect(renamed.status).toBe(200);
    });

    it('deletes softly: deactivates, revokes sessions and keys, frees the email', async () => {
      const user = await make.user('sales_rep');
      const pair = (await login(user.email, user.password)).body as {
        accessToken: string;
        refreshToken: string;
      };
      const key = await server.http
        .post('/api/v1/api-keys')
        .set(bearer(pair.accessToken))
        .send({ name: 'Integration' });
      expect(key.status).toBe(201);
      const url = `/api/v1/users/${user.id}`;

      const stale = await server.http.delete(url).set(admin).set('if-match', '"7"');
      expect(stale.status).toBe(412);
      const res = await server.http.delete(url).set(admin).set('if-match', '"1"');
      expect(res.status).toBe(204);

      expect((await server.http.get(url).set(admin)).status).toBe(404);
      expect((await server.http.delete(url).set(admin)).status).toBe(404);
      const listed = await server.http
        .get(`/api/v1/users?filter[email][eq]=${encodeURIComponent(user.email)}`)
        .set(admin);
      expect(listed.body.data).toEqual([]);
      expect((await login(user.email, user.password)).status).toBe(401);
      expect(
        (await server.http.post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }))
          .status,
      ).toBe(401);
      expect((await server.http.get('/api/v1/auth/me').set(bearer(pair.accessToken))).status).toBe(
        401,
      );
      expect(
        (await server.http.get('/api/v1/auth/me').set('x-api-key', key.body.key as string)).status,
      ).toBe(401);
      const { rows } = await server.db.query<{ active: boolean; deleted: boolean; keys: number }>(
        `SELECT active, deleted_at IS NOT NULL AS deleted,
                (SELECT count(*)::int FROM api_keys WHERE user_id = users.id AND revoked_at IS NULL) AS keys
           FROM users WHERE id = $1`,
        [user.id],
      );
      expect(rows[0]).toEqual({ active: false, deleted: true, keys: 0 });

      // The email is free again; the deleted user cannot come back while it is taken.
      const again = await server.http.post('/api/v1/users').set(admin).send({
        email: user.email,
        password: USER_PASSWORD,
        lastName: 'Again',
        roleId: ROLE_IDS.analyst,
      });
      expect(again.status).toBe(201);
      const blocked = await server.http.post(`${url}/restore`).set(admin);
      expect(blocked.status).toBe(409);
      expect(blocked.body).toMatchObject({ code: 'unique_violation', field: 'email' });
    });

    it('restores a deleted user, inactive until an admin activates them', async () => {
      const user = await make.user('analyst');
      const url = `/api/v1/users/${user.id}`;
      expect((await server.http.delete(url).set(admin)).status).toBe(204);
      const restored = await server.http.post(`${url}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.headers.etag).toBe(`"${restored.body.version as number}"`);
      expect(restored.body).toMatchObject({ id: user.id, active: false });
      expect((await login(user.email, user.password)).status).toBe(401);
      await server.http.patch(url).set(admin).send({ active: true });
      expect((await login(user.email, user.password)).status).toBe(200);
      expect((await server.http.post(`${url}/restore`).set(admin)).status).toBe(404);
    });

    it("shows a user's login history to admins", async () => {
      const user = await make.user('analyst');
      expect((await login(user.email, 'wrong-password-1')).status).toBe(401);
      expect((await login(user.email, user.password)).status).toBe(200);
      const res = await server.http.get(`/api/v1/users/${user.id}/login-history`).set(admin);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        expect.objectContaining({ success: true, reason: null, at: expect.stringMatching(ISO) }),
        expect.objectContaining({ success: false, reason: 'wrong_password' }),
      ]);
      const one = await server.http
        .get(`/api/v1/users/${user.id}/login-history?limit=1`)
        .set(admin);
      expect(one.body.data).toHaveLength(1);
      const bad = await server.http
        .get(`/api/v1/users/${user.id}/login-history?limit=abc`)
        .set(admin);
      expect(bad.status).toBe(400);
    });

    it('keeps the history of a user', async () => {
      const team = await make.team();
      const user = await make.user('analyst', { firstName: 'Eka' });
      await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ firstName: 'Eko', roleId: ROLE_IDS.marketing, teamIds: [team.id] });
      const res = await server.http.get(`/api/v1/users/${user.id}/history`).set(admin);
      expect(res.status).toBe(200);
      expect(res.body.data.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
      expect(res.body.data[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'firstName', old: 'Eka', new: 'Eko' },
          { field: 'roleId', old: ROLE_IDS.analyst, new: ROLE_IDS.marketing },
          { field: 'teamIds', old: [], new: [team.id] },
        ]),
      );
      expect(res.body.meta).toEqual({ nextCursor: null, limit: 50 });
    });
  });

  describe('non-admins', () => {
    it('answer 403 on every administration endpoint and change nothing', async () => {
      const { auth } = await make.userWithToken('sales_manager');
      const victim = await make.user('analyst');
      const team = await make.team();
      const role = await make.role();
      const requests: [string, ReturnType<typeof server.http.get>][] = [
        ['list users', server.http.get('/api/v1/users')],
        [
          'create user',
          server.http.post('/api/v1/users').send({
            email: 'new@example.com',
            password: USER_PASSWORD,
            lastName: 'N',
            roleId: ROLE_IDS.admin,
          }),
        ],
        ['get user', server.http.get(`/api/v1/users/${victim.id}`)],
        [
          'update user',
          server.http.patch(`/api/v1/users/${victim.id}`).send({ roleId: ROLE_IDS.admin }),
        ],
        ['delete user', server.http.delete(`/api/v1/users/${victim.id}`)],
        ['restore user', server.http.post(`/api/v1/users/${victim.id}/restore`)],
        ['login history', server.http.get(`/api/v1/users/${victim.id}/login-history`)],
        ['user history', server.http.get(`/api/v1/users/${victim.id}/history`)],
        ['list teams', server.http.get('/api/v1/teams')],
        ['create team', server.http.post('/api/v1/teams').send({ name: 'Shadow team' })],
        ['get team', server.http.get(`/api/v1/teams/${team.id}`)],
        ['update team', server.http.patch(`/api/v1/teams/${team.id}`).send({ name: 'Renamed' })],
        ['delete team', server.http.delete(`/api/v1/teams/${team.id}`)],
        [
          'add member',
          server.http.post(`/api/v1/teams/${team.id}/members`).send({ userId: victim.id }),
        ],
        ['remove member', server.http.delete(`/api/v1/teams/${team.id}/members/${victim.id}`)],
        ['list roles', server.http.get('/api/v1/roles')],
        [
          'create role',
          server.http.post('/api/v1/roles').send({ name: 'Rogue', permissions: { admin: true } }),
        ],
        ['get role', server.http.get(`/api/v1/roles/${role.id}`)],
        [
          'update role',
          server.http
            .patch(`/api/v1/roles/${ROLE_IDS.sales_manager}`)
            .send({ permissions: { admin: true } }),
        ],
        ['delete role', server.http.delete(`/api/v1/roles/${role.id}`)],
      ];
      for (const [label, req] of requests) {
        const res = await req.set(auth);
        expect({ label, status: res.status }).toEqual({ label, status: 403 });
        expect(res.body.code).toBe('forbidden');
      }
      const stillThere = await server.http.get(`/api/v1/users/${victim.id}`).set(admin);
      expect(stillThere.body).toMatchObject({
        roleId: ROLE_IDS.analyst,
        active: true,
        teamIds: [],
      });
      const manager = await server.http.get(`/api/v1/roles/${ROLE_IDS.sales_manager}`).set(admin);
      expect(manager.body.permissions.admin).toBe(false);
      expect(
        (await server.http.get('/api/v1/teams?filter[name][eq]=Shadow team').set(admin)).body.data,
      ).toEqual([]);
    });

    it('answer 401 without credentials', async () => {
      for (const path of ['/api/v1/users', '/api/v1/teams', '/api/v1/roles']) {
        const res = await server.http.get(path);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    });
  });

  describe('teams', () => {
    it('creates, reads, renames, lists and deletes a team', async () => {
      const name = `Jakarta enterprise ${Date.now()}`;
      const res = await server.http
        .post('/api/v1/teams')
        .set(admin)
        .send({ name, description: 'Key accounts' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        name,
        description: 'Key accounts',
        memberIds: [],
        defaultOwnerId: null,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        version: 1,
      });
      const url = `/api/v1/teams/${res.body.id as string}`;
      expect(res.headers.location).toBe(url);
      expect(res.headers.etag).toBe('"1"');

      for (const clash of [name.toUpperCase(), `  ${name}  `]) {
        const dup = await server.http.post('/api/v1/teams').set(admin).send({ name: clash });
        expect(dup.status).toBe(409);
        expect(dup.body).toMatchObject({
          code: 'unique_violation',
          field: 'name',
          existingId: res.body.id,
        });
      }

      const got = await server.http.get(url).set(admin);
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      const stale = await server.http
        .patch(url)
        .set(admin)
        .set('if-match', '"0"')
        .send({ name: `${name} II` });
      expect(stale.status).toBe(412);
      const renamed = await server.http
        .patch(url)
        .set(admin)
        .set('if-match', '"1"')
        .send({ name: `${name} II`, description: null });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.etag).toBe('"2"');
      expect(renamed.body).toMatchObject({ name: `${name} II`, description: null, version: 2 });

      const listed = await server.http
        .get(`/api/v1/teams?filter[name][startsWith]=${encodeURIComponent(name)}&count=exact`)
        .set(admin);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([res.body.id]);
      expect(listed.body.meta).toMatchObject({ total: 1, nextCursor: null });

      expect((await server.http.delete(url).set(admin).set('if-match', '"1"')).status).toBe(412);
      expect((await server.http.delete(url).set(admin)).status).toBe(204);
      expect((await server.http.get(url).set(admin)).status).toBe(404);
      // The name is free again; the deleted team cannot be restored while it is taken.
      const reuse = await server.http
        .post('/api/v1/teams')
        .set(admin)
        .send({ name: `${name} II` });
      expect(reuse.status).toBe(201);
      const restore = await server.http.post(`${url}/restore`).set(admin);
      expect(restore.status).toBe(409);
      await server.http.delete(`/api/v1/teams/${reuse.body.id as string}`).set(admin);
      const restored = await server.http.post(`${url}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.body.name).toBe(`${name} II`);
    });

    it('validates team input', async () => {
      const cases: [unknown, string[]][] = [
        [{}, ['name:required']],
        [{ name: 42 }, ['name:isString']],
        [{ name: 'x'.repeat(101) }, ['name:maxLength']],
        [{ name: 'Ok', description: 'x'.repeat(1001) }, ['description:maxLength']],
        [{ name: 'Ok', region: 'Java' }, ['region:unknownField']],
        [{ name: '   ' }, ['name:required']],
      ];
      for (const [body, expected] of cases) {
        const res = await server.http
          .post('/api/v1/teams')
          .set(admin)
          .send(body as object);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(fieldErrors(res.body)).toEqual(expect.arrayContaining(expected));
      }
      const bad = await server.http.get('/api/v1/teams/123').set(admin);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_id');
    });

    it('refuses a member who is in 100 teams already', async () => {
      const user = await make.user('sales_rep');
      await server.db.query(
        `WITH t AS (INSERT INTO teams (id, name) SELECT gen_random_uuid(), 'Full ' || i || ' ' || $1::text
                      FROM generate_series(1, 100) i RETURNING id)
         INSERT INTO team_members (team_id, user_id) SELECT t.id, $1::uuid FROM t`,
        [user.id],
      );
      const team = await make.team();
      const res = await server.http
        .post(`/api/v1/teams/${team.id}/members`)
        .set(admin)
        .send({ userId: user.id });
      expect(res.status).toBe(400);
      expect(fieldErrors(res.body)).toEqual(['userId:max']);
      await server.db.query(`DELETE FROM teams WHERE name LIKE 'Full % ' || $1`, [user.id]);
    });

    it('adds and removes members', async () => {
      const team = await make.team();
      const user = await make.user('sales_rep');
      const url = `/api/v1/teams/${team.id}/members`;

      const added = await server.http.post(url).set(admin).send({ userId: user.id });
      expect(added.status).toBe(200);
      expect(added.body.memberIds).toEqual([user.id]);
      expect(added.headers.etag).toBe(`"${added.body.version as number}"`);
      expect(added.body.version).toBe(2);
      const again = await server.http.post(url).set(admin).send({ userId: user.id });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ memberIds: [user.id], version: 2 });
      const u = await server.http.get(`/api/v1/users/${user.id}`).set(admin);
      expect(u.body.teamIds).toEqual([team.id]);

      const unknownUser = await server.http.post(url).set(admin).send({ userId: UNKNOWN_ID });
      expect(unknownUser.status).toBe(400);
      expect(fieldErrors(unknownUser.body)).toEqual(['userId:notFound']);
      const badUser = await server.http.post(url).set(admin).send({ userId: 'someone' });
      expect(badUser.status).toBe(400);
      expect(fieldErrors(badUser.body)).toContain('userId:isUuid');
      const unknownTeam = await server.http
        .post(`/api/v1/teams/${UNKNOWN_ID}/members`)
        .set(admin)
        .send({ userId: user.id });
      expect(unknownTeam.status).toBe(404);

      expect((await server.http.delete(`${url}/${user.id}`).set(admin)).status).toBe(204);
      const gone = await server.http.delete(`${url}/${user.id}`).set(admin);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('not_found');
      expect((await server.http.get(`/api/v1/teams/${team.id}`).set(admin)).body.memberIds).toEqual(
        [],
      );

      const history = await server.http.get(`/api/v1/teams/${team.id}/history`).set(admin);
      expect(history.body.data.map((e: { changes: unknown[] }) => e.changes[0])).toEqual(
        expect.arrayContaining([
          { field: 'memberIds', old: null, new: user.id },
          { field: 'memberIds', old: user.id, new: null },
        ]),
      );
    });
  });

  describe('roles', () => {
    it('creates a custom role whose users get exactly its rights', async () => {
      const res = await server.http
        .post('/api/v1/roles')
        .set(admin)
        .send({
          name: 'Call centre',
          description: 'Keeps their own contacts',
          permissions: {
            entities: { contacts: { create: 'own', read: 'own' } },
            fields: { contacts: { lifecycleStage: 'read-only' } },
          },
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        key: null,
        name: 'Call centre',
        description: 'Keeps their own contacts',
        builtIn: false,
        permissions: {
          admin: false,
          entities: {
            contacts: {
              create: 'own',
              read: 'own',
              update: 'none',
              delete: 'none',
              reassign: false,
            },
          },
          fields: { contacts: { lifecycleStage: 'read-only' } },
        },
        userCount: 0,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        version: 1,
      });
      expect(res.headers.location).toBe(`/api/v1/roles/${res.body.id as string}`);
      expect(res.headers.etag).toBe('"1"');

      const adminContact = await factories(server, admin.authorization.slice(7)).contact();
      const { user, auth } = await make.userWithToken(res.body.id as string);
      const own = await server.http.post('/api/v1/contacts').set(auth).send({ lastName: 'Mine' });
      expect(own.status).toBe(201);
      const list = await server.http.get('/api/v1/contacts').set(auth);
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([own.body.id]);
      expect((await server.http.get(`/api/v1/contacts/${adminContact.id}`).set(auth)).status).toBe(
        404,
      );
      const update = await server.http
        .patch(`/api/v1/contacts/${own.body.id as string}`)
        .set(auth)
        .send({ title: 'x' });
      expect(update.status).toBe(403);
      const accounts = await server.http.get('/api/v1/accounts').set(auth);
      expect(accounts.status).toBe(403);
      expect(accounts.body.code).toBe('forbidden');

      const got = await server.http.get(`/api/v1/roles/${res.body.id as string}`).set(admin);
      expect(got.body.userCount).toBe(1);
      const listed = await server.http
        .get('/api/v1/roles?filter[builtIn][eq]=true&sort=name')
        .set(admin);
      expect(listed.body.data.map((r: { key: string }) => r.key)).toEqual([
        'admin',
        'analyst',
        'marketing',
        'sales_manager',
        'sales_rep',
        'service_agent',
      ]);
      expect(user.roleId).toBe(res.body.id);
    });

    it('validates permissions strictly, naming the path', async () => {
      const cases: [unknown, string[]][] = [
        [{ entities: { foo: { read: 'all' } } }, ['permissions.entities.foo:unknownField']],
        [
          { entities: { contacts: { read: 'everything' } } },
          ['permissions.entities.contacts.read:isIn'],
        ],
        [
          { entities: { contacts: { approve: 'all' } } },
          ['permissions.entities.contacts.approve:unknownField'],
        ],
        [
          { entities: { contacts: { reassign: 'yes' } } },
          ['permissions.entities.contacts.reassign:isBoolean'],
        ],
        [{ entities: { contacts: 'all' } }, ['permissions.entities.contacts:isObject']],
        [{ entities: [] }, ['permissions.entities:isObject']],
        [
          { fields: { contacts: { shoeSize: 'hidden' } } },
          ['permissions.fields.contacts.shoeSize:unknownField'],
        ],
        [
          { fields: { contacts: { email: 'invisible' } } },
          ['permissions.fields.contacts.email:isIn'],
        ],
        [{ fields: { contacts: { id: 'hidden' } } }, ['permissions.fields.contacts.id:invalid']],
        [{ fields: { widgets: { name: 'hidden' } } }, ['permissions.fields.widgets:unknownField']],
        // a module's subject that is not a record type takes grants but has no fields
        [
          { entities: { threads: { read: 'sometimes' } } },
          ['permissions.entities.threads.read:isIn'],
        ],
        [
          { fields: { threads: { subject: 'hidden' } } },
          ['permissions.fields.threads:unknownField'],
        ],
        [{ admin: 'yes' }, ['permissions.admin:isBoolean']],
        [{ superpowers: true }, ['permissions.superpowers:unknownField']],
        [
          { admin: 1, entities: { accounts: { read: 'mine' }, gadgets: {} } },
          [
            'permissions.admin:isBoolean',
            'permissions.entities.accounts.read:isIn',
            'permissions.entities.gadgets:unknownField',
          ],
        ],
        [[], ['permissions:isObject']],
        ['all', ['permissions:isObject']],
      ];
      for (const [permissions, expected] of cases) {
        const res = await server.http
          .post('/api/v1/roles')
          .set(admin)
          .send({ name: 'Invalid role', permissions });
        expect({ permissions, status: res.status }).toEqual({ permissions, status: 400 });
        expect(res.body.code).toBe('validation_failed');
        expect(fieldErrors(res.body).sort()).toEqual([...expected].sort());
      }
      const missing = await server.http.post('/api/v1/roles').set(admin).send({ name: 'No perms' });
      expect(missing.status).toBe(400);
      expect(fieldErrors(missing.body)).toContain('permissions:isObject');
      const longName = await server.http
        .post('/api/v1/roles')
        .set(admin)
        .send({ name: 'x'.repeat(101), permissions: {} });
      expect(fieldErrors(longName.body)).toContain('name:maxLength');
      const unknown = await server.http
        .post('/api/v1/roles')
        .set(admin)
        .send({ name: 'Extra', permissions: {}, builtIn: true });
      expect(fieldErrors(unknown.body)).toContain('builtIn:unknownField');
      const count = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM roles WHERE name IN ('Invalid role', 'No perms', 'Extra')`,
      );
      expect(count.rows[0].n).toBe(0);
    });

    it('refuses a duplicate role name: 409', async () => {
      const res = await server.http
        .post('/api/v1/roles')
        .set(admin)
        .send({ name: 'SALES REP', permissions: {} });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'unique_violation',
        field: 'name',
        existingId: ROLE_IDS.sales_rep,
      });
    });

    it('edits built-in roles, which take effect at once, but never deletes them', async () => {
      const { auth } = await make.userWithToken('analyst');
      const url = `/api/v1/roles/${ROLE_IDS.analyst}`;
      const before = await server.http.get(url).set(admin);
      expect(before.body).toMatchObject({ key: 'analyst', builtIn: true });
      expect(
        (await server.http.post('/api/v1/contacts').set(auth).send({ lastName: 'Nope' })).status,
      ).toBe(403);

      const granted = structuredClone(before.body.permissions) as {
        entities: Record<string, Record<string, unknown>>;
      };
      granted.entities.contacts.create = 'own';
      const stale = await server.http
        .patch(url)
        .set(admin)
        .set('if-match', `"${(before.body.version as number) - 1}"`)
        .send({ permissions: granted });
      expect(stale.status).toBe(412);
      const edited = await server.http
        .patch(url)
        .set(admin)
        .set('if-match', before.headers.etag)
        .send({ permissions: granted });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        key: 'analyst',
        builtIn: true,
        version: (before.body.version as number) + 1,
      });
      expect(edited.body.permissions.entities.contacts.create).toBe('own');
      expect(
        (await server.http.post('/api/v1/contacts').set(auth).send({ lastName: 'Now allowed' }))
          .status,
      ).toBe(201);

      const reverted = await server.http
        .patch(url)
        .set(admin)
        .send({ permissions: before.body.permissions });
      expect(reverted.status).toBe(200);
      expect(reverted.body.permissions).toEqual(before.body.permissions);
      expect(
        (await server.http.post('/api/v1/contacts').set(auth).send({ lastName: 'Nope' })).status,
      ).toBe(403);

      for (const id of [ROLE_IDS.analyst, ROLE_IDS.admin]) {
        const res = await server.http.delete(`/api/v1/roles/${id}`).set(admin);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('built_in_role');
      }
      const history = await server.http.get(`${url}/history`).set(admin);
      expect(history.body.data).toHaveLength(2);
      expect(history.body.data[0].changes[0].field).toBe('permissions');
    });

    it('refuses to take administration away from the caller’s own role', async () => {
      const res = await server.http
        .patch(`/api/v1/roles/${ROLE_IDS.admin}`)
        .set(admin)
        .send({ permissions: { admin: false } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('self_lockout');
      const role = await server.http.get(`/api/v1/roles/${ROLE_IDS.admin}`).set(admin);
      expect(role.body.permissions.admin).toBe(true);
    });

    it('refuses to delete a role users still hold, then deletes it once free', async () => {
      const role = await make.role({ permissions: { entities: { accounts: { read: 'all' } } } });
      const user = await make.user(role.id);
      const url = `/api/v1/roles/${role.id}`;
      const inUse = await server.http.delete(url).set(admin);
      expect(inUse.status).toBe(409);
      expect(inUse.body).toMatchObject({ code: 'role_in_use', userCount: 1 });

      await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ roleId: ROLE_IDS.analyst });
      expect((await server.http.delete(url).set(admin).set('if-match', '"1"')).status).toBe(204);
      expect((await server.http.get(url).set(admin)).status).toBe(404);
      const assign = await server.http
        .patch(`/api/v1/users/${user.id}`)
        .set(admin)
        .send({ roleId: role.id });
      expect(assign.status).toBe(400);
      expect(fieldErrors(assign.body)).toEqual(['roleId:notFound']);
      const restored = await server.http.post(`${url}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: role.id, userCount: 0 });
    });
  });

  describe('record scopes with the built-in roles', () => {
    type Actor = Awaited<ReturnType<typeof make.userWithToken>>;
    let teamA: { id: string };
    let teamB: { id: string };
    let repA1: Actor;
    let repA2: Actor;
    let repB: Actor;
    let manager: Actor;
    let cA1: { id: string; ownerId: string; teamId: string };
    let cA2: { id: string };
    let cB: { id: string };

    const contact = async (actor: Actor, body: Record<string, unknown> = {}) => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(actor.auth)
        .send({ lastName: `Scoped ${Math.random().toString(36).slice(2)}`, ...body });
      expect(res.status).toBe(201);
      return res.body as { id: string; ownerId: string; teamId: string };
    };
    const visible = async (actor: Actor, ids: string[]) => {
      const res = await server.http
        .get(`/api/v1/contacts?filter[id][in]=${ids.join(',')}&limit=500`)
        .set(actor.auth);
      expect(res.status).toBe(200);
      return (res.body.data as { id: string }[]).map((c) => c.id).sort();
    };

    beforeAll(async () => {
      teamA = await make.team();
      teamB = await make.team();
      repA1 = await make.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repA2 = await make.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repB = await make.userWithToken('sales_rep', { teamIds: [teamB.id] });
      manager = await make.userWithToken('sales_manager', { teamIds: [teamA.id] });
      cA1 = await contact(repA1);
      cA2 = await contact(repA2);
      cB = await contact(repB);
    });

    it('sales_rep creates records they own, in their team', () => {
      expect(cA1).toMatchObject({ ownerId: repA1.user.id, teamId: teamA.id });
    });

    it("sales_rep reads own and teammates' records; another team's answer 404", async () => {
      const all = [cA1.id, cA2.id, cB.id];
      expect(await visible(repA1, all)).toEqual([cA1.id, cA2.id].sort());
      expect(await visible(repB, all)).toEqual([cB.id]);
      expect((await server.http.get(`/api/v1/contacts/${cA2.id}`).set(repA1.auth)).status).toBe(
        200,
      );
      const hidden = await server.http.get(`/api/v1/contacts/${cB.id}`).set(repA1.auth);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('not_found');
      for (const req of [
        server.http.patch(`/api/v1/contacts/${cB.id}`).send({ title: 'x' }),
        server.http.delete(`/api/v1/contacts/${cB.id}`),
        server.http.get(`/api/v1/contacts/${cB.id}/history`),
      ]) {
        expect((await req.set(repA1.auth)).status).toBe(404);
      }
    });

    it("sales_rep updates and deletes only their own records: 403 on a teammate's", async () => {
      const update = await server.http
        .patch(`/api/v1/contacts/${cA2.id}`)
        .set(repA1.auth)
        .send({ title: 'Hijacked' });
      expect(update.status).toBe(403);
      expect(update.body.code).toBe('forbidden');
      const del = await server.http.delete(`/api/v1/contacts/${cA2.id}`).set(repA1.auth);
      expect(del.status).toBe(403);
      const mine = await server.http
        .patch(`/api/v1/contacts/${cA1.id}`)
        .set(repA1.auth)
        .send({ title: 'Buyer' });
      expect(mine.status).toBe(200);
      expect(mine.body.title).toBe('Buyer');
      const temp = await contact(repA1);
      expect((await server.http.delete(`/api/v1/contacts/${temp.id}`).set(repA1.auth)).status).toBe(
        204,
      );
      const after = await server.http.get(`/api/v1/contacts/${cA2.id}`).set(admin);
      expect(after.body.title).toBeNull();
    });

    it('sales_rep may not change ownerId or teamId: 403 reassign_forbidden', async () => {
      for (const req of [
        server.http.patch(`/api/v1/contacts/${cA1.id}`).send({ ownerId: repA2.user.id }),
        server.http.patch(`/api/v1/contacts/${cA1.id}`).send({ teamId: teamB.id }),
        server.http.post('/api/v1/contacts').send({ lastName: 'Gift', ownerId: repA2.user.id }),
      ]) {
        const res = await req.set(repA1.auth);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('reassign_forbidden');
      }
      const unchanged = await server.http.get(`/api/v1/contacts/${cA1.id}`).set(admin);
      expect(unchanged.body).toMatchObject({ ownerId: repA1.user.id, teamId: teamA.id });
    });

    it("sales_manager reassigns their team's records, reads all, updates only the team's", async () => {
      const moved = await contact(repA1);
      const res = await server.http
        .patch(`/api/v1/contacts/${moved.id}`)
        .set(manager.auth)
        .send({ ownerId: repA2.user.id });
      expect(res.status).toBe(200);
      expect(res.body.ownerId).toBe(repA2.user.id);
      // The new owner may now update it, the old one no longer.
      expect(
        (
          await server.http
            .patch(`/api/v1/contacts/${moved.id}`)
            .set(repA1.auth)
            .send({ title: 'x' })
        ).status,
      ).toBe(403);
      expect(
        (
          await server.http
            .patch(`/api/v1/contacts/${moved.id}`)
            .set(repA2.auth)
            .send({ title: 'y' })
        ).status,
      ).toBe(200);

      expect((await server.http.get(`/api/v1/contacts/${cB.id}`).set(manager.auth)).status).toBe(
        200,
      );
      const outside = await server.http
        .patch(`/api/v1/contacts/${cB.id}`)
        .set(manager.auth)
        .send({ ownerId: manager.user.id });
      expect(outside.status).toBe(403);
      expect(outside.body.code).toBe('forbidden');
    });

    it('team scope follows membership changes at once', async () => {
      expect((await server.http.get(`/api/v1/contacts/${cA1.id}`).set(repB.auth)).status).toBe(404);
      const join = await server.http
        .post(`/api/v1/teams/${teamA.id}/members`)
        .set(admin)
        .send({ userId: repB.user.id });
      expect(join.status).toBe(200);
      expect((await server.http.get(`/api/v1/contacts/${cA1.id}`).set(repB.auth)).status).toBe(200);
      expect(
        (await server.http.delete(`/api/v1/teams/${teamA.id}/members/${repB.user.id}`).set(admin))
          .status,
      ).toBe(204);
      expect((await server.http.get(`/api/v1/contacts/${cA1.id}`).set(repB.auth)).status).toBe(404);
    });

    it('analyst reads everything and cannot create or change anything: 403', async () => {
      const analyst = await make.userWithToken('analyst');
      expect(await visible(analyst, [cA1.id, cA2.id, cB.id])).toEqual(
        [cA1.id, cA2.id, cB.id].sort(),
      );
      for (const req of [
        server.http.post('/api/v1/contacts').send({ lastName: 'Nope' }),
        server.http.post('/api/v1/accounts').send({ name: 'Nope' }),
        server.http.patch(`/api/v1/contacts/${cB.id}`).send({ title: 'Nope' }),
        server.http.delete(`/api/v1/contacts/${cB.id}`),
      ]) {
        const res = await req.set(analyst.auth);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect((await server.http.get('/api/v1/accounts').set(analyst.auth)).status).toBe(200);
    });

    it('marketing never sees accounts.annualRevenue: not in reads, lists, includes, history or filters', async () => {
      const marketing = await make.userWithToken('marketing');
      const records = factories(server, admin.authorization.slice(7));
      const account = await records.account({
        name: `Sinar Jaya ${Date.now()}`,
        annualRevenue: { amount: '1250000.00', currency: 'IDR' },
      });
      await server.http
        .patch(`/api/v1/accounts/${account.id}`)
        .set(admin)
        .send({ annualRevenue: { amount: '2000000.00', currency: 'IDR' }, industry: 'retail' });
      const person = await records.contact({ accountId: account.id });

      // The admin sees it: the checks below are not vacuous.
      const asAdmin = await server.http.get(`/api/v1/accounts/${account.id}`).set(admin);
      expect(asAdmin.body.annualRevenue).toEqual({ amount: '2000000.00', currency: 'IDR' });
      const adminHistory = await server.http
        .get(`/api/v1/accounts/${account.id}/history`)
        .set(admin);
      expect(JSON.stringify(adminHistory.body)).toContain('annualRevenue');

      const m = marketing.auth;
      const one = await server.http.get(`/api/v1/accounts/${account.id}`).set(m);
      expect(one.status).toBe(200);
      expect(one.body.name).toBe(account.name);
      expect(one.body).not.toHaveProperty('annualRevenue');

      const list = await server.http.get(`/api/v1/accounts?filter[id][eq]=${account.id}`).set(m);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).not.toHaveProperty('annualRevenue');

      const included = await server.http
        .get(`/api/v1/contacts/${person.id}?include=account`)
        .set(m);
      expect(included.status).toBe(200);
      expect(included.body.account).toMatchObject({ id: account.id, name: account.name });
      expect(included.body.account).not.toHaveProperty('annualRevenue');
      const includedList = await server.http
        .get(`/api/v1/contacts?filter[id][eq]=${person.id}&include=account`)
        .set(m);
      expect(includedList.body.data[0].account).toMatchObject({ id: account.id });
      expect(includedList.body.data[0].account).not.toHaveProperty('annualRevenue');

      const history = await server.http.get(`/api/v1/accounts/${account.id}/history`).set(m);
      expect(history.status).toBe(200);
      expect(history.body.data.length).toBeGreaterThanOrEqual(2);
      expect(history.body.data[0].changes).toEqual([
        { field: 'industry', old: null, new: 'retail' },
      ]);
      expect(JSON.stringify(history.body)).not.toMatch(/annualRevenue|2000000|1250000/);

      for (const query of [
        'filter[annualRevenue.amount][gte]=1',
        'filter[annualRevenue.currency][eq]=IDR',
        'sort=annualRevenue.amount',
      ]) {
        const res = await server.http.get(`/api/v1/accounts?${query}`).set(m);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.code).toBe('invalid_query');
      }
      const viaRelation = await server.http
        .get('/api/v1/contacts?filter[account.annualRevenue.amount][gte]=1')
        .set(m);
      expect(viaRelation.status).toBe(400);
      const tree = await server.http
        .post('/api/v1/accounts/query')
        .set(m)
        .send({ filter: { field: 'annualRevenue.amount', op: 'gt', value: '0' } });
      expect(tree.status).toBe(400);
      // The same filter works for the admin.
      const adminFilter = await server.http
        .get(
          `/api/v1/accounts?filter[annualRevenue.amount][gte]=1999999&filter[id][eq]=${account.id}`,
        )
        .set(admin);
      expect(adminFilter.body.data.map((a: { id: string }) => a.id)).toEqual([account.id]);
    });

    it('service_agent writing lifecycleStage or ownerId answers 403 field_read_only', async () => {
      const agent = await make.userWithToken('service_agent');
      for (const req of [
        server.http.patch(`/api/v1/contacts/${cB.id}`).send({ lifecycleStage: 'customer' }),
        server.http.patch(`/api/v1/contacts/${cB.id}`).send({ ownerId: agent.user.id }),
        server.http.post('/api/v1/contacts').send({ lastName: 'New', lifecycleStage: 'customer' }),
      ]) {
        const res = await req.set(agent.auth);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('field_read_only');
      }
      const detail = await server.http
        .patch(`/api/v1/contacts/${cB.id}`)
        .set(agent.auth)
        .send({ title: 'Support lead' });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ title: 'Support lead', lifecycleStage: 'lead' });
      const stored = await server.http.get(`/api/v1/contacts/${cB.id}`).set(admin);
      expect(stored.body.lifecycleStage).toBe('lead');
      expect(stored.body.ownerId).toBe(repB.user.id);
    });
  });
});
