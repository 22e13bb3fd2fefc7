import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type request from 'supertest';
import { ApiDocument } from './contract/api-document.js';
import { checkedClient } from './contract/checked-client.js';
import { freePort } from './global-setup.js';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-123';
export const JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

interface Cluster {
  root: string;
  url: string;
}

function cluster(): Cluster {
  const raw = process.env.RELASI_TEST_CLUSTER;
  if (!raw) throw new Error('RELASI_TEST_CLUSTER is not set: run the tests with `npm test`');
  return JSON.parse(raw) as Cluster;
}

function urlFor(database: string): string {
  const u = new URL(cluster().url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template. */
export async function freshDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE relasi_template`);
  } finally {
    await admin.end();
  }
  return urlFor(name);
}

/** An empty database, for start-up and migration tests. */
export async function emptyDatabase(): Promise<string> {
  const name = `e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return urlFor(name);
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  /** supertest bound to the server */
  http: ReturnType<typeof request>;
  /** direct SQL on the server's database, for setting up and checking state */
  db: pg.Pool;
  process: ChildProcess;
  output(): string;
  /** Logs in and returns the access token. */
  login(email?: string, password?: string): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** null: no DATABASE_URL, the server runs its embedded PostgreSQL in env.CRM_DATA_DIR. */
  databaseUrl?: string | null;
  /** Resolve once listening, without waiting for readiness. */
  waitForReady?: boolean;
}

function serverEnv(
  databaseUrl: string | undefined,
  port: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    CRM_ADMIN_EMAIL: ADMIN_EMAIL,
    CRM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CRM_JWT_SECRET: JWT_SECRET,
    CRM_LOG_LEVEL: 'warn',
    CRM_DB_POOL_SIZE: '5',
    ...extra,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

/** Runs the server until it exits on its own (bad configuration, failed migration). */
export async function runUntilExit(options: {
  env?: Record<string, string>;
  databaseUrl?: string;
  timeoutMs?: number;
}): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], {
    env: serverEnv(options.databaseUrl, port, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

/** The URL of the embedded PostgreSQL a server started without DATABASE_URL runs. */
function embeddedDatabaseUrl(env: Record<string, string>): string {
  const dataDir = env.CRM_DATA_DIR;
  if (!dataDir || !env.CRM_EMBEDDED_PG_PORT)
    throw new Error('an embedded server needs CRM_DATA_DIR and CRM_EMBEDDED_PG_PORT of its own');
  const { user, password } = JSON.parse(
    readFileSync(join(dataDir, 'postgres-credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${env.CRM_EMBEDDED_PG_PORT}/relasi`;
}

/**
 * Starts the real server (`node dist/src/main.js`) as a child process against its own
 * database: the same code path as `npm start`, with nothing mocked.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const databaseUrl =
    options.databaseUrl === null ? undefined : (options.databaseUrl ?? (await freshDatabase()));
  const port = await freePort();
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], {
    env: serverEnv(databaseUrl, port, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      // A server failing under a test is otherwise seen only as refused connections; a signal
      // (code null) is a test's own kill.
      if (!stopping && code !== null && code !== 0)
        process.stderr.write(
          `server on port ${port} exited with ${code}:\n${output.slice(-4000)}\n`,
        );
      resolve(code);
    }),
  );
  // Generous: a loaded machine (parallel suites, a busy CI host) can take long to load the app.
  const deadline = Date.now() + 120_000;
  const wanted = options.waitForReady === false ? '/health/live' : '/health/ready';
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(url + wanted);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopping = true;
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const connectionString = databaseUrl ?? embeddedDatabaseUrl(options.env ?? {});
  const db = new pg.Pool({ connectionString, max: 3 });
  // A config can add fields and objects to the document, so such a server answers to its own.
  let served: Promise<ApiDocument> | undefined;
  const document = options.env?.CRM_CONFIG
    ? () => (served ??= ApiDocument.served(url))
    : () => Promise.resolve(ApiDocument.checkedIn());
  const http = checkedClient(url, document);
  const server: TestServer = {
    url,
    databaseUrl: connectionString,
    http,
    db,
    process: child,
    output: () => output,
    async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
      const res = await http.post('/api/v1/auth/login').send({ email, password });
      if (res.status !== 200)
        throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { accessToken: string }).accessToken;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      stopping = true;
      await db.end().catch(() => undefined);
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  return server;
}
