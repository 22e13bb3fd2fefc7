import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
customization:
  contacts:
    fields:
      - { code: score, type: number, label: { en: Score } }
`;

type Auth = { authorization: string };
type Segment = Record<string, unknown> & { id: string; version: number; memberCount: number };

describe('segments', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let retail: { id: string };
  const contacts: Record<string, { id: string }> = {};

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('segments', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
    retail = await customers.account({ industry: 'retail' });
    const mining = await customers.account({ industry: 'mining' });
    contacts.ani = await customers.contact({
      lastName: 'Ani',
      lifecycleStage: 'customer',
      accountId: retail.id,
      customFields: { score: 80 },
    });
    contacts.budi = await customers.contact({
      lastName: 'Budi',
      lifecycleStage: 'customer',
      accountId: mining.id,
      customFields: { score: 20 },
    });
    contacts.citra = await customers.contact({ lastName: 'Citra', lifecycleStage: 'lead' });
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/segments').set(auth).send(body);
  const created = async (body: Record<string, unknown>) => {
    const res = await create(body);
    if (res.status !== 201) throw new Error(`segment: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Segment;
  };
  const customers80 = { all: [{ field: 'lifecycleStage', op: 'eq', value: 'customer' }] };
  const refresh = (id: string, auth: Auth = admin) =>
    server.http.post(`/api/v1/segments/${id}/refresh`).set(auth).send();
  const memberIds = async (id: string, query = '') => {
    const res = await server.http.get(`/api/v1/segments/${id}/members${query}`).set(admin);
    expect(res.status).toBe(200);
    return (res.body.data as { id: string }[]).map((c) => c.id).sort();
  };

  it('a dynamic segment: created, refreshed into members, and kept up to date with events', async () => {
    const res = await create({
      name: 'Retail customers',
      type: 'dynamic',
      rules: {
        all: [
          { field: 'lifecycleStage', op: 'eq', value: 'customer' },
          { field: 'account.industry', op: 'in', value: ['retail', 'banking'] },
          { field: 'customFields.score', op: 'gte', value: 50 },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/segments/${res.body.id}`);
    expect(res.body).toMatchObject({ type: 'dynamic', memberCount: 0, refreshedAt: null });
    const id = res.body.id as string;

    const first = await refresh(id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ memberCount: 1, entered: 1, left: 0 });
    expect(await memberIds(id)).toEqual([contacts.ani.id]);

    // Budi moves to a retail account: the next refresh takes him in; Ani drops below the score.
    await server.http
      .patch(`/api/v1/contacts/${contacts.budi.id}`)
      .set(admin)
      .send({ accountId: retail.id, customFields: { score: 90 } });
    await server.http
      .patch(`/api/v1/contacts/${contacts.ani.id}`)
      .set(admin)
      .send({ customFields: { score: 10 } });
    expect((await refresh(id)).body).toMatchObject({ memberCount: 1, entered: 1, left: 1 });
    expect(await memberIds(id)).toEqual([contacts.budi.id]);
    const events = (await eventsOf(server, id)).map((e) => [e.type, e.data.contactId]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['segment.entered', contacts.ani.id],
        ['segment.entered', contacts.budi.id],
        ['segment.left', contacts.ani.id],
      ]),
    );
    const read = await server.http.get(`/api/v1/segments/${id}`).set(admin);
    expect(read.body).toMatchObject({ memberCount: 1 });
    expect(read.body.refreshedAt).toEqual(expect.any(String));
    await server.http
      .patch(`/api/v1/contacts/${contacts.ani.id}`)
      .set(admin)
      .send({ customFields: { score: 80 } });
  });

  it('lists members with the contact list conventions: cursor, fields, count', async () => {
    const seg = await created({ name: 'Customers', type: 'dynamic', rules: customers80 });
    await refresh(seg.id);
    const page = await server.http
      .get(`/api/v1/segments/${seg.id}/members?limit=1&fields=lastName&sort=lastName&count=exact`)
      .set(admin);
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual([{ id: contacts.ani.id, lastName: 'Ani' }]);
    expect(page.body.meta).toMatchObject({ limit: 1, total: 2 });
    const next = await server.http
      .get(
        `/api/v1/segments/${seg.id}/members?limit=1&fields=lastName&sort=lastName&cursor=${page.body.meta.nextCursor}`,
      )
      .set(admin);
    expect(next.body.data).toEqual([{ id: contacts.budi.id, lastName: 'Budi' }]);
    expect(next.body.meta.nextCursor).toBeNull();
    const bad = await server.http.get(`/api/v1/segments/${seg.id}/members?fields=nope`).set(admin);
    expect(bad.status).toBe(400);
  });

  it('previews a rule: the count and a sample, among the contacts the caller may read', async () => {
    const res = await server.http
      .post('/api/v1/segments/preview')
      .set(admin)
      .send({ rules: customers80 });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect((res.body.sample as { id: string }[]).map((c) => c.id).sort()).toEqual(
      [contacts.ani.id, contacts.budi.id].sort(),
    );
    const rep = await people.userWithToken('sales_rep');
    const repAuth = { authorization: `Bearer ${rep.token}` };
    const own = await server.http
      .post('/api/v1/contacts')
      .set(repAuth)
      .send({ lastName: 'Dewi', lifecycleStage: 'customer' });
    expect(own.status).toBe(201);
    const seen = await server.http
      .post('/api/v1/segments/preview')
      .set(repAuth)
      .send({ rules: customers80 });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ count: 1, sample: [{ id: own.body.id }] });
  });

  it('refuses a rule with an unknown field or a wrong value type, naming the node', async () => {
    const unknown = await server.http
      .post('/api/v1/segments/preview')
      .set(admin)
      .send({ rules: { all: [customers80.all[0], { field: 'shoeSize', op: 'eq', value: 42 }] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({
      code: 'segment_rule_invalid',
      pointer: '/rules/all/1/field',
      errors: [{ field: '/rules/all/1/field' }],
    });
    const wrongType = await create({
      name: 'Bad',
      type: 'dynamic',
      rules: { any: [{ field: 'customFields.score', op: 'gt', value: 'high' }] },
    });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.pointer).toBe('/rules/any/0/value');
    const fact = await create({
      name: 'Bad fact',
      type: 'dynamic',
      rules: { fact: 'lifetimeRevenue', currency: 'idr', gt: '5' },
    });
    expect(fact.status).toBe(422);
    expect(fact.body.pointer).toBe('/rules/currency');
    const notObject = await server.http
      .post('/api/v1/segments/preview')
      .set(admin)
      .send({ rules: 'everyone' });
    expect(notObject.status).toBe(400);
  });

  it('keeps a static list by hand, up to 1,000 contacts per request', async () => {
    const list = await created({ name: 'Trade fair visitors', type: 'static' });
    const path = `/api/v1/segments/${list.id}/members`;
    const added = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: [contacts.ani.id, contacts.citra.id] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ changed: 2, memberCount: 2 });
    const again = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: [contacts.ani.id] });
    expect(again.body).toEqual({ changed: 0, memberCount: 2 });
    expect(await memberIds(list.id)).toEqual([contacts.ani.id, contacts.citra.id].sort());
    const removed = await server.http
      .delete(path)
      .set(admin)
      .send({ contactIds: [contacts.ani.id] });
    expect(removed.body).toEqual({ changed: 1, memberCount: 1 });
    const types = (await eventsOf(server, list.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'segment.entered')).toHaveLength(2);
    expect(types.filter((t) => t === 'segment.left')).toHaveLength(1);

    const missing = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: [contacts.ani.id, '0192f000-0000-7000-8000-0000000fffff'] });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('contactIds[1]');
    const tooMany = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: Array.from({ length: 1001 }, () => contacts.ani.id) });
    expect(tooMany.status).toBe(400);
    const notUuid = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: ['x'] });
    expect(notUuid.status).toBe(400);
    const extra = await server.http
      .post(path)
      .set(admin)
      .send({ contactIds: [contacts.ani.id], note: 'x' });
    expect(extra.status).toBe(400);
    const stale = await server.http
      .post(path)
      .set({ ...admin, 'if-match': '"999"' })
      .send({ contactIds: [contacts.ani.id] });
    expect(stale.status).toBe(412);

    const dynamic = await created({ name: 'Computed', type: 'dynamic', rules: customers80 });
    const refused = await server.http
      .post(`/api/v1/segments/${dynamic.id}/members`)
      .set(admin)
      .send({ contactIds: [contacts.ani.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('segment_not_static');
  });

  it('combines segments, and refuses a composite that would contain itself', async () => {
    const all = await created({
      name: 'Customers at an account',
      type: 'dynamic',
      rules: {
        all: [...customers80.all, { field: 'account.industry', op: 'isNull', value: false }],
      },
    });
    const vips = await created({ name: 'Opted out', type: 'static' });
    await server.http
      .post(`/api/v1/segments/${vips.id}/members`)
      .set(admin)
      .send({ contactIds: [contacts.budi.id] });
    const combined = await created({
      name: 'Customers to mail',
      type: 'composite',
      includeSegmentIds: [all.id],
      excludeSegmentIds: [vips.id],
    });
    expect((await refresh(combined.id)).body).toMatchObject({ memberCount: 1 });
    expect(await memberIds(combined.id)).toEqual([contacts.ani.id]);

    const outer = await created({
      name: 'Outer',
      type: 'composite',
      includeSegmentIds: [combined.id],
    });
    const cycle = await server.http
      .patch(`/api/v1/segments/${combined.id}`)
      .set(admin)
      .send({ includeSegmentIds: [all.id, outer.id] });
    expect(cycle.status).toBe(422);
    expect(cycle.body.code).toBe('segment_cycle');
    expect(cycle.body.detail).toContain('Customers to mail → Outer → Customers to mail');
    expect(cycle.body.cycle).toEqual([combined.id, outer.id, combined.id]);
    const self = await server.http
      .patch(`/api/v1/segments/${outer.id}`)
      .set(admin)
      .send({ includeSegmentIds: [outer.id] });
    expect(self.status).toBe(422);
    const empty = await create({ name: 'Nothing', type: 'composite', includeSegmentIds: [] });
    expect(empty.status).toBe(400);
    const ghost = await create({
      name: 'Ghost',
      type: 'composite',
      includeSegmentIds: ['0192f000-0000-7000-8000-0000000fffff'],
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.errors[0].field).toBe('includeSegmentIds[0]');
  });

  it('answers bad inputs with 400, others’ segments with 404 and stale writes with 412', async () => {
    expect((await create({ type: 'static' })).status).toBe(400);
    expect((await create({ name: 5, type: 'static' })).status).toBe(400);
    expect((await create({ name: 'x'.repeat(201), type: 'static' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'static', colour: 'red' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'sometimes' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'dynamic' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'static', rules: customers80 })).status).toBe(400);
    const seg = await created({ name: 'Mine', type: 'static' });
    const changeType = await server.http
      .patch(`/api/v1/segments/${seg.id}`)
      .set(admin)
      .send({ type: 'dynamic' });
    expect(changeType.status).toBe(400);
    const stale = await server.http
      .patch(`/api/v1/segments/${seg.id}`)
      .set({ ...admin, 'if-match': '"999"' })
      .send({ name: 'Renamed' });
    expect(stale.status).toBe(412);

    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          segments: { create: 'own', read: 'own', update: 'own', delete: 'own', reassign: false },
          contacts: {
            create: 'none',
            read: 'own',
            update: 'none',
            delete: 'none',
            reassign: false,
          },
        },
      },
    });
    const outsider = await people.userWithToken(role.id);
    const auth = { authorization: `Bearer ${outsider.token}` };
    expect((await server.http.get(`/api/v1/segments/${seg.id}`).set(auth)).status).toBe(404);
    expect((await refresh(seg.id, auth)).status).toBe(404);
    expect((await server.http.get(`/api/v1/segments/${seg.id}/members`).set(auth)).status).toBe(
      404,
    );
    const analyst = await people.userWithToken('analyst');
    const readOnly = { authorization: `Bearer ${analyst.token}` };
    expect((await create({ name: 'X', type: 'static' }, readOnly)).status).toBe(403);
  });
});
