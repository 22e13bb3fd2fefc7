import { factories } from '../support/factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('accounts and contacts: the REST contract', () => {
  let server: TestServer;
  let auth: { authorization: string };
  let make: ReturnType<typeof factories>;

  beforeAll(async () => {
    server = await startServer();
    const token = await server.login();
    auth = { authorization: `Bearer ${token}` };
    make = factories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('create', () => {
    it('creates a contact with 201, Location, ETag and the stored record', async () => {
      const account = await make.account({ name: 'PT Sinar Jaya', industry: 'retail' });
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({
          firstName: 'Sari',
          lastName: 'Wijaya',
          email: 'sari@sinar.co.id',
          accountId: account.id,
          phones: [{ number: '+62 21 555 0100', label: 'work' }],
          timeZone: 'Asia/Jakarta',
          preferredLanguage: 'id',
        });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/contacts/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        firstName: 'Sari',
        lastName: 'Wijaya',
        email: 'sari@sinar.co.id',
        accountId: account.id,
        lifecycleStage: 'lead',
        version: 1,
        customFields: {},
        phones: [{ number: '+62 21 555 0100', label: 'work' }],
      });
      expect(res.body.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      const row = await server.db.query(
        'SELECT last_name, email_keys, account_id FROM contacts WHERE id = $1',
        [res.body.id],
      );
      expect(row.rows[0]).toEqual({
        last_name: 'Wijaya',
        email_keys: ['sari@sinar.co.id'],
        account_id: account.id,
      });
    });

    it('keeps money exactly as sent', async () => {
      const res = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'Money Co', annualRevenue: { amount: '1250000.005', currency: 'IDR' } });
      expect(res.status).toBe(201);
      expect(res.body.annualRevenue).toEqual({ amount: '1250000.005', currency: 'IDR' });
      const read = await server.http.get(`/api/v1/accounts/${res.body.id}`).set(auth);
      expect(read.body.annualRevenue).toEqual({ amount: '1250000.005', currency: 'IDR' });
    });

    it.each([
      ['missing required field', {}, 'lastName', 'required'],
      ['wrong type', { lastName: 42 }, 'lastName', 'isString'],
      ['too long', { lastName: 'x'.repeat(101) }, 'lastName', 'maxLength'],
      ['invalid email', { lastName: 'A', email: 'not-an-email' }, 'email', 'isEmail'],
      ['unknown field', { lastName: 'A', nickname: 'x' }, 'nickname', 'unknownField'],
      [
        'server-owned id',
        { lastName: 'A', id: '0192f000-0000-7000-8000-000000000001' },
        'id',
        'serverOwned',
      ],
      [
        'server-owned createdAt',
        { lastName: 'A', createdAt: '2020-01-01T00:00:00Z' },
        'createdAt',
        'serverOwned',
      ],
      ['server-owned version', { lastName: 'A', version: 3 }, 'version', 'serverOwned'],
      ['server-owned deletedAt', { lastName: 'A', deletedAt: null }, 'deletedAt', 'serverOwned'],
      ['bad uuid reference', { lastName: 'A', accountId: 'abc' }, 'accountId', 'isUuid'],
      ['unknown enum value', { lastName: 'A', lifecycleStage: 'vip' }, 'lifecycleStage', 'isIn'],
      ['bad time zone', { lastName: 'A', timeZone: 'Mars/Olympus' }, 'timeZone', 'isTimeZone'],
      [
        'nested phone error',
        { lastName: 'A', phones: [{ number: 'call me' }] },
        'phones[0].number',
        'matches',
      ],
      [
        'unknown custom field',
        { lastName: 'A', customFields: { shoeSize: 42 } },
        'customFields.shoeSize',
        'unknownField',
      ],
    ])('rejects %s with 400 and names the field', async (_label, body, field, code) => {
      const before = await server.db.query('SELECT count(*)::int AS n FROM contacts');
      const res = await server.http.post('/api/v1/contacts').set(auth).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
      const after = await server.db.query('SELECT count(*)::int AS n FROM contacts');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('rejects money that would be rounded or has an unknown currency', async () => {
      const res = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'X', annualRevenue: { amount: '1.1234567', currency: 'XXQ' } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'annualRevenue.amount', code: 'isDecimal' }),
          expect.objectContaining({ field: 'annualRevenue.currency', code: 'isCurrency' }),
        ]),
      );
    });

    it('answers malformed JSON, a non-object body and a wrong content type with 4xx problems', async () => {
      const bad = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('content-type', 'application/json')
        .send('{"lastName": ');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('malformed_body');
      const arr = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send([{ lastName: 'A' }]);
      expect(arr.status).toBe(400);
      const text = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('content-type', 'text/plain')
        .send('lastName=A');
      expect(text.status).toBe(415);
      expect(text.body.code).toBe('unsupported_media_type');
    });

    it('answers a body over 1 MiB with 413 and writes nothing', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'A', description: 'x'.repeat(1_100_000) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('payload_too_large');
    });

    it('refers to an account that does not exist with a field error', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'A', accountId: '0192f000-0000-7000-8000-00000000abcd' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'accountId', code: 'notFound' }),
      ]);
    });

    it('refuses an account as its own ancestor', async () => {
      const parent = await make.account();
      const child = await make.account({ parentAccountId: parent.id });
      const res = await server.http
        .patch(`/api/v1/accounts/${parent.id}`)
        .set(auth)
        .send({ parentAccountId: child.id });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'parentAccountId', code: 'cycle' }),
      ]);
    });
  });

  describe('read', () => {
    it('returns the record with an ETag and 404 for unknown ids, 400 for bad ids', async () => {
      const c = await make.contact({ email: 'read@example.com' });
      const res = await server.http.get(`/api/v1/contacts/${c.id}`).set(auth);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body.email).toBe('read@example.com');
      const missing = await server.http
        .get('/api/v1/contacts/0192f000-0000-7000-8000-0000000000ff')
        .set(auth);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('not_found');
      const bad = await server.http.get('/api/v1/contacts/not-a-uuid').set(auth);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_id');
    });

    it('projects fields and embeds the account', async () => {
      const account = await make.account({ name: 'Embed Co' });
      const c = await make.contact({ accountId: account.id, email: 'embed@example.com' });
      const res = await server.http
        .get(`/api/v1/contacts/${c.id}?fields=email,account&include=account`)
        .set(auth);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['account', 'email', 'id']);
      expect(res.body.account).toMatchObject({ id: account.id, name: 'Embed Co' });
      const unknown = await server.http.get(`/api/v1/contacts/${c.id}?fields=shoeSize`).set(auth);
      expect(unknown.status).toBe(400);
      const badInclude = await server.http.get(`/api/v1/contacts/${c.id}?include=owner`).set(auth);
      expect(badInclude.status).toBe(400);
    });

    it('speaks Indonesian when asked', async () => {
      const res = await server.http
        .get('/api/v1/contacts/0192f000-0000-7000-8000-0000000000ff')
        .set(auth)
        .set('accept-language', 'id-ID,id;q=0.9,en;q=0.5');
      expect(res.status).toBe(404);
      expect(res.body.title).toBe('Tidak ditemukan');
      expect(res.headers['content-language']).toBe('id');
      const v = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('accept-language', 'id')
        .send({});
      expect(v.body.errors[0]).toMatchObject({
        field: 'lastName',
        code: 'required',
        message: 'wajib diisi',
      });
    });
  });

  describe('update', () => {
    it('patches partially, bumps the version and honours If-Match', async () => {
      const c = await make.contact({ firstName: 'Budi', lastName: 'Santoso', title: 'Buyer' });
      const ok = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .set('if-match', '"1"')
        .send({ title: 'Head Buyer' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        firstName: 'Budi',
        lastName: 'Santoso',
        title: 'Head Buyer',
        version: 2,
      });
      expect(ok.headers.etag).toBe('"2"');
      const stale = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .set('if-match', '"1"')
        .send({ title: 'Lost update' });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('precondition_failed');
      const read = await server.http.get(`/api/v1/contacts/${c.id}`).set(auth);
      expect(read.body.title).toBe('Head Buyer');
      const noHeader = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .send({ title: 'Last write wins' });
      expect(noHeader.status).toBe(200);
      expect(noHeader.body.version).toBe(3);
    });

    it('clears a nullable field with null and refuses null for a required one', async () => {
      const c = await make.contact({ title: 'CFO' });
      const cleared = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .send({ title: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.title).toBeNull();
      const bad = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .send({ lastName: null });
      expect(bad.status).toBe(400);
    });

    it('rejects server-owned and unknown fields on PATCH', async () => {
      const c = await make.contact();
      const res = await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .send({ updatedAt: '2020-01-01T00:00:00Z', color: 'red' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'color',
        'updatedAt',
      ]);
    });

    it('keeps a history of who changed what', async () => {
      const c = await make.contact({ lastName: 'Old' });
      await server.http
        .patch(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .send({ lastName: 'New' })
        .expect(200);
      const res = await server.http.get(`/api/v1/contacts/${c.id}/history`).set(auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
      const [update, create] = res.body.data;
      expect(update).toMatchObject({
        action: 'update',
        changes: [{ field: 'lastName', old: 'Old', new: 'New' }],
      });
      expect(update.actorId).toEqual(expect.any(String));
      expect(create.action).toBe('create');
      expect(create.changes).toEqual(
        expect.arrayContaining([{ field: 'lastName', old: null, new: 'Old' }]),
      );
      const page = await server.http.get(`/api/v1/contacts/${c.id}/history?limit=1`).set(auth);
      expect(page.body.data).toHaveLength(1);
      const next = await server.http
        .get(`/api/v1/contacts/${c.id}/history?limit=1&cursor=${page.body.meta.nextCursor}`)
        .set(auth);
      expect(next.body.data[0].action).toBe('create');
      expect(next.body.meta.nextCursor).toBeNull();
    });
  });

  describe('delete', () => {
    it('soft-deletes, hides, restores and purges', async () => {
      const c = await make.contact({ email: 'gone@example.com' });
      const stale = await server.http
        .delete(`/api/v1/contacts/${c.id}`)
        .set(auth)
        .set('if-match', '"7"');
      expect(stale.status).toBe(412);
      expect(
        (await server.http.delete(`/api/v1/contacts/${c.id}`).set(auth).set('if-match', '"1"'))
          .status,
      ).toBe(204);
      expect((await server.http.get(`/api/v1/contacts/${c.id}`).set(auth)).status).toBe(404);
      const list = await server.http
        .get('/api/v1/contacts?filter[email][eq]=gone@example.com')
        .set(auth);
      expect(list.body.data).toHaveLength(0);
      const row = await server.db.query('SELECT deleted_at FROM contacts WHERE id = $1', [c.id]);
      expect(row.rows[0].deleted_at).toBeInstanceOf(Date);
      const restored = await server.http.post(`/api/v1/contacts/${c.id}/restore`).set(auth);
      expect(restored.status).toBe(200);
      expect(restored.body.email).toBe('gone@example.com');
      expect((await server.http.get(`/api/v1/contacts/${c.id}`).set(auth)).status).toBe(200);
      expect((await server.http.post(`/api/v1/contacts/${c.id}/restore`).set(auth)).status).toBe(
        404,
      );
      expect((await server.http.delete(`/api/v1/contacts/${c.id}/purge`).set(auth)).status).toBe(
        404,
      );
      await server.http.delete(`/api/v1/contacts/${c.id}`).set(auth).expect(204);
      expect((await server.http.delete(`/api/v1/contacts/${c.id}/purge`).set(auth)).status).toBe(
        204,
      );
      const gone = await server.db.query('SELECT count(*)::int AS n FROM contacts WHERE id = $1', [
        c.id,
      ]);
      expect(gone.rows[0].n).toBe(0);
    });
  });
});
