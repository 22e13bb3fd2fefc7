import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  BACKUP_FORMAT,
  copyLine,
  END_OF_DATA,
  END_PREFIX,
  HEADER_PREFIX,
  quoteIdent,
  SEQUENCE_PREFIX,
  type BackupHeader,
  type BackupTrailer,
} from './backup-format.js';

export interface TableShape {
  name: string;
  columns: string[];
}

/**
 * Ordinary tables of the schema with the columns a COPY can write back (generated columns are
 * recomputed by PostgreSQL). The migrations table is left out: a restore rebuilds the schema
 * by running the migrations the backup names.
 */
export async function tablesOf(client: pg.ClientBase): Promise<TableShape[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attgenerated = ''
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
      GROUP BY c.relname
      ORDER BY c.relname`,
  );
  return rows;
}

/** Writes into the gzip stream, waiting when it is full, and keeps the digest the trailer names. */
function digestingWriter(out: NodeJS.WritableStream) {
  const digest = createHash('sha256');
  return {
    async write(text: string | Buffer): Promise<void> {
      digest.update(text);
      if (!out.write(text)) await once(out, 'drain');
    },
    sha256: () => digest.digest('hex'),
  };
}

/**
 * `relasi backup --out <file>`: every table of the database, read in one snapshot (a REPEATABLE READ
 * transaction), so the file is consistent while the server goes on writing. Written beside the
 * target and renamed at the end, so a file with the name given is always whole; readable by its
 * owner only, since it holds customer data and password hashes.
 */
export async function backupCommand(
  databaseUrl: string,
  file: string,
  print: (line: string) => void,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'relasi-cli' });
  await client.connect();
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
  const out = digestingWriter(gzip);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = await client.query<{ name: string }>(
      `SELECT name FROM schema_migrations ORDER BY id`,
    );
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      migrations: migrations.rows.map((r) => r.name),
    };
    await out.write(`${HEADER_PREFIX}${JSON.stringify(header)}\n`);
    const rowCounts: BackupTrailer['rows'] = {};
    for (const table of await tablesOf(client)) {
      await out.write(`${copyLine(table.name, table.columns)}\n`);
      const columns = table.columns.map(quoteIdent).join(', ');
      const rows = client.query(copyTo(`COPY ${quoteIdent(table.name)} (${columns}) TO STDOUT`));
      let count = 0;
      for await (const chunk of rows as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
        await out.write(chunk);
      }
      await out.write(`${END_OF_DATA}\n`);
      rowCounts[table.name] = count;
    }
    const sequences = await client.query<{ name: string; value: string }>(
      `SELECT sequencename AS name, last_value::text AS value
         FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL`,
    );
    for (const s of sequences.rows)
      await out.write(`${SEQUENCE_PREFIX}${JSON.stringify([s.name, s.value])}\n`);
    const trailer: BackupTrailer = { rows: rowCounts, sha256: out.sha256() };
    gzip.write(`${END_PREFIX}${JSON.stringify(trailer)}\n`);
    await client.query('COMMIT');
    gzip.end();
    await written;
    renameSync(partial, file);
    const total = Object.values(trailer.rows).reduce((a, b) => a + b, 0);
    print(
      `backup written: ${file} (${Object.keys(trailer.rows).length} tables, ${total} rows, ${statSync(file).size} bytes, schema at ${header.migrations.at(-1) ?? 'none'})`,
    );
  } catch (e) {
    gzip.destroy();
    await written.catch(() => undefined);
    rmSync(partial, { force: true });
    throw e;
  } finally {
    await client.end();
  }
}
