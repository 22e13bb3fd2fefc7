import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { migrate } from '#platform/database/migrator.js';

export interface MigrationPlan {
  applied: string[];
  pending: MigrationInterface[];
}

export async function migrationPlan(dataSource: DataSource): Promise<MigrationPlan> {
  const [{ exists }] = await dataSource.query<[{ exists: boolean }]>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`,
  );
  const rows = exists
    ? await dataSource.query<{ name: string }[]>(`SELECT name FROM schema_migrations ORDER BY id`)
    : [];
  const applied = new Set(rows.map((r) => r.name));
  return {
    applied: rows.map((r) => r.name),
    pending: dataSource.migrations.filter((m) => !applied.has(nameOf(m))),
  };
}

export function nameOf(migration: MigrationInterface): string {
  return migration.name ?? migration.constructor.name;
}

/**
 * Applies pending migrations, or with `dryRun` runs them inside one transaction that is rolled
 * back, printing every statement: what the operator reviews is what a real run executes,
 * against this database's actual state (PostgreSQL rolls DDL back like any other change).
 */
export async function runMigrateCommand(
  dataSource: DataSource,
  options: { dryRun: boolean },
  print: (line: string) => void,
): Promise<void> {
  const { pending } = await migrationPlan(dataSource);
  if (!pending.length) return print('database is up to date');
  if (!options.dryRun) {
    const applied = await migrate(dataSource);
    return print(`applied: ${applied.join(', ')}`);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const recording = recordingRunner(runner, print);
    for (const migration of pending) {
      print(`-- migration ${nameOf(migration)}`);
      await migration.up(recording);
    }
    print(`-- dry run: ${pending.length} migration(s) would be applied; nothing was changed`);
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

function recordingRunner(runner: QueryRunner, print: (line: string) => void): QueryRunner {
  return new Proxy(runner, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (sql: string, parameters?: unknown[]) => {
        const statement = sql.trim().replace(/\n\s+/g, '\n  ');
        print(
          parameters?.length
            ? `${statement};  -- parameters: ${JSON.stringify(parameters)}`
            : `${statement};`,
        );
        return target.query(sql, parameters);
      };
    },
  });
}
