import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { eventsOf } from '../support/sales-factories.js';
import {
  caseFactories,
  writeServiceConfig,
  type Auth,
  type CaseRecord,
} from '../support/service-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Agent = { user: { id: string }; auth: Auth };

describe('service desk: queues and assignment', () => {
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let cases: ReturnType<typeof caseFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeServiceConfig('queues'), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(server, token);
    cases = caseFactories(server, admin);
  });
  afterAll(async () => {
    await server.stop();
  });

  const queue = async (fields: Record<string, unknown> = {}) => {
    const res = await server.http
      .post('/api/v1/queues')
      .set(admin)
      .send({ name: `Queue ${randomUUID().slice(0, 8)}`, ...fields });
    if (res.status !== 201) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const member = (
    queueId: string,
    userId: string,
    body: Record<string, unknown> = {},
    auth = admin,
  ) => server.http.put(`/api/v1/queues/${queueId}/members/${userId}`).set(auth).send(body);
  const agent = async (): Promise<Agent> => people.userWithToken('service_agent');
  const next = (queueId: string, auth: Auth) =>
    server.http.post(`/api/v1/queues/${queueId}/next`).set(auth);

  it('keeps queues as records and members with skills and availability', async () => {
    const q = await queue({ strategy: 'skills', autoAssign: true, description: 'Billing desk' });
    expect(q).toMatchObject({ strategy: 'skills', autoAssign: true });
    const a = await agent();
    const added = await member(q.id, a.user.id, { categories: ['billing'], languages: ['id'] });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      queueId: q.id,
      userId: a.user.id,
      categories: ['billing'],
      languages: ['id'],
      available: true,
      lastAssignedAt: null,
    });
    // The agent switches their own availability, but not their skills.
    const away = await member(q.id, a.user.id, { available: false }, a.auth);
    expect(away.status).toBe(200);
    expect(away.body).toMatchObject({ available: false, categories: ['billing'] });
    expect((await member(q.id, a.user.id, { categories: [] }, a.auth)).status).toBe(403);
    const list = await server.http.get(`/api/v1/queues/${q.id}/members`).set(a.auth);
    expect(list.body.data).toHaveLength(1);
    expect(
      (await server.http.delete(`/api/v1/queues/${q.id}/members/${a.user.id}`).set(admin)).status,
    ).toBe(204);
    expect(
      (await server.http.delete(`/api/v1/queues/${q.id}/members/${a.user.id}`).set(admin)).status,
    ).toBe(404);
  });

  it.each([
    ['unknown category', { categories: ['gardening'] }, 'categories'],
    ['categories of wrong type', { categories: 'billing' }, 'categories'],
    ['bad language', { languages: ['Bahasa'] }, 'languages'],
    ['available of wrong type', { available: 'yes' }, 'available'],
    ['unknown field', { shift: 'night' }, 'shift'],
  ])('refuses a member with %s → 400', async (_name, body, field) => {
    const q = await queue();
    const res = await member(q.id, (await agent()).user.id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    ['missing name', { name: undefined }, 'name'],
    ['name too long', { name: 'x'.repeat(201) }, 'name'],
    ['unknown strategy', { strategy: 'lottery' }, 'strategy'],
    ['autoAssign of wrong type', { autoAssign: 'yes' }, 'autoAssign'],
    ['unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses a queue with %s → 400', async (_name, change, field) => {
    const res = await server.http
      .post('/api/v1/queues')
      .set(admin)
      .send({ name: 'Q', ...change });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a case in an unknown queue, and lets only admins manage queues', async () => {
    const res = await server.http
      .post('/api/v1/cases')
      .set(admin)
      .send({ subject: 'x', queueId: randomUUID() });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('queueId');
    const a = await agent();
    expect(
      (await server.http.post('/api/v1/queues').set(a.auth).send({ name: 'Mine' })).status,
    ).toBe(403);
    const q = await queue();
    expect((await member(q.id, a.user.id, {}, a.auth)).status).toBe(403);
    expect((await member(randomUUID(), a.user.id)).status).toBe(404);
  });

  it('assigns new cases round robin among available members', async () => {
    const q = await queue({ strategy: 'round_robin', autoAssign: true });
    const [a, b, c] = [await agent(), await agent(), await agent()];
    for (const x of [a, b, c]) await member(q.id, x.user.id).expect(201);
    await member(q.id, c.user.id, { available: false }).expect(200);
    const assigned: string[] = [];
    for (let i = 0; i < 4; i++)
      assigned.push((await cases.case({ queueId: q.id })).assigneeId as string);
    expect(assigned).toEqual([a.user.id, b.user.id, a.user.id, b.user.id]);
    const first = await cases.case({ queueId: q.id });
    expect(first.ownerId).toBe(first.assigneeId);
    expect(
      (await eventsOf(server, first.id)).find((e) => e.type === 'case.assigned')?.data,
    ).toMatchObject({ reason: 'auto', queueId: q.id });
  });

  it('assigns to the member with the fewest open cases, and by skills', async () => {
    const least = await queue({ strategy: 'least_open', autoAssign: true });
    const [busy, idle] = [await agent(), await agent()];
    for (const x of [busy, idle]) await member(least.id, x.user.id).expect(201);
    await cases.case({ assigneeId: busy.user.id });
    await cases.case({ assigneeId: busy.user.id });
    expect((await cases.case({ queueId: least.id })).assigneeId).toBe(idle.user.id);

    const skills = await queue({ strategy: 'skills', autoAssign: true });
    const [billingId, technical] = [await agent(), await agent()];
    await member(skills.id, billingId.user.id, {
      categories: ['billing'],
      languages: ['id'],
    }).expect(201);
    await member(skills.id, technical.user.id, { categories: ['technical'] }).expect(201);
    expect((await cases.case({ queueId: skills.id, category: 'technical' })).assigneeId).toBe(
      technical.user.id,
    );
    expect(
      (await cases.case({ queueId: skills.id, category: 'billing', language: 'id' })).assigneeId,
    ).toBe(billingId.user.id);
    // Nobody speaks English about billing: the case waits unassigned.
    expect(
      (await cases.case({ queueId: skills.id, category: 'billing', language: 'en' })).assigneeId,
    ).toBeNull();
  });

  it('hands the most urgent case to the calling member; 204 when empty, 403 for non-members, 404 for unknown queues', async () => {
    const q = await queue();
    const a = await agent();
    await member(q.id, a.user.id).expect(201);
    expect((await next(q.id, a.auth)).status).toBe(204);
    const low = await cases.case({ queueId: q.id, priority: 'low' });
    const urgent = await cases.case({ queueId: q.id, priority: 'urgent' });
    const normal = await cases.case({ queueId: q.id, priority: 'normal' });
    const taken = await next(q.id, a.auth);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id: urgent.id, assigneeId: a.user.id, ownerId: a.user.id });
    // The agent now reaches the case as its owner.
    expect((await server.http.get(`/api/v1/cases/${urgent.id}`).set(a.auth)).status).toBe(200);
    expect((await next(q.id, a.auth)).body.id).toBe(normal.id);
    expect((await next(q.id, a.auth)).body.id).toBe(low.id);
    expect((await next(q.id, a.auth)).status).toBe(204);
    const history = await server.http.get(`/api/v1/cases/${urgent.id}/history`).set(admin);
    expect(history.body.data[0].changes).toContainEqual({
      field: 'assigneeId',
      old: null,
      new: a.user.id,
    });

    const outsider = await agent();
    const refused = await next(q.id, outsider.auth);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('queue_not_member');
    expect((await next(randomUUID(), a.auth)).status).toBe(404);
    expect(
      (await server.http.post(`/api/v1/queues/${q.id}/next`).set(a.auth).send({ x: 1 })).status,
    ).toBe(400);
  });

  it('never hands one case to two of 20 concurrent callers', async () => {
    const q = await queue();
    const agents: Agent[] = [];
    for (let i = 0; i < 20; i++) {
      const x = await agent();
      await member(q.id, x.user.id).expect(201);
      agents.push(x);
    }
    const waiting: CaseRecord[] = [];
    for (let i = 0; i < 15; i++)
      waiting.push(await cases.case({ queueId: q.id, priority: i % 2 ? 'high' : 'normal' }));
    const answers = await Promise.all(agents.map((x) => next(q.id, x.auth)));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok).toHaveLength(15);
    expect(answers.filter((r) => r.status === 204)).toHaveLength(5);
    const ids = ok.map((r) => (r.body as CaseRecord).id);
    expect(new Set(ids).size).toBe(15);
    expect(new Set(ids)).toEqual(new Set(waiting.map((c) => c.id)));
    const assignees = ok.map((r) => (r.body as CaseRecord).assigneeId);
    expect(new Set(assignees).size).toBe(15);
    const { rows } = await server.db.query<{ n: string }>(
      `SELECT count(DISTINCT assignee_id) AS n FROM cases WHERE queue_id = $1`,
      [q.id],
    );
    expect(Number(rows[0].n)).toBe(15);
  });
  it('finds the next case of a large queue through its index', async () => {
    const q = await queue();
    const client = await server.db.connect();
    try {
      // 50,000 waiting cases, rolled back afterwards.
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO cases (id, number, subject, priority, priority_rank, queue_id, owner_id, resolution_due_at)
         SELECT gen_random_uuid(), 'CS-1999-' || lpad(g::text, 7, '0'), 'Bulk', 'normal', 1 + g % 4, $1,
                (SELECT id FROM users ORDER BY created_at LIMIT 1), now() + g * interval '1 minute'
           FROM generate_series(1, 50000) g`,
        [q.id],
      );
      await client.query('ANALYZE cases');
      const plan = JSON.stringify(
        (
          await client.query(
            `EXPLAIN SELECT id, owner_id FROM cases
              WHERE queue_id = $1 AND assignee_id IS NULL AND deleted_at IS NULL
                AND status NOT IN ('resolved', 'closed')
              ORDER BY priority_rank DESC, resolution_due_at, created_at
              LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [q.id],
          )
        ).rows,
      );
      expect(plan).toContain('cases_queue_next_idx');
      expect(plan).not.toContain('Sort');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
