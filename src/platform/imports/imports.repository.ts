import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import type { DuplicateMode, ImportStatus } from './dto/import.dto.js';
import type { RawMapping } from './import-mapping.js';

export interface ImportRow {
  id: string;
  entity: string;
  status: ImportStatus;
  duplicates: DuplicateMode;
  mapping: RawMapping | null;
  columns: string[];
  file_name: string | null;
  file_bytes: string;
  fingerprint: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  next_row: number;
  error: string | null;
  owner_id: string;
  job_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ErrorRow {
  id: string;
  row_number: number;
  line: number;
  column_name: string | null;
  field: string | null;
  code: string;
  message: string;
  params: Record<string, unknown> | null;
  value: string | null;
}

export interface NewImport {
  id: string;
  entity: string;
  duplicates: DuplicateMode;
  mapping: RawMapping | null;
  columns: string[];
  fileName: string | null;
  fileBytes: number;
  fingerprint: string;
  total: number;
  idempotencyKey: string | null;
  ownerId: string;
}

/** A failed row with its problems, as the error CSV writes it. */
export interface FailedRow {
  row_number: number;
  line: number;
  errors: Pick<ErrorRow, 'column_name' | 'field' | 'code' | 'message' | 'params'>[];
  cells: string[] | null;
}

/**
 * The SQL of imports and their row errors (the runner writes rows and errors; see
 * import-runner.ts). A plain class owned by the imports services, not a provider, so no
 * other module can inject it.
 */
export class ImportsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Lifts the statement timeout for this transaction: COPY of a large file is one statement. */
  async allowLongStatements(tx: RequestContext): Promise<void> {
    await this.db.query(tx, `SET LOCAL statement_timeout = 0`);
  }

  /** A stream into `import_rows` (import_id, row_number, line, cells), in COPY text format. */
  async copyRows(tx: RequestContext) {
    return this.db.copyFrom(tx, `COPY import_rows (import_id, row_number, line, cells) FROM STDIN`);
  }

  /** The new import, or null when its owner has used the idempotency key already. */
  async insert(tx: RequestContext, i: NewImport): Promise<ImportRow | null> {
    const [created] = await this.db.query<ImportRow>(
      tx,
      `INSERT INTO imports (id, entity, duplicates, mapping, columns, file_name, file_bytes, fingerprint, total, idempotency_key, owner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        i.id,
        i.entity,
        i.duplicates,
        JSON.stringify(i.mapping),
        i.columns,
        i.fileName,
        i.fileBytes,
        i.fingerprint,
        i.total,
        i.idempotencyKey,
        i.ownerId,
      ],
    );
    return created ?? null;
  }

  async setJob(tx: RequestContext, id: string, jobId: string | null): Promise<void> {
    await this.db.query(tx, `UPDATE imports SET job_id = $2 WHERE id = $1`, [id, jobId]);
  }

  async findByKey(ctx: RequestContext, ownerId: string, key: string): Promise<ImportRow | null> {
    return this.db.one<ImportRow>(
      ctx,
      `SELECT * FROM imports WHERE owner_id = $1 AND idempotency_key = $2`,
      [ownerId, key],
    );
  }

  /** An import of `ownerId`'s, or any import when `anyOwner`. */
  async find(
    ctx: RequestContext,
    id: string,
    visible: { anyOwner: boolean; ownerId: string },
    forUpdate = false,
  ): Promise<ImportRow | null> {
    return this.db.one<ImportRow>(
      ctx,
      `SELECT * FROM imports WHERE id = $1 AND ($2::boolean OR owner_id = $3) ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id, visible.anyOwner, visible.ownerId],
    );
  }

  /** Rows of a compiled list query (the shared list query builder's SQL and parameters). */
  async listPage(
    ctx: RequestContext,
    sql: string,
    params: unknown[],
  ): Promise<(ImportRow & Record<string, unknown>)[]> {
    return this.db.query<ImportRow & Record<string, unknown>>(ctx, sql, params);
  }

  async listCount(ctx: RequestContext, sql: string, params: unknown[]): Promise<number> {
    const [{ n }] = await this.db.query<{ n: string }>(ctx, sql, params);
    return Number(n);
  }

  async markCancelled(tx: RequestContext, id: string): Promise<ImportRow> {
    const [updated] = await this.db.query<ImportRow>(
      tx,
      `UPDATE imports SET status = 'cancelled', finished_at = now(), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id],
    );
    return updated;
  }

  /** Up to `limit` failed rows after row number `after`, in row order, with their cells. */
  async failedRows(
    ctx: RequestContext,
    id: string,
    after: number,
    limit: number,
  ): Promise<FailedRow[]> {
    return this.db.query<FailedRow>(
      ctx,
      `SELECT g.row_number, g.line, g.errors, r.cells FROM (
         SELECT row_number, min(line) AS line,
                json_agg(json_build_object('column_name', column_name, 'field', field, 'code', code,
                                           'message', message, 'params', params) ORDER BY id) AS errors
           FROM import_errors WHERE import_id = $1 AND row_number > $2
          GROUP BY row_number ORDER BY row_number LIMIT $3
       ) g LEFT JOIN import_rows r ON r.import_id = $1 AND r.row_number = g.row_number
       ORDER BY g.row_number`,
      [id, after, limit],
    );
  }
}
