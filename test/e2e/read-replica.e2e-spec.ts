import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EmbeddedDatabase } from '#platform/database/embedded-database.js';
import { accessFactories } from '../support/access-factories.js';
import { freePort } from '../support/global-setup.js';
import { startStreamingReplica } from '../support/streaming-replica.js';
import { startServer, type TestServer } from '../support/test-server.js';

const SLOW = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until `done` holds or `ms` pass; returns the last value. */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < end) {
    await sleep(100);
    value = await probe();
  }
  return value;
}

/**
 * A primary and a streaming replica of it, both real PostgreSQL: with DATABASE_READ_URL set,
 * lists are served by the replica, yet a user always sees their own writes, a replica too far
 * behind or gone serves nothing, and readiness says how it stands.
 */
describe('read replica (DATABASE_READ_URL)', () => {
  const roots: string[] = [];
  let primary: EmbeddedDatabase | null = null;
  let replica: EmbeddedDatabase | null = null;
  let server: TestServer | null = null;
  let replicaUrl: string;
  let replicaRoot: string;
  let replicaPort: number;

  beforeAll(async () => {
    const { startEmbeddedDatabase } = (await import(
      join(process.cwd(), 'dist/src/platform/database/embedded-database.js')
    )) as typeof import('#platform/database/embedded-database.js');
    const primaryRoot = mkdtempSync(join(tmpdir(), 'relasi-primary-'));
    replicaRoot = mkdtempSync(join(tmpdir(), 'relasi-replica-'));
    replicaPort = await freePort();
    roots.push(primaryRoot, replicaRoot);
    primary = await startEmbeddedDatabase({
      dataDir: primaryRoot,
      port: await freePort(),
      database: 'relasi',
      log: () => undefined,
    });
    replica = await startStreamingReplica({
      primaryUrl: primary.url,
      primaryRoot,
      replicaRoot,
      port: replicaPort,
      database: 'relasi',
      slot: 'relasi_test_replica',
    });
    replicaUrl = replica.url;
    server = await startServer({
      databaseUrl: primary.url,
      env: { DATABASE_READ_URL: replicaUrl, CRM_READ_REPLICA_MAX_LAG_MS: '3000' },
    });
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    await replica?.stop();
    await primary?.stop();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** Pauses or resumes applying WAL on the replica (it keeps receiving it). */
  async function replay(action: 'pause' | 'resume'): Promise<void> {
    const client = new pg.Client({ connectionString: replicaUrl });
    await client.connect();
    try {
      await client.query(`SELECT pg_wal_replay_${action}()`);
    } finally {
      await client.end();
    }
  }

  it(
    'serves lists from the replica, and each user their own writes from the primary',
    async () => {
      const live = server!;
      const admin = await live.login();
      const other = (await accessFactories(live, admin).userWithToken('admin')).auth;
      const writer = { authorization: `Bearer ${admin}` };
      const tag = `Replica${Date.now()}`;
      const listed = async (auth: { authorization: string }) =>
        (
          await live.http
            .get(`/api/v1/contacts?filter[lastName][eq]=${tag}&count=exact`)
            .set(auth)
            .expect(200)
        ).body as { data: { email: string }[]; meta: { total: number } };

      const ready = await live.http.get('/health/ready').expect(200);
      expect(ready.body.readReplica).toBe('up');

      // With the replica frozen, a new contact exists only on the primary.
      await replay('pause');
      try {
        await live.http
          .post('/api/v1/contacts')
          .set(writer)
          .send({ lastName: tag, email: `one@${tag.toLowerCase()}.test` })
          .expect(201);
        // The writer reads their write at once (their read goes to the primary)…
        const own = await listed(writer);
        expect(own.data.map((c) => c.email)).toEqual([`one@${tag.toLowerCase()}.test`]);
        expect(own.meta.total).toBe(1);
        // …while another user's list is served by the replica, which has not applied it yet.
        const elsewhere = await listed(other);
        expect(elsewhere.data).toEqual([]);
        expect(elsewhere.meta.total).toBe(0);
      } finally {
        await replay('resume');
      }
      const caughtUp = await until(
        () => listed(other),
        (page) => page.data.length === 1,
      );
      expect(caughtUp.data.map((c) => c.email)).toEqual([`one@${tag.toLowerCase()}.test`]);
    },
    SLOW,
  );

  it(
    'stops reading from a replica further behind than CRM_READ_REPLICA_MAX_LAG_MS',
    async () => {
      const live = server!;
      const admin = await live.login();
      const other = (await accessFactories(live, admin).userWithToken('admin')).auth;
      const tag = `Lagging${Date.now()}`;
      await replay('pause');
      try {
        await live.http
          .post('/api/v1/contacts')
          .set({ authorization: `Bearer ${admin}` })
          .send({ lastName: tag })
          .expect(201);
        // Another write after the limit, so the replica has WAL it has not applied for too long.
        await sleep(3500);
        await live.http
          .post('/api/v1/contacts')
          .set({ authorization: `Bearer ${admin}` })
          .send({ lastName: `${tag}b` })
          .expect(201);
        const state = await until(
          async () => (await live.http.get('/health/ready')).body.readReplica as string,
          (s) => s === 'lagging',
        );
        expect(state).toBe('lagging');
        const page = await live.http
          .get(`/api/v1/contacts?filter[lastName][eq]=${tag}`)
          .set(other)
          .expect(200);
        expect(page.body.data).toHaveLength(1);
      } finally {
        await replay('resume');
      }
      const back = await until(
        async () => (await live.http.get('/health/ready')).body.readReplica as string,
        (s) => s === 'up',
      );
      expect(back).toBe('up');
    },
    SLOW,
  );

  it(
    'reads from the primary while the replica is down, and uses it again once it is back',
    async () => {
      const live = server!;
      const admin = await live.login();
      const other = (await accessFactories(live, admin).userWithToken('admin')).auth;
      const tag = `Down${Date.now()}`;
      await live.http
        .post('/api/v1/contacts')
        .set({ authorization: `Bearer ${admin}` })
        .send({ lastName: tag })
        .expect(201);
      await replica!.stop();
      replica = null;
      const page = await live.http
        .get(`/api/v1/contacts?filter[lastName][eq]=${tag}`)
        .set(other)
        .expect(200);
      expect(page.body.data).toHaveLength(1);
      const ready = await live.http.get('/health/ready').expect(200);
      expect(ready.body.readReplica).toBe('down');

      const { startEmbeddedDatabase } = (await import(
        join(process.cwd(), 'dist/src/platform/database/embedded-database.js')
      )) as typeof import('#platform/database/embedded-database.js');
      replica = await startEmbeddedDatabase({
        dataDir: replicaRoot,
        port: replicaPort,
        database: 'relasi',
        log: () => undefined,
      });
      const back = await until(
        async () => (await live.http.get('/health/ready')).body.readReplica as string,
        (s) => s === 'up',
      );
      expect(back).toBe('up');
      // Served by the replica again: a write it has not applied is invisible to a non-writer.
      await replay('pause');
      try {
        await live.http
          .post('/api/v1/contacts')
          .set({ authorization: `Bearer ${admin}` })
          .send({ lastName: tag })
          .expect(201);
        const stale = await live.http
          .get(`/api/v1/contacts?filter[lastName][eq]=${tag}`)
          .set(other)
          .expect(200);
        expect(stale.body.data).toHaveLength(1);
      } finally {
        await replay('resume');
      }
    },
    SLOW,
  );
});
