import { factories } from '../support/factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('duplicates, merge, bulk and idempotency', () => {
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

  describe('duplicate detection', () => {
    it('answers 409 with the existing id for the same normalized email', async () => {
      const first = await make.contact({ lastName: 'Halim', email: 'Rina.Halim@Example.com' });
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Halim', email: '  rina.halim@example.com'.trim().toUpperCase() });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'duplicate_record',
        existingId: first.id,
        match: 'email',
      });
      const viaOther = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Other', otherEmails: ['rina.halim@example.com'] });
      expect(viaOther.status).toBe(409);
    });

    it('answers 409 for the same name and phone, however the phone is written', async () => {
      const first = await make.contact({
        firstName: 'Joko',
        lastName: 'Susilo',
        phones: [{ number: '+62 812-3456-7890' }],
      });
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ firstName: 'joko', lastName: 'SUSILO', phones: [{ number: '62 812 3456 7890' }] });
      expect(res.status).toBe(409);
      expect(res.body.existingId).toBe(first.id);
      const otherName = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ firstName: 'Jono', lastName: 'Susilo', phones: [{ number: '+62 812-3456-7890' }] });
      expect(otherName.status).toBe(201);
    });

    it('creates anyway with ?allowDuplicate=true, and refuses a bad flag', async () => {
      await make.contact({ lastName: 'Tan', email: 'tan@example.com' });
      const res = await server.http
        .post('/api/v1/contacts?allowDuplicate=true')
        .set(auth)
        .send({ lastName: 'Tan', email: 'tan@example.com' });
      expect(res.status).toBe(201);
      const bad = await server.http
        .post('/api/v1/contacts?allowDuplicate=maybe')
        .set(auth)
        .send({ lastName: 'Tan', email: 'tan2@example.com' });
      expect(bad.status).toBe(400);
    });

    it('detects duplicate accounts by name and phone', async () => {
      const first = await make.account({ name: 'CV Maju', phones: [{ number: '021 555 7777' }] });
      const res = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'cv  maju', phones: [{ number: '(021) 555-7777' }] });
      expect(res.status).toBe(409);
      expect(res.body.existingId).toBe(first.id);
    });
  });

  describe('merge', () => {
    it('merges contacts: fills empty fields, gathers emails, deletes duplicates, keeps history', async () => {
      const survivor = await make.contact({
        firstName: 'Wati',
        lastName: 'Gunawan',
        email: 'wati@a.com',
      });
      const dup = await make.contact({
        firstName: 'Wati',
        lastName: 'Gunawan',
        email: 'wati@b.com',
        title: 'Director',
        phones: [{ number: '0811 111 111' }],
      });
      const res = await server.http
        .post(`/api/v1/contacts/${survivor.id}/merge`)
        .set(auth)
        .send({ duplicateIds: [dup.id] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: survivor.id,
        email: 'wati@a.com',
        otherEmails: ['wati@b.com'],
        title: 'Director',
        phones: [{ number: '0811 111 111' }],
      });
      expect((await server.http.get(`/api/v1/contacts/${dup.id}`).set(auth)).status).toBe(404);
      const row = await server.db.query('SELECT merged_into_id FROM contacts WHERE id = $1', [
        dup.id,
      ]);
      expect(row.rows[0].merged_into_id).toBe(survivor.id);
      const history = await server.http.get(`/api/v1/contacts/${survivor.id}/history`).set(auth);
      expect(history.body.data[0]).toMatchObject({ action: 'merge' });
      expect(history.body.data[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'mergedFrom', old: null, new: [dup.id] },
          { field: 'title', old: null, new: 'Director' },
        ]),
      );
    });

    it('merges accounts and moves their contacts and child accounts, with history on the moved records', async () => {
      const keep = await make.account({ name: 'PT Satu' });
      const dup = await make.account({ name: 'PT Satu (old)', website: 'https://satu.co.id' });
      const child = await make.account({ name: 'PT Satu Cabang', parentAccountId: dup.id });
      const person = await make.contact({ lastName: 'Rahman', accountId: dup.id });
      const res = await server.http
        .post(`/api/v1/accounts/${keep.id}/merge`)
        .set(auth)
        .send({ duplicateIds: [dup.id] });
      expect(res.status).toBe(200);
      expect(res.body.website).toBe('https://satu.co.id');
      const movedPerson = await server.http.get(`/api/v1/contacts/${person.id}`).set(auth);
      expect(movedPerson.body.accountId).toBe(keep.id);
      expect(movedPerson.body.version).toBe(2);
      const movedChild = await server.http.get(`/api/v1/accounts/${child.id}`).set(auth);
      expect(movedChild.body.parentAccountId).toBe(keep.id);
      const personHistory = await server.http
        .get(`/api/v1/contacts/${person.id}/history`)
        .set(auth);
      expect(personHistory.body.data[0].changes).toEqual([
        { field: 'accountId', old: dup.id, new: keep.id },
      ]);
    });

    it('refuses merging into itself, bad ids and unknown records', async () => {
      const c = await make.contact();
      const self = await server.http
        .post(`/api/v1/contacts/${c.id}/merge`)
        .set(auth)
        .send({ duplicateIds: [c.id] });
      expect(self.status).toBe(400);
      const empty = await server.http
        .post(`/api/v1/contacts/${c.id}/merge`)
        .set(auth)
        .send({ duplicateIds: [] });
      expect(empty.status).toBe(400);
      const bad = await server.http
        .post(`/api/v1/contacts/${c.id}/merge`)
        .set(auth)
        .send({ duplicateIds: ['x'] });
      expect(bad.status).toBe(400);
      const unknown = await server.http
        .post(`/api/v1/contacts/${c.id}/merge`)
        .set(auth)
        .send({ duplicateIds: ['0192f000-0000-7000-8000-00000000beef'] });
      expect(unknown.status).toBe(404);
      const still = await server.http.get(`/api/v1/contacts/${c.id}`).set(auth);
      expect(still.body.version).toBe(1);
    });
  });

  describe('bulk', () => {
    it('creates many with per-item results; a bad item does not stop the others', async () => {
      const res = await server.http
        .post('/api/v1/contacts/bulk')
        .set(auth)
        .send({
          items: [
            { lastName: 'Bulk1', email: 'bulk1@example.com' },
            { lastName: 'x'.repeat(200) },
            { lastName: 'Bulk3', nickname: 'x' },
            { lastName: 'Bulk4' },
            'not an object',
          ],
        });
      expect(res.status).toBe(200);
      const results = res.body.results as {
        index: number;
        status: number;
        id?: string;
        error?: { code: string; errors?: { field: string }[] };
      }[];
      expect(results.map((r) => r.status)).toEqual([201, 400, 400, 201, 400]);
      expect(results[1].error).toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ field: 'lastName', code: 'maxLength' })],
      });
      expect(results[2].error?.errors?.[0]).toMatchObject({ field: 'nickname' });
      const stored = await server.db.query(
        `SELECT last_name FROM contacts WHERE last_name LIKE 'Bulk%' ORDER BY last_name`,
      );
      expect(stored.rows.map((r: { last_name: string }) => r.last_name)).toEqual([
        'Bulk1',
        'Bulk4',
      ]);
    });

    it('updates many, with version acting as If-Match per item', async () => {
      const a = await make.contact({ lastName: 'Upd A' });
      const b = await make.contact({ lastName: 'Upd B' });
      const res = await server.http
        .post('/api/v1/contacts/bulk')
        .set(auth)
        .send({
          operation: 'update',
          items: [
            { id: a.id, version: 1, title: 'Owner' },
            { id: b.id, version: 9, title: 'Stale' },
            { id: 'nope', title: 'x' },
            { id: '0192f000-0000-7000-8000-00000000dead', title: 'x' },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([
        200, 412, 400, 404,
      ]);
      expect((await server.http.get(`/api/v1/contacts/${b.id}`).set(auth)).body.title).toBeNull();
    });

    it('reports duplicates per item and accepts up to 1,000 items', async () => {
      await make.contact({ lastName: 'Known', email: 'known@example.com' });
      const dup = await server.http
        .post('/api/v1/contacts/bulk')
        .set(auth)
        .send({ items: [{ lastName: 'Known', email: 'known@example.com' }] });
      expect(dup.body.results[0]).toMatchObject({
        status: 409,
        error: { code: 'duplicate_record' },
      });
      const items = Array.from({ length: 1000 }, (_, i) => ({ lastName: `Many ${i}` }));
      const many = await server.http.post('/api/v1/contacts/bulk').set(auth).send({ items });
      expect(many.status).toBe(200);
      expect(many.body.results.filter((r: { status: number }) => r.status === 201)).toHaveLength(
        1000,
      );
      const tooMany = await server.http
        .post('/api/v1/contacts/bulk')
        .set(auth)
        .send({ items: [...items, { lastName: 'one more' }] });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0]).toMatchObject({ field: 'items', code: 'arrayMaxSize' });
    });

    it('commits items that all pass together; after one fails, each of the others alone, once', async () => {
      const xmins = async (ids: string[]) =>
        (
          await server.db.query<{ x: string }>(
            `SELECT xmin::text AS x FROM contacts WHERE id = ANY($1::uuid[]) ORDER BY last_name`,
            [ids],
          )
        ).rows.map((r) => r.x);
      const events = async (ids: string[]) =>
        (
          await server.db.query<{ n: string }>(
            `SELECT count(*) AS n FROM domain_events WHERE entity = 'contacts' AND record_id = ANY($1::uuid[])`,
            [ids],
          )
        ).rows[0].n;
      const post = (items: object[]) =>
        server.http.post('/api/v1/contacts/bulk').set(auth).send({ items });

      const clean = await post([
        { lastName: 'Together A' },
        { lastName: 'Together B' },
        { lastName: 'Together C' },
      ]);
      const cleanIds = clean.body.results.map((r: { id: string }) => r.id);
      expect(new Set(await xmins(cleanIds)).size).toBe(1);
      expect(await events(cleanIds)).toBe('3');

      await make.contact({ lastName: 'Taken', email: 'taken@example.com' });
      const mixed = await post([
        { lastName: 'Alone A' },
        { lastName: 'Taken', email: 'taken@example.com' },
        { lastName: 'Alone C' },
      ]);
      expect(mixed.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409, 201]);
      const mixedIds = [mixed.body.results[0].id, mixed.body.results[2].id];
      expect(new Set(await xmins(mixedIds)).size).toBe(2);
      // The first attempt's writes and events were rolled back with it.
      expect(await events(mixedIds)).toBe('2');
      const stored = await server.db.query(
        `SELECT count(*) AS n FROM contacts WHERE last_name IN ('Alone A', 'Alone C')`,
      );
      expect(stored.rows[0].n).toBe('2');
    });

    it('rejects malformed bulk requests', async () => {
      expect(
        (await server.http.post('/api/v1/contacts/bulk').set(auth).send({ items: [] })).status,
      ).toBe(400);
      expect(
        (await server.http.post('/api/v1/contacts/bulk').set(auth).send({ items: {} })).status,
      ).toBe(400);
      expect(
        (
          await server.http
            .post('/api/v1/contacts/bulk')
            .set(auth)
            .send({ operation: 'delete', items: [{}] })
        ).status,
      ).toBe(400);
      expect(
        (
          await server.http
            .post('/api/v1/contacts/bulk')
            .set(auth)
            .send({ items: [{ lastName: 'A' }], mode: 'fast' })
        ).status,
      ).toBe(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first response to a retry with the same body, without a second record', async () => {
      const body = { lastName: 'Idem', email: 'idem@example.com' };
      const first = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-1')
        .send(body);
      expect(first.status).toBe(201);
      const retry = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-1')
        .send(body);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const count = await server.db.query(
        `SELECT count(*)::int AS n FROM contacts WHERE email = 'idem@example.com'`,
      );
      expect(count.rows[0].n).toBe(1);
    });

    it('answers 422 when the key is reused with another body', async () => {
      await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-2')
        .send({ lastName: 'First' })
        .expect(201);
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-2')
        .send({ lastName: 'Second' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('idempotency_mismatch');
    });

    it('never keeps a shown-once secret for replays', async () => {
      const first = await server.http
        .post('/api/v1/api-keys')
        .set(auth)
        .set('idempotency-key', 'key-1')
        .send({ name: 'Sync' });
      expect(first.status).toBe(201);
      expect(first.body.key).toMatch(/^rls_/);
      const replay = await server.http
        .post('/api/v1/api-keys')
        .set(auth)
        .set('idempotency-key', 'key-1')
        .send({ name: 'Sync' });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual({ ...first.body, key: '(shown once; not repeated on replay)' });
      const stored = await server.db.query(
        `SELECT response::text AS r FROM idempotency_keys WHERE key = 'key-1'`,
      );
      expect(stored.rows[0].r).not.toContain(first.body.key as string);
    });

    it('frees the key when the first attempt failed, and refuses an over-long key', async () => {
      const bad = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-3')
        .send({ lastName: 'y'.repeat(101) });
      expect(bad.status).toBe(400);
      const good = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k-3')
        .send({ lastName: 'y'.repeat(101) });
      expect(good.status).toBe(400);
      const long = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('idempotency-key', 'k'.repeat(256))
        .send({ lastName: 'Z' });
      expect(long.status).toBe(400);
    });
  });
});
