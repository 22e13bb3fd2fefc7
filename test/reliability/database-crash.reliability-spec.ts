import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedDatabase } from '#platform/database/embedded-database.js';
import { freePort } from '../support/global-setup.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { LOAD, sleep, until, WriteLoad } from './reliability-support.js';

const SLOW = 240_000;

async function startDatabase(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const { startEmbeddedDatabase } = (await import(
    join(process.cwd(), 'dist/src/platform/database/embedded-database.js')
  )) as typeof import('#platform/database/embedded-database.js');
  return startEmbeddedDatabase({ dataDir, port, database: 'relasi', log: () => undefined });
}

/**
 * PostgreSQL of its own, killed with SIGKILL under a write load and started again: while it
 * is gone the API answers 503 at once (no request hangs), and once it is back the same server
 * process serves again by itself; every acknowledged write survived the crash recovery.
 */
describe('PostgreSQL killed during a write load', () => {
  let dataDir: string;
  let database: EmbeddedDatabase | null = null;
  let server: TestServer | null = null;

  afterAll(async () => {
    await server?.stop();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'fails fast with 503 while the database is down and recovers without a restart',
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'relasi-pgcrash-'));
      const port = await freePort();
      database = await startDatabase(dataDir, port);
      server = await startServer({
        databaseUrl: database.url,
        env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0', CRM_JOB_POLL_MS: '200' },
      });
      const live = server;
      const token = await live.login();
      const tag = `PgCrash${Date.now()}`;
      const load = new WriteLoad(() => live.url, token, tag, LOAD.clients);
      await sleep(LOAD.seconds * 1000);

      const postmaster = Number(
        readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      const killedAt = Date.now();
      process.kill(postmaster, 'SIGKILL');
      await database.stop();
      database = null;
      await sleep(3000);

      // Down: readiness says so, and every request started meanwhile got an answer quickly.
      const ready = await fetch(`${live.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${live.url}/health/live`)).status).toBe(200);
      const duringOutage = load.outcomes.filter((o) => o.startedAt > killedAt + 500);
      expect(duringOutage.length).toBeGreaterThan(0);
      expect(duringOutage.filter((o) => o.status !== 503)).toEqual([]);
      expect(Math.max(...duringOutage.map((o) => o.ms))).toBeLessThan(5000);

      database = await startDatabase(dataDir, port);
      const back = await until(
        async () => (await fetch(`${live.url}/health/ready`)).status,
        (s) => s === 200,
        60_000,
      );
      expect(back).toBe(200);
      const restoredAt = Date.now();
      await sleep(1000);
      const outcomes = await load.stop();
      const afterRecovery = outcomes.filter((o) => o.startedAt > restoredAt);
      expect(afterRecovery.length).toBeGreaterThan(0);
      expect(afterRecovery.filter((o) => o.status !== 201)).toEqual([]);
      // No request ever hung past its deadline, and nothing answered 500.
      expect(outcomes.filter((o) => o.error === 'TimeoutError' || o.status === 500)).toEqual([]);

      const acknowledged = load.acknowledged();
      const { rows } = await live.db.query<{ id: string; email: string }>(
        `SELECT id, email FROM contacts WHERE last_name = $1`,
        [tag],
      );
      const stored = new Map(rows.map((r) => [r.id, r.email]));
      for (const o of acknowledged) expect(stored.get(o.id as string)).toBe(o.email);
    },
    SLOW,
  );
});
