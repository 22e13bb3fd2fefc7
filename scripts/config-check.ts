import { DataSource } from 'typeorm';
import { CrmConfigError, loadCrmConfig } from '#platform/config/crm-config.js';
import { parseEnv } from '#platform/config/env.js';
import { CustomizationService } from '#platform/customization/customization.service.js';
import { createLogger } from '#platform/observability/logger.js';
import { APP_CONFIG } from '../src/app-config-sections.js';
import { createServer } from '../src/server.js';

/**
 * `npm run config:check [file]`: validates a crm.config.yaml (shape and meaning) and prints
 * what applying it would change. With DATABASE_URL it compares against that database;
 * without, it lists every index the config implies.
 */
async function main() {
  const file = process.argv[2] ?? process.env.CRM_CONFIG ?? 'crm.config.yaml';
  const env = parseEnv({ ...process.env, CRM_LOG_LEVEL: 'silent' });
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
    process.stdout.write(`${file}: config is valid.\n`);
    if (connect && app.get(DataSource).isInitialized) {
      const plan = await customization.plan();
      for (const p of plan.create) process.stdout.write(`would run: ${p.sql}\n`);
      for (const name of plan.drop)
        process.stdout.write(`would run: DROP INDEX IF EXISTS ${name}\n`);
      for (const problem of plan.removedValuesInUse) process.stdout.write(`blocked: ${problem}\n`);
      if (!plan.create.length && !plan.drop.length) process.stdout.write('no database changes.\n');
      if (plan.removedValuesInUse.length) process.exitCode = 2;
    } else {
      for (const p of customization.plannedIndexes()) process.stdout.write(`index: ${p.sql}\n`);
      process.stdout.write('(set DATABASE_URL to compare with a database)\n');
    }
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    `${e instanceof CrmConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`,
  );
  process.exit(e instanceof CrmConfigError ? 2 : 1);
});
