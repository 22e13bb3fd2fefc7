import { DataSource } from 'typeorm';
import { loadCrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { CustomizationService } from '#platform/customization/customization.service.js';
import { createLogger } from '#platform/observability/logger.js';
import { APP_CONFIG } from '../../src/app-config-sections.js';
import { createServer } from '../../src/server.js';

export interface ConfigCheckOutcome {
  /** Removed picklist values that records still use: the config would stop the start. */
  blocked: boolean;
}

/**
 * Validates a crm.config.yaml (shape and meaning, every problem with its path, thrown as a
 * CrmConfigError) and prints what applying it would change. With DATABASE_URL it compares
 * against that database; without, it lists every index the config implies.
 */
export async function checkConfig(
  file: string,
  env: Env,
  print: (line: string) => void,
): Promise<ConfigCheckOutcome> {
  const config = loadCrmConfig(file, APP_CONFIG);
  const connect = env.databaseUrl !== null;
  const app = await createServer({
    env,
    config,
    databaseUrl: env.databaseUrl ?? 'postgres://unused@127.0.0.1/unused',
    logger: createLogger('silent'),
    connect,
  });
  try {
    const customization = app.get(CustomizationService);
    print(`${file}: config is valid.`);
    if (!connect || !app.get(DataSource).isInitialized) {
      for (const p of customization.plannedIndexes()) print(`index: ${p.sql}`);
      print('(set DATABASE_URL to compare with a database)');
      return { blocked: false };
    }
    const plan = await customization.plan();
    for (const p of plan.create) print(`would run: ${p.sql}`);
    for (const name of plan.drop) print(`would run: DROP INDEX IF EXISTS ${name}`);
    for (const problem of plan.removedValuesInUse) print(`blocked: ${problem}`);
    if (!plan.create.length && !plan.drop.length) print('no database changes.');
    return { blocked: plan.removedValuesInUse.length > 0 };
  } finally {
    await app.close();
  }
}
