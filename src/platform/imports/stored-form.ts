import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';

/** Marks a value whose stored form only PostgreSQL can tell. */
const UNKNOWN = Symbol('unknown');

type ReadBack = (written: unknown) => unknown;

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A default that is a literal (`'new'::text`, `'{}'::text[]`, `1`), not computed on insert. */
const LITERAL = /^(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)(?:::[a-z][a-z0-9_ ]*(?:\[\])?)?$/i;

/**
 * How the driver reads back a value as written, for the column types that store it as
 * given; other types (numeric, dates, char(n), …) normalise what they store.
 */
function readBackOf(type: string): ReadBack | null {
  if (type === 'text' || type.startsWith('character varying'))
    return (v) => (typeof v === 'string' ? v : UNKNOWN);
  if (type === 'uuid')
    return (v) => (typeof v === 'string' && CANONICAL_UUID.test(v) ? v : UNKNOWN);
  if (type === 'boolean') return (v) => (typeof v === 'boolean' ? v : UNKNOWN);
  if (type === 'integer' || type === 'smallint') return (v) => (Number.isInteger(v) ? v : UNKNOWN);
  if (type === 'text[]')
    return (v) =>
      Array.isArray(v) && v.every((e) => e === null || typeof e === 'string') ? v : UNKNOWN;
  // Written as JSON text; jsonb keeps the data, not the key order or spacing.
  if (type === 'jsonb') return (v) => (typeof v === 'string' ? JSON.parse(v) : UNKNOWN);
  return null;
}

interface Column {
  name: string;
  readBack: ReadBack | null;
  /** What a row that leaves the column out stores; UNKNOWN when computed on insert. */
  fallback: unknown;
}

/**
 * Rows an import has inserted, as PostgreSQL stores them, told without reading them back:
 * each value written in the form the driver reads it, each column left out with its
 * (literal) default. A row with a value whose stored form may differ from what was written
 * — a number, a date, a default computed on insert — has no stored form here and is read
 * back instead.
 */
export class StoredForm {
  private constructor(private readonly columns: Column[]) {}

  /** The stored form of `columns` of `table`, from the catalog. */
  static async of(
    db: DatabaseService,
    ctx: RequestContext,
    table: string,
    columns: readonly string[],
  ): Promise<StoredForm> {
    const catalog = await db.query<{ name: string; type: string; expr: string | null }>(
      ctx,
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              pg_get_expr(d.adbin, d.adrelid) AS expr
         FROM pg_attribute a
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::regclass AND a.attname = ANY($2::text[]) AND NOT a.attisdropped`,
      [table, columns],
    );
    const literals = catalog.filter((c) => c.expr !== null && LITERAL.test(c.expr));
    // The defaults as the driver reads them, by letting PostgreSQL evaluate the literals.
    const [defaults] = literals.length
      ? await db.query(ctx, `SELECT ${literals.map((c, i) => `${c.expr} AS d${i}`).join(', ')}`)
      : [{}];
    return new StoredForm(
      catalog.map((c) => {
        const literal = literals.indexOf(c);
        return {
          name: c.name,
          readBack: readBackOf(c.type),
          fallback: c.expr === null ? null : literal >= 0 ? defaults[`d${literal}`] : UNKNOWN,
        };
      }),
    );
  }

  /** The row as stored, given the columns it was inserted with; null when it must be read back. */
  row(written: Record<string, unknown>): Record<string, unknown> | null {
    const row: Record<string, unknown> = {};
    for (const c of this.columns) {
      let value: unknown;
      if (!(c.name in written)) value = c.fallback;
      else if (written[c.name] === null || written[c.name] === undefined) value = null;
      else value = c.readBack ? c.readBack(written[c.name]) : UNKNOWN;
      if (value === UNKNOWN) return null;
      row[c.name] = value;
    }
    return row;
  }
}
