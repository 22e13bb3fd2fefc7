import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
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

/**
 * The file's lines, decompressed. Iterating the gunzip stream itself (not readline over it)
 * makes a cut-short or corrupt file an error of the loop instead of an input that never ends.
 */
async function* backupLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  createReadStream(file)
    .on('error', (e) => gunzip.destroy(e))
    .pipe(gunzip);
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
      yield data.toString('utf8', start, end);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length) yield rest.toString('utf8');
}

/** A file that is not whole: cut short, edited, or not a backup at all. */
function refused(file: string, why: string): CliError {
  return new CliError(EXIT.failure, `${file} cannot be restored: ${why}; nothing was restored`);
}

async function readHeader(file: string): Promise<BackupHeader> {
  const lines = backupLines(file);
  try {
    for await (const line of lines) {
      if (!line.startsWith(HEADER_PREFIX)) break;
      const header = JSON.parse(line.slice(HEADER_PREFIX.length)) as BackupHeader;
      if (header.format !== BACKUP_FORMAT)
        throw refused(file, `backup format ${header.format} is not supported`);
      return header;
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw refused(file, (e as Error).message);
  } finally {
    await lines.return(undefined);
  }
  throw refused(file, 'it is not a Relasi backup');
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

/** Refuses a backup of a newer release, a newer schema, or (without --force) a database in use. */
async function checkTarget(db: CliDatabase, header: BackupHeader, force: boolean): Promise<void> {
  const known = db.dataSource.migrations.map(nameOf);
  if (!isPrefix(header.migrations, known))
    throw new CliError(
      EXIT.failure,
      `the backup was made by a newer release (schema at ${header.migrations.at(-1)}): upgrade Relasi first`,
    );
  const { applied } = await migrationPlan(db.dataSource);
  if (!isPrefix(applied, header.migrations))
    throw new CliError(
      EXIT.failure,
      `the database's schema (${applied.at(-1)}) is newer than the backup's (${header.migrations.at(-1) ?? 'empty'}): restore into an empty database`,
    );
  if (!applied.length || force) return;
  const [{ users }] = await db.dataSource.query<[{ users: number }]>(
    `SELECT count(*)::int AS users FROM users`,
  );
  if (users > 0)
    throw new CliError(
      EXIT.failure,
      `${db.description} already holds data (${users} users): add --force to replace it`,
    );
}

/**
 * `relasi restore --in <file>`: replaces every row of the database with the backup's. The
 * schema is first migrated to the backup's version; the rows are loaded in one transaction
 * with foreign keys and triggers held off while the tables fill (session_replication_role,
 * as pg_restore does), the row counts and the digest are checked against the file's trailer
 * before commit, and this release's newer migrations then bring the data up to date.
 */
export async function restoreCommand(
  db: CliDatabase,
  env: Env,
  input: { file: string; force: boolean },
  print: (line: string) => void,
): Promise<void> {
  const header = await readHeader(input.file);
  await checkTarget(db, header, input.force);
  await migrateTo(env, db.url, header.migrations);

  const client = new pg.Client({ connectionString: db.url, application_name: 'relasi-cli' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    const tables = await tablesOf(client);
    if (tables.length)
      await client.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(', ')}`);
    const loaded = await loadRows(client, input.file).catch((e: unknown) => {
      throw e instanceof CliError ? e : refused(input.file, (e as Error).message);
    });
    await client.query('COMMIT');
    const total = Object.values(loaded).reduce((a, b) => a + b, 0);
    print(`restored ${total} rows into ${Object.keys(loaded).length} tables`);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  const later = await migrate(db.dataSource);
  if (later.length) print(`then applied: ${later.join(', ')}`);
}

/** Streams the file's rows into their tables; returns the rows per table once all is proven. */
async function loadRows(client: pg.Client, file: string): Promise<Record<string, number>> {
  const digest = createHash('sha256');
  const loaded: Record<string, number> = {};
  let trailer: BackupTrailer | null = null;
  let copy: { table: string; stream: Writable; done: Promise<unknown> } | null = null;
  try {
    for await (const line of backupLines(file)) {
      if (trailer) throw refused(file, 'it goes on after its end marker');
      if (line.startsWith(END_PREFIX) && !copy) {
        trailer = JSON.parse(line.slice(END_PREFIX.length)) as BackupTrailer;
        continue;
      }
      digest.update(`${line}\n`);
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
        const columns = target.columns.map(quoteIdent).join(', ');
        const stream = client.query(
          copyFrom(`COPY ${quoteIdent(target.table)} (${columns}) FROM STDIN`),
        );
        loaded[target.table] = 0;
        const done = once(stream, 'finish');
        // Awaited at the table's end; a COPY error before then must not go unhandled meanwhile.
        done.catch(() => undefined);
        copy = { table: target.table, stream, done };
      } else if (line.startsWith(SEQUENCE_PREFIX)) {
        const [name, value] = JSON.parse(line.slice(SEQUENCE_PREFIX.length)) as [string, string];
        await client.query(`SELECT setval($1::regclass, $2::bigint, true)`, [
          quoteIdent(name),
          value,
        ]);
      } else if (!line.startsWith(HEADER_PREFIX)) {
        throw refused(file, `unexpected line "${line.slice(0, 80)}"`);
      }
    }
    if (copy) throw refused(file, `it ends inside the rows of ${copy.table}`);
  } catch (e) {
    // A COPY left open would hold the connection: the ROLLBACK after it would never run.
    if (copy) {
      copy.stream.destroy(e as Error);
      await once(copy.stream, 'close').catch(() => undefined);
    }
    throw e;
  }
  if (!trailer) throw refused(file, 'it has no end marker (cut short?)');
  if (digest.digest('hex') !== trailer.sha256)
    throw refused(file, 'its content does not match its checksum (edited or damaged)');
  for (const table of new Set([...Object.keys(trailer.rows), ...Object.keys(loaded)])) {
    if (loaded[table] !== trailer.rows[table])
      throw refused(
        file,
        `table ${table} has ${loaded[table] ?? 0} rows, the backup recorded ${trailer.rows[table] ?? 0}`,
      );
  }
  return loaded;
}
