import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/global-setup.js';
import { runUntilExit, startServer, type TestServer } from '../support/test-server.js';

const SLOW = 150_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the embedded PostgreSQL and its data directory', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let first: TestServer | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relasi-embedded-'));
    env = { CRM_DATA_DIR: dataDir, CRM_EMBEDDED_PG_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    await first?.stop();
    first = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses a second start on the same data directory with exit 2 and leaves the first serving',
    async () => {
      first = await startServer({ databaseUrl: null, env });
      const lock = JSON.parse(readFileSync(join(dataDir, 'relasi.lock'), 'utf8')) as {
        pid: number;
      };
      expect(lock.pid).toBe(first.process.pid);

      const second = await runUntilExit({ env });
      expect(second.code).toBe(2);
      expect(second.output).toContain(`The data directory ${dataDir} is in use`);
      expect(second.output).toContain(`pid ${first.process.pid}`);

      const ready = await first.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.database).toBe('up');
      const token = await first.login();
      const contacts = await first.http.get('/api/v1/contacts').auth(token, { type: 'bearer' });
      expect(contacts.status).toBe(200);

      expect(await first.stop()).toBe(0);
      first = null;
      expect(existsSync(join(dataDir, 'relasi.lock'))).toBe(false);
    },
    SLOW,
  );

  it(
    'never signals a live process a stale postmaster.pid or lock file names, and starts anyway',
    async () => {
      const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
      try {
        const pid = bystander.pid!;
        const clusterDir = join(dataDir, 'postgres');
        // What a PostgreSQL killed outright leaves behind, its pid since taken by another process.
        writeFileSync(
          join(clusterDir, 'postmaster.pid'),
          `${pid}\n${clusterDir}\n1700000000\n${env.CRM_EMBEDDED_PG_PORT}\n\n127.0.0.1\n  5432001     0\nready   \n`,
        );
        writeFileSync(
          join(dataDir, 'relasi.lock'),
          JSON.stringify({ pid, processStart: '1', startedAt: '2026-01-01T00:00:00.000Z' }),
        );

        first = await startServer({ databaseUrl: null, env });
        expect((await first.http.get('/health/ready')).status).toBe(200);
        expect(alive(pid)).toBe(true);
        expect(bystander.exitCode).toBeNull();
        expect(bystander.signalCode).toBeNull();
      } finally {
        bystander.kill('SIGKILL');
      }
    },
    SLOW,
  );
});
