import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from './app-config-sections.js';
import { AppModule } from './app.module.js';
import { loadCrmConfig } from '#platform/config/crm-config.js';
import { parseEnv } from '#platform/config/env.js';
import { EventDispatcher } from '#platform/events/event-dispatcher.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { createLogger, NestPinoLogger } from '#platform/observability/logger.js';

/**
 * Background work without HTTP, so a deployment can scale workers apart from API processes
 * (set CRM_RUN_WORKERS=false on the API processes then). Needs DATABASE_URL; it waits for the
 * API processes to have migrated the schema.
 */
async function main(): Promise<void> {
  const env = parseEnv();
  const config = loadCrmConfig(env.configPath, APP_CONFIG);
  const logger = createLogger(env.logLevel);
  if (!env.databaseUrl)
    throw new Error('the worker needs DATABASE_URL (the embedded database belongs to `npm start`)');
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ env, config, databaseUrl: env.databaseUrl, connect: true }),
    {
      logger: new NestPinoLogger(logger),
    },
  );
  const dataSource = app.get(DataSource);
  while (await dataSource.showMigrations()) {
    logger.info('waiting for migrations to be applied');
    await new Promise((r) => setTimeout(r, 2000));
  }
  await app.get(EventDispatcher).start();
  await app.get(JobsService).start();
  logger.info('worker running');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'worker stopping');
    // Background work first, while the pool is still open (see main.ts).
    await app.get(JobsService).stop();
    await app.get(EventDispatcher).stop();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`relasi worker: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
