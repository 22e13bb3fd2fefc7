import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ensureFirstAdmin } from '#platform/access/admin-bootstrap.js';
import { PasswordHasher } from '#platform/auth/password-hasher.js';
import { CrmConfigError, loadCrmConfig, type CrmConfig } from '#platform/config/crm-config.js';
import { CustomizationService } from '#platform/customization/customization.service.js';
import { parseEnv, type Env } from '#platform/config/env.js';
import { DataDirLockedError } from '#platform/database/data-dir-lock.js';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '#platform/database/embedded-database.js';
import { migrate } from '#platform/database/migrator.js';
import { EventDispatcher } from '#platform/events/event-dispatcher.js';
import { Readiness } from '#platform/health/readiness.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { createLogger } from '#platform/observability/logger.js';
import { APP_CONFIG } from './app-config-sections.js';
import { createServer } from './server.js';

function loadSettings(): { env: Env; config: CrmConfig } {
  try {
    const env = parseEnv();
    return { env, config: loadCrmConfig(env.configPath, APP_CONFIG) };
  } catch (e) {
    process.stderr.write(`relasi: cannot start.\n${(e as Error).message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const { env, config } = loadSettings();
  const logger = createLogger(env.logLevel);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = env.databaseUrl;
  if (!databaseUrl) {
    logger.info({ dataDir: env.dataDir, port: env.embeddedPgPort }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedDatabase({
      dataDir: env.dataDir,
      port: env.embeddedPgPort,
      database: 'relasi',
      log: (line) => logger.debug({ component: 'postgres' }, line),
    }).catch((e: unknown) => {
      if (!(e instanceof DataDirLockedError)) throw e;
      process.stderr.write(`relasi: cannot start.\n${e.message}\n`);
      process.exit(2);
    });
    databaseUrl = embedded.url;
  }

  const app = await createServer({ env, config, databaseUrl, logger }).catch(async (e: unknown) => {
    await embedded?.stop();
    if (e instanceof CrmConfigError) {
      process.stderr.write(`relasi: cannot start.\n${e.message}\n`);
      process.exit(2);
    }
    throw e;
  });
  const readiness = app.get(Readiness);
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    readiness.markNotReady('stopping');
    logger.info({ signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, env.shutdownTimeoutMs);
    force.unref();
    try {
      // Background work first, while the pool is still open: the event listener holds a
      // pooled connection that would otherwise keep the pool (and the shutdown) from ending.
      await app.get(JobsService).stop();
      await app.get(EventDispatcher).stop();
      await app.close();
      await embedded?.stop();
      logger.info('stopped');
    } catch (e) {
      logger.error({ err: e }, 'error while stopping');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: env.port, host: env.host });
  logger.info({ port: env.port }, `listening on http://${env.host}:${env.port} (docs at /docs)`);

  const dataSource = app.get(DataSource);
  try {
    if (env.runMigrations) {
      const applied = await migrate(dataSource);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    } else if (await dataSource.showMigrations()) {
      throw new Error(
        'pending migrations and CRM_RUN_MIGRATIONS=false: run `npm run migrate` first',
      );
    }
    const indexes = await app.get(CustomizationService).apply();
    if (indexes.created.length || indexes.dropped.length)
      logger.info(indexes, 'custom field indexes updated');
    await ensureFirstAdmin(dataSource, env, app.get(PasswordHasher), (m) => {
      logger.warn(m);
      if (m.includes('password')) process.stdout.write(`\n${m}\n\n`);
    });
  } catch (e) {
    if (e instanceof CrmConfigError) {
      process.stderr.write(`relasi: cannot start.\n${e.message}\n`);
      await stop('config-conflict', 2);
      return;
    }
    logger.fatal({ err: e }, 'database migration failed; stopping');
    await stop('migration-failure', 1);
    return;
  }
  readiness.markReady();
  if (env.runWorkers) {
    await app.get(EventDispatcher).start();
    await app.get(JobsService).start();
  }
  logger.info({ workers: env.runWorkers }, 'ready');
}

main().catch((e: unknown) => {
  process.stderr.write(`relasi: failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
