import type { DataSourceOptions } from 'typeorm';
import type { Env } from '#platform/config/env.js';
import { MIGRATIONS } from '#migrations/index.js';

/** One set of connection options for the server, the worker and the migration scripts. */
export function dataSourceOptions(env: Env, url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: env.dbPoolSize,
      statement_timeout: env.statementTimeoutMs,
      application_name: 'relasi',
      connectionTimeoutMillis: 10_000,
    },
  };
}
