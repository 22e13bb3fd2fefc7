import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
} from '../support/messaging-factories.js';
import { expectProblem } from '../support/problems.js';
import { openSse, type SseConnection } from '../support/sse-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('live updates: the SSE stream across two server processes', () => {
  let a: TestServer;
  let b: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let threads: ReturnType<typeof threadFactories>;
  const open: SseConnection[] = [];
  const sse = async (server: TestServer, auth: Auth, headers: Record<string, string> = {}) => {
    const conn = await openSse(`${server.url}/api/v1/stream`, { ...auth, ...headers });
    open.push(conn);
    // The answer's head comes before the connection joins the hub; `ready` says it has.
    if (conn.status === 200) await conn.ready();
    return conn;
  };

  beforeAll(async () => {
    const env = {
      CRM_CONFIG: writeMessagingConfig('stream', 'stream: { heartbeatSeconds: 1 }'),
      CRM_PRINCIPAL_CACHE_TTL_MS: '0',
    };
    a = await startServer({ env });
    b = await startServer({ env, databaseUrl: a.databaseUrl });
    const token = await a.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(a, token);
    threads = threadFactories(a, admin);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('delivers a message posted to A to a participant connected to B, and not to others', async () => {
    const rep = await people.userWithToken('sales_manager');
    const outsider = await people.userWithToken('sales_manager');
    const thread = await threads.thread({ participants: [{ kind: 'user', id: rep.user.id }] });
    const repOnB = await sse(b, rep.auth);
    const outsiderOnB = await sse(b, outsider.auth);
    expect(repOnB.status).toBe(200);
    const m = await threads.message(thread.id, { body: 'Hello from A' });
    const got = await repOnB.next((e) => e.event === 'message.posted');
    expect(got.id).toMatch(/^\d+$/);
    expect(got.data).toMatchObject({
      threadId: thread.id,
      messageId: m.id,
      preview: 'Hello from A',
      internal: false,
    });
    // The heartbeat keeps idle connections open; by then the outsider would have had it too.
    await outsiderOnB.next(() => false, 1500).catch(() => undefined);
    expect(outsiderOnB.comments).toContain('heartbeat');
    expect(outsiderOnB.events.filter((e) => e.event === 'message.posted')).toEqual([]);
  });

  it('replays what a client missed when it reconnects with Last-Event-ID', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await threads.thread({ participants: [{ kind: 'user', id: rep.user.id }] });
    const first = await sse(b, rep.auth);
    await threads.message(thread.id, { body: 'one' });
    const seen = await first.next((e) => e.event === 'message.posted');
    first.close();
    const two = await threads.message(thread.id, { body: 'two' });
    const three = await threads.message(thread.id, { body: 'three' });
    const again = await sse(a, rep.auth, { 'last-event-id': seen.id! });
    await again.next((e) => (e.data as { messageId: string }).messageId === three.id);
    const ids = again.events
      .filter((e) => e.event === 'message.posted')
      .map((e) => (e.data as { messageId: string }).messageId);
    expect(ids).toEqual([two.id, three.id]);
    // The query parameter serves clients that cannot set headers.
    const byQuery = await openSse(`${a.url}/api/v1/stream?lastEventId=${seen.id}`, rep.auth);
    open.push(byQuery);
    await byQuery.next((e) => (e.data as { messageId: string }).messageId === three.id);
  });

  it('tells a new owner live when a record is assigned to them', async () => {
    const rep = await people.userWithToken('sales_manager');
    const account = await factories(a, admin.authorization.slice(7)).account();
    const conn = await sse(b, rep.auth);
    const res = await a.http
      .patch(`/api/v1/accounts/${account.id}`)
      .set(admin)
      .send({ ownerId: rep.user.id });
    expect(res.status).toBe(200);
    const got = await conn.next((e) => e.event === 'assignment', 20_000);
    expect(got.data).toMatchObject({
      entity: 'accounts',
      recordId: account.id,
      event: 'account.updated',
    });
  });

  it('refuses a bad Last-Event-ID, unknown parameters and unauthenticated callers', async () => {
    expectProblem(await a.http.get('/api/v1/stream').set(admin).set('last-event-id', 'abc'), 400);
    expectProblem(await a.http.get('/api/v1/stream?since=1').set(admin), 400);
    expectProblem(await a.http.get('/api/v1/stream'), 401);
  });
});
