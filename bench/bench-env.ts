/**
 * The throw-away world every benchmark runs in: a work directory, an embedded PostgreSQL
 * migrated like a fresh install, the real server started as `npm start` would, and the
 * clean-up at the end whatever happened.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseEnv } from '#platform/config/env.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { startEmbeddedDatabase } from '#platform/database/embedded-database.js';
import { migrate } from '#platform/database/migrator.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  freePort,
  log,
  RESULTS,
  ROOT,
  SERVER_NODE_FLAGS,
  serverSettings,
} from './bench-support.js';
import { startChild, type Child } from './http-load.js';

export interface BenchRun {
  work: string;
  /** Registers a clean-up; they run at the end in reverse order. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * Runs a benchmark's body and exits: non-zero only when the run itself fails. A missed target
 * is a reported figure, not a failure.
 */
export function runBench(name: string, body: (run: BenchRun) => Promise<void>): void {
  void (async () => {
    const work = mkdtempSync(join(tmpdir(), `relasi-bench-${name}-`));
    // Run as root, PostgreSQL runs as "postgres" and must be able to pass through to its data.
    chmodSync(work, 0o711);
    const stops: (() => Promise<void>)[] = [];
    let code = 0;
    try {
      await body({ work, onStop: (stop) => stops.unshift(stop) });
    } catch (e) {
      code = 1;
      log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      if (process.env.BENCH_HOLD === '1') await holdUntilSignalled();
      for (const stop of stops) await stop().catch((e: unknown) => log(`stop: ${String(e)}`));
      rmSync(work, { recursive: true, force: true });
    }
    process.exit(code);
  })();
}

/**
 * BENCH_HOLD=1: a finished run keeps its database (and server) up until SIGINT or SIGTERM, so
 * that the seeded data can be examined (EXPLAIN) and a bench that takes one can be run again
 * over it with BENCH_DATABASE_URL.
 */
function holdUntilSignalled(): Promise<void> {
  log('holding the database until SIGINT or SIGTERM (BENCH_HOLD=1)');
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

/**
 * An embedded PostgreSQL in the work directory with every migration applied. A bench that
 * passes `reusable` takes BENCH_DATABASE_URL instead: a database it seeded in an earlier run
 * held with BENCH_HOLD=1, which it then does not seed again (`reused`).
 */
export async function startMigratedDatabase(
  run: BenchRun,
  settings?: Readonly<Record<string, string>>,
  options: { reusable?: boolean } = {},
): Promise<{ url: string; clusterDir: string; reused?: boolean }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    if (!options.reusable)
      throw new Error('this bench seeds its own database: unset BENCH_DATABASE_URL');
    log('reusing the database of BENCH_DATABASE_URL, seeded by an earlier run');
    return { url: given, clusterDir: '', reused: true };
  }
  const dataDir = join(run.work, 'data');
  log(`starting PostgreSQL in ${run.work}`);
  const db = await startEmbeddedDatabase({
    dataDir,
    port: await freePort(),
    database: 'relasi_bench',
    log: () => undefined,
    settings: { ...serverSettings(), ...settings },
  });
  run.onStop(() => db.stop());
  const ds = new DataSource(dataSourceOptions(parseEnv({}), db.url));
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  if (process.env.BENCH_HOLD === '1') log(`database: ${db.url}`);
  return { url: db.url, clusterDir: join(dataDir, 'postgres') };
}

/**
 * The real server against the bench database, in the work directory (so a developer's
 * ./crm.config.yaml cannot change the figures), with the bench admin.
 */
export async function startRelasi(
  run: BenchRun,
  databaseUrl: string,
  options: { poolSize: number; nodeArgs?: string[]; env?: Record<string, string> },
): Promise<Child> {
  const port = await freePort();
  const relasi = await startChild(
    'relasi',
    [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), join(ROOT, 'dist/src/main.js')],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      CRM_ADMIN_EMAIL: ADMIN_EMAIL,
      CRM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CRM_LOG_LEVEL: 'warn',
      CRM_DB_POOL_SIZE: String(options.poolSize),
      CRM_ACCESS_TOKEN_TTL: '3600',
      // One admin drives thousands of requests a second: the quota is counted (its cost is
      // part of what is measured) but set above anything a run can reach.
      CRM_RATE_LIMIT_REQUESTS: '100000000',
      ...options.env,
    },
    port,
    '/health/ready',
    run.work,
  );
  run.onStop(() => relasi.stop());
  return relasi;
}

/** An access token of a user (the bench admin unless told otherwise). */
export async function login(url: string, email = ADMIN_EMAIL): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Writes bench/results/<file> with the date and the machine the figures come from. */
export function writeResults(file: string, data: Record<string, unknown>): void {
  mkdirSync(RESULTS, { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const target = join(RESULTS, file);
  writeFileSync(
    target,
    `${JSON.stringify({ date: new Date().toISOString(), machine, ...data }, null, 2)}\n`,
  );
  log(`results written to ${target}`);
}
