/**
 * The backup file: gzip of a text stream that reads like a data-only psql script.
 *
 *   -- relasi backup {"format":1,"createdAt":…,"migrations":[…]}
 *   COPY "accounts" ("id", "name", …) FROM stdin;
 *   <rows in COPY text format>
 *   \.
 *   -- sequence "…" 42
 *   -- end {"rows":{"accounts":1200,…},"sha256":"…"}
 *
 * COPY's text format escapes newlines and backslashes inside values, so a row is one line and
 * a line that is exactly `\.` can only be the end of a table. The trailer's row counts and its
 * SHA-256 of every line before it let a restore prove it read exactly what the backup wrote:
 * a file cut short or edited is refused before anything is committed.
 */
export const BACKUP_FORMAT = 1;
export const HEADER_PREFIX = '-- relasi backup ';
export const SEQUENCE_PREFIX = '-- sequence ';
export const END_PREFIX = '-- end ';
export const END_OF_DATA = '\\.';

export interface BackupHeader {
  format: number;
  createdAt: string;
  /** Migrations applied to the database the backup came from, in order. */
  migrations: string[];
}

export interface BackupTrailer {
  rows: Record<string, number>;
  /** Hex SHA-256 of the text before the trailer line. */
  sha256: string;
}

const COPY_LINE = /^COPY ("(?:[^"]|"")+") \(((?:"(?:[^"]|"")+"(?:, )?)+)\) FROM stdin;$/;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function copyLine(table: string, columns: string[]): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM stdin;`;
}

/** The table and column list of a COPY line, or null when the line is something else. */
export function parseCopyLine(line: string): { table: string; columns: string[] } | null {
  const m = COPY_LINE.exec(line);
  if (!m) return null;
  const unquote = (q: string) => q.slice(1, -1).replaceAll('""', '"');
  const columns = [...m[2].matchAll(/"((?:[^"]|"")+)"/g)].map((c) => unquote(`"${c[1]}"`));
  return { table: unquote(m[1]), columns };
}
