import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What both benchmark scripts share: paths, the admin they log in as, settings, logging. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The Node.js options `npm start` gives the server (package.json): the bench runs it as it is
 * run in production.
 */
export const SERVER_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));
export const RESULTS = join(ROOT, 'bench/results');
export const ADMIN_EMAIL = 'bench-admin@example.com';
export const ADMIN_PASSWORD = 'bench-admin-password-123';

/** A numeric setting from the environment, at least `min`. */
export function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}`);
  return value;
}

/**
 * The size factor of a run (BENCH_SCALE, default 1, `npm run bench -- --scale N`): every
 * benchmark multiplies its default data sizes by it.
 */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error('BENCH_SCALE must be a number > 0');
  return value;
}

/** A size setting: `base` × BENCH_SCALE (at least `min`), unless `name` is set itself. */
export function scaled(name: string, base: number, min = 1): number {
  return setting(name, Math.max(min, Math.round(base * benchScale())), min);
}

/**
 * PostgreSQL server settings for the bench database from BENCH_PG_SETTINGS
 * (`name=value,name=value`), e.g. `shared_buffers=4GB,max_wal_size=16GB` to run the
 * million-row benchmarks on a server tuned as one of that size would be. Unset: the defaults.
 */
export function serverSettings(): Record<string, string> {
  const raw = process.env.BENCH_PG_SETTINGS ?? '';
  const settings: Record<string, string> = {};
  for (const pair of raw.split(',').filter((p) => p.trim())) {
    const match = /^\s*([a-z_.]+)\s*=\s*([^\s,]+)\s*$/.exec(pair);
    if (!match) throw new Error(`BENCH_PG_SETTINGS: "${pair}" is not name=value`);
    settings[match[1]] = match[2];
  }
  return settings;
}

export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createNetServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}
