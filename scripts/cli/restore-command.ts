import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { Env } from '#platform/config/env.js';
import { migrate } from '#platform/database/migrator.js';
import { MIGRATIONS } from '#migrations/index.js';
import { tablesOf } from './backup-command.js';
import {
  BACKUP_FORMAT,
  END_OF_DATA,
  END_PREFIX,
  HEADER_PREFIX,
  parseCopyLine,
  quoteIdent,
  SEQUENCE_PREFIX,
  type BackupHeader,
  type BackupTrailer,
} from './backup-format.js';
import { cliDataSourceOptions, type CliDatabase } from './cli-database.js';
import { CliError, EXIT } from './cli-errors.js';
import { migrationPlan, nameOf } from './migrate-command.js';

function isPrefix(short: string[], long: string[]): boolean {
  return short.length <= long.length && short.every((name, i) => long[i] === name);
}

async function readHeader(file: string): Promise<BackupHeader> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  try {
    for await (const line of lines) {
      if (!line.startsWith(HEADER_PREFIX)) break;
      const header = JSON.parse(line.slice(HEADER_PREFIX.length)) as BackupHeader;
      if (header.format !== BACKUP_FORMAT)
        throw new CliError(EXIT.usage, `${file}: backup format ${header.format} is not supported`);
      return header;
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
  } finally {
    lines.close();
  }
  throw new CliError(EXIT.usage, `${file} is not a Relasi backup`);
}

/** Brings the schema to exactly the backup's migrations, so its columns match the file's. */
async function migrateTo(env: Env, url: string, migrations: string[]): Promise<void> {
  const upTo = MIGRATIONS.slice(0, migrations.length);
  const ds = new DataSource({ ...cliDataSourceOptions(env, url), migrations: upTo });
  await ds.initialize();
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * `relasi restore <file>`: replaces every row of the database with the backup's. The schema is
 * first migrated to the backup's version, the rows are loaded in one transaction (foreign keys
 * and triggers held off while the tables fill, as pg_restore does), the row counts are checked
 * against the file's trailer before commit, and newer migrations then bring the data up to this
 * release. A database that already holds users is only replaced with `--replace`.
 */
export async function restoreCommand(
  db: CliDatabase,
  env: Env,
  input: { file: string; replace: boolean },
  print: (line: string) => void,
): Promise<void> {
  const header = await readHeader(input.file);
  const known = db.dataSource.migrations.map(nameOf);
  if (!isPrefix(header.migrations, known))
    throw new CliError(
      EXIT.wrongState,
      `the backup was made by a newer release (schema at ${header.migrations.at(-1)}): upgrade Relasi first`,
    );
  const { applied } = await migrationPlan(db.dataSource);
  if (!isPrefix(applied, header.migrations))
    throw new CliError(
      EXIT.wrongState,
      `the database's schema (${applied.at(-1)}) is newer than the backup's (${header.migrations.at(-1)}): restore into an empty database`,
    );
  if (applied.length && !input.replace) {
    const [{ users }] = await db.dataSource.query<[{ users: number }]>(
      `SELECT count(*)::int AS users FROM users`,
    );
    if (users > 0)
      throw new CliError(
        EXIT.wrongState,
        `${db.description} already holds data (${users} users): add --replace to overwrite it`,
      );
  }
  await migrateTo(env, db.url, header.migrations);

  const client = new pg.Client({ connectionString: db.url, application_name: 'relasi-cli' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    const tables = await tablesOf(client);
    if (tables.length)
      await client.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(', ')}`);
    const counts = await loadRows(client, input.file);
    checkCounts(counts.loaded, counts.trailer, input.file);
    await client.query('COMMIT');
    const total = Object.values(counts.loaded).reduce((a, b) => a + b, 0);
    print(`restored ${total} rows into ${Object.keys(counts.loaded).length} tables`);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  const later = await migrate(db.dataSource);
  if (later.length) print(`then applied: ${later.join(', ')}`);
}

async function loadRows(
  client: pg.Client,
  file: string,
): Promise<{ loaded: Record<string, number>; trailer: BackupTrailer | null }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  const loaded: Record<string, number> = {};
  let trailer: BackupTrailer | null = null;
  let copy: { table: string; stream: NodeJS.WritableStream; done: Promise<unknown> } | null = null;
  for await (const line of lines) {
    if (copy) {
      if (line === END_OF_DATA) {
        copy.stream.end();
        await copy.done;
        copy = null;
      } else {
        loaded[copy.table] = (loaded[copy.table] ?? 0) + 1;
        if (!copy.stream.write(`${line}\n`)) await once(copy.stream, 'drain');
      }
      continue;
    }
    const target = parseCopyLine(line);
    if (target) {
      const stream = client.query(
        copyFrom(
          `COPY ${quoteIdent(target.table)} (${target.columns.map(quoteIdent).join(', ')}) FROM STDIN`,
        ),
      );
      loaded[target.table] = 0;
      copy = { table: target.table, stream, done: once(stream, 'finish') };
    } else if (line.startsWith(SEQUENCE_PREFIX)) {
      const [name, value] = JSON.parse(line.slice(SEQUENCE_PREFIX.length)) as [string, string];
      await client.query(`SELECT setval($1::regclass, $2::bigint, true)`, [quoteIdent(name), value]);
    } else if (line.startsWith(END_PREFIX)) {
      trailer = JSON.parse(line.slice(END_PREFIX.length)) as BackupTrailer;
    }
  }
  if (copy) throw new CliError(EXIT.usage, `${file} ends inside the rows of ${copy.table}`);
  return { loaded, trailer };
}

function checkCounts(
  loaded: Record<string, number>,
  trailer: BackupTrailer | null,
  file: string,
): void {
  if (!trailer) throw new CliError(EXIT.usage, `${file} is incomplete: it has no end marker`);
  for (const [table, rows] of Object.entries(trailer.rows)) {
    if (loaded[table] !== rows)
      throw new CliError(
        EXIT.usage,
        `${file}: table ${table} has ${loaded[table] ?? 0} rows, the backup recorded ${rows}; nothing was restored`,
      );
  }
}
