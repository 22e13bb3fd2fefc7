import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { Env } from '#platform/config/env.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { DataDirLockedError } from '#platform/database/data-dir-lock.js';
import { startEmbeddedDatabase } from '#platform/database/embedded-database.js';
import { CliError, EXIT } from './cli-errors.js';

export interface CliDatabase {
  readonly dataSource: DataSource;
  readonly url: string;
  /** Where the database is, for messages: the external URL's host or the embedded data dir. */
  readonly description: string;
  /** True when a running server owns the embedded database and the command shares it. */
  readonly sharedWithServer: boolean;
  close(): Promise<void>;
}

/**
 * The database a command works on, found the way the server finds it: DATABASE_URL when set,
 * else the embedded PostgreSQL in CRM_DATA_DIR. When a server is running on that directory
 * its PostgreSQL is reached through the credentials kept beside the cluster, so online
 * commands (backup, create-admin) work without stopping it; `exclusive` commands (restore)
 * refuse instead.
 */
export async function openCliDatabase(
  env: Env,
  options: { exclusive?: boolean } = {},
): Promise<CliDatabase> {
  if (env.databaseUrl) {
    const url = new URL(env.databaseUrl);
    return connect(env, env.databaseUrl, `${url.hostname}:${url.port || 5432}${url.pathname}`, {
      shared: false,
    });
  }
  const dataDir = resolve(env.dataDir);
  try {
    const embedded = await startEmbeddedDatabase({
      dataDir,
      port: env.embeddedPgPort,
      database: 'relasi',
      log: () => undefined,
    });
    return connect(env, embedded.url, `embedded database in ${dataDir}`, {
      shared: false,
      stop: () => embedded.stop(),
    }).catch(async (e: unknown) => {
      await embedded.stop();
      throw e;
    });
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    if (options.exclusive)
      throw new CliError(
        EXIT.wrongState,
        `${e.message}\nThis command needs the database to itself: stop the server first.`,
      );
    const url = runningEmbeddedUrl(dataDir, env.embeddedPgPort);
    return connect(env, url, `embedded database of the server running in ${dataDir}`, {
      shared: true,
    });
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
  how: { shared: boolean; stop?: () => Promise<void> },
): Promise<CliDatabase> {
  const dataSource = new DataSource(cliDataSourceOptions(env, url));
  await dataSource.initialize();
  return {
    dataSource,
    url,
    description,
    sharedWithServer: how.shared,
    close: async () => {
      await dataSource.destroy();
      await how.stop?.();
    },
  };
}

/** A command is one client: a small pool, and no statement timeout for long dumps and loads. */
export function cliDataSourceOptions(env: Env, url: string) {
  return dataSourceOptions({ ...env, dbPoolSize: 2, statementTimeoutMs: 0 }, url);
}
