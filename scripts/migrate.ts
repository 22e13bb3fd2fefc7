import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseEnv } from '#platform/config/env.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { migrate } from '#platform/database/migrator.js';

/** Applies pending migrations to DATABASE_URL, for deployments that set CRM_RUN_MIGRATIONS=false. */
async function main() {
  const env = parseEnv();
  if (!env.databaseUrl) throw new Error('DATABASE_URL is required');
  const ds = new DataSource(dataSourceOptions(env, env.databaseUrl));
  await ds.initialize();
  try {
    const applied = await migrate(ds);
    process.stdout.write(
      applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`migration failed: ${(e as Error).message}\n`);
  process.exit(1);
});
