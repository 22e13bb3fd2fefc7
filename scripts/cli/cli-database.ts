import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { Env } from '#platform/config/env.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { DataDirLockedError } from '#platform/database/data-dir-lock.js';
import { startEmbeddedDatabase } from '#platform/database/embedded-database.js';
import { CliError, EXIT, isUnreachable } from './cli-errors.js';
import { migrationPlan } from './migrate-command.js';

export interface CliDatabase {
  readonly dataSource: DataSource;
  readonly url: string;
  /** Where the database is, for messages: the external URL's host or the embedded data dir. */
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Restore: refuse while a server uses the embedded database, instead of sharing it. */
  exclusive?: boolean;
  /** Every command but migrate and restore works on a schema at this release's version. */
  requireCurrentSchema?: boolean;
  /** Where notes about the database go (stderr), so stdout stays the command's output. */
  note: (line: string) => void;
}

/**
 * The database a command works on, found the way the server finds it: DATABASE_URL when set,
 * else the embedded PostgreSQL in CRM_DATA_DIR, started for the command and stopped after it.
 * While a server runs on that directory it holds the directory's lock and its PostgreSQL;
 * the command then connects to that PostgreSQL with the credentials kept beside the cluster,
 * so online commands (backup, create-admin) work without stopping the server; exclusive ones
 * (restore) refuse.
 */
export async function openCliDatabase(env: Env, options: OpenOptions): Promise<CliDatabase> {
  const db = await locate(env, options);
  try {
    if (options.requireCurrentSchema) {
      const { pending } = await migrationPlan(db.dataSource);
      if (pending.length)
        throw new CliError(
          EXIT.failure,
          `the database schema is behind this release (${pending.length} migration(s) pending): run \`relasi migrate\` first`,
        );
    }
    return db;
  } catch (e) {
    await db.close();
    throw e;
  }
}

async function locate(env: Env, options: OpenOptions): Promise<CliDatabase> {
  if (env.databaseUrl) {
    const url = new URL(env.databaseUrl);
    return connect(env, env.databaseUrl, `${url.hostname}:${url.port || 5432}${url.pathname}`);
  }
  const dataDir = resolve(env.dataDir);
  try {
    const embedded = await startEmbeddedDatabase({
      dataDir,
      port: env.embeddedPgPort,
      database: 'relasi',
      log: () => undefined,
    });
    return await connect(env, embedded.url, `the embedded database in ${dataDir}`, () =>
      embedded.stop(),
    ).catch(async (e: unknown) => {
      await embedded.stop();
      throw e;
    });
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    if (options.exclusive)
      throw new CliError(
        EXIT.failure,
        `${e.message}\nThis command needs the database to itself: stop the server first.`,
      );
    options.note(
      `a Relasi server (pid ${e.holder.pid}) is running on ${dataDir}: using its PostgreSQL`,
    );
    return connect(
      env,
      runningEmbeddedUrl(dataDir, env.embeddedPgPort),
      `the embedded database of the server running on ${dataDir}`,
    );
  }
}

function runningEmbeddedUrl(dataDir: string, port: number): string {
  const file = join(dataDir, 'postgres-credentials.json');
  if (!existsSync(file))
    throw new CliError(EXIT.failure, `no database credentials in ${dataDir} (is it a data dir?)`);
  const { user, password } = JSON.parse(readFileSync(file, 'utf8')) as {
    user: string;
    password: string;
  };
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/relasi`;
}

async function connect(
  env: Env,
  url: string,
  description: string,
  stop?: () => Promise<void>,
): Promise<CliDatabase> {
  const dataSource = new DataSource(cliDataSourceOptions(env, url));
  try {
    await dataSource.initialize();
  } catch (e) {
    if (!isUnreachable(e)) throw e;
    throw new CliError(
      EXIT.unreachable,
      `cannot reach ${description}: ${(e as Error).message || (e as { code?: string }).code}`,
    );
  }
  return {
    dataSource,
    url,
    description,
    close: async () => {
      await dataSource.destroy();
      await stop?.();
    },
  };
}

/** A command is one client: a small pool, and no statement timeout for long dumps and loads. */
export function cliDataSourceOptions(env: Env, url: string) {
  return dataSourceOptions({ ...env, dbPoolSize: 2, statementTimeoutMs: 0 }, url);
}
