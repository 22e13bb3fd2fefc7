import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 72_431_977;

/**
 * Runs pending migrations, each in its own transaction, under an advisory lock so that
 * several processes starting together migrate once. Throws on the first failure, leaving
 * the database at the last migration that succeeded.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
