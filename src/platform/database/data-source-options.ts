import type { EventEmitter } from 'node:events';
import type { DataSourceOptions } from 'typeorm';
import type { Env } from '#platform/config/env.js';
import { MIGRATIONS } from '#migrations/index.js';

const ignoreLateError = (): void => undefined;

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
      // A connection the server drops (a restart, a failover) can emit 'error' again after
      // its user has released it and removed its own listener; with no listener left, Node
      // would end the whole process. The error itself reaches whoever was using the
      // connection (its query fails) or the pool's error handler, so this only keeps it there.
      onConnect: (client: EventEmitter) => {
        client.on('error', ignoreLateError);
      },
    },
  };
}
