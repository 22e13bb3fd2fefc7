import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import type { RawMapping } from './import-mapping.js';
import { releaseStagedRows } from './import-retention.js';

/** An import as a run of it works with it. */
export interface ImportState {
  id: string;
  entity: string;
  status: string;
  duplicates: 'skip' | 'update' | 'create';
  mapping: RawMapping | null;
  columns: string[];
  next_row: number;
  owner_id: string;
}

/** One row of the uploaded file, waiting to be written. */
export interface StagedRow {
  row_number: number;
  line: number;
  cells: string[];
}

/** One problem of one row, as stored in import_errors. */
export interface RowError {
  row: number;
  line: number;
  column: string | null;
  field: string | null;
  code: string;
  message: string;
  params: Record<string, unknown> | null;
  value: string | null;
}

/** What a written batch adds to the import's counters. */
export interface BatchCounts {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** The SQL of running an import: its state, its staged rows and its rows' errors. */
@Injectable()
export class ImportStore {
  constructor(private readonly db: DatabaseService) {}

  /** Marks the import running; undefined when it was cancelled, finished or is gone. */
  async start(importId: string): Promise<ImportState | undefined> {
    const [state] = await this.db.query<ImportState>(
      RequestContext.system(),
      `UPDATE imports SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING id, entity, status, duplicates, mapping, columns, next_row, owner_id`,
      [importId],
    );
    return state;
  }

  async complete(importId: string): Promise<void> {
    await this.db.query(
      RequestContext.system(),
      `UPDATE imports SET status = 'completed', finished_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [importId],
    );
  }

  /** Ends an import that cannot go on; the rows it did not get to are not needed any more. */
  async fail(importId: string, reason: string): Promise<void> {
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const failed = await this.db.query(
        tx,
        `UPDATE imports SET status = 'failed', error = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [importId, reason.slice(0, 2000)],
      );
      if (failed.length) await releaseStagedRows(this.db, tx, importId);
    });
  }

  /** Up to `limit` staged rows from row `start` on, in file order. */
  staged(importId: string, start: number, limit: number): Promise<StagedRow[]> {
    return this.db.query<StagedRow>(
      RequestContext.system(),
      `SELECT row_number, line, cells FROM import_rows
        WHERE import_id = $1 AND row_number >= $2 ORDER BY row_number LIMIT $3`,
      [importId, start, limit],
    );
  }

  /**
   * Locks the import for a batch's transaction: whether it still runs and the batch starting
   * at `start` is the one it waits for (not written meanwhile by another run).
   */
  async claimBatch(tx: RequestContext, importId: string, start: number): Promise<boolean> {
    const [current] = await this.db.query<{ status: string; next_row: number }>(
      tx,
      `SELECT status, next_row FROM imports WHERE id = $1 FOR UPDATE`,
      [importId],
    );
    return !!current && current.status === 'running' && current.next_row === start;
  }

  /**
   * Ends a batch from `start` to `last`: its errors, the counters, the next row to read, and
   * its written rows unstaged. Failed rows stay staged: the errors CSV gives them back as
   * they were.
   */
  async finishBatch(
    tx: RequestContext,
    importId: string,
    batch: { start: number; last: number; errors: RowError[]; failed: number[] },
    counts: BatchCounts,
  ): Promise<void> {
    await this.saveErrors(tx, importId, batch.errors);
    await this.db.query(
      tx,
      `UPDATE imports SET next_row = $2, processed = processed + $3, created = created + $4,
              updated = updated + $5, skipped = skipped + $6, failed = failed + $7, updated_at = now()
        WHERE id = $1`,
      [
        importId,
        batch.last + 1,
        counts.processed,
        counts.created,
        counts.updated,
        counts.skipped,
        counts.failed,
      ],
    );
    await this.db.query(
      tx,
      `DELETE FROM import_rows WHERE import_id = $1 AND row_number BETWEEN $2 AND $3
          AND NOT (row_number = ANY($4::int[]))`,
      [importId, batch.start, batch.last, batch.failed],
    );
  }

  /** Runs `work` so that its failure undoes only its own statements, then calls `failed`. */
  async savepoint(
    tx: RequestContext,
    work: () => Promise<void>,
    failed: (err: unknown) => void | Promise<void>,
  ): Promise<void> {
    await this.db.query(tx, `SAVEPOINT import_step`);
    try {
      await work();
      await this.db.query(tx, `RELEASE SAVEPOINT import_step`);
    } catch (err) {
      await this.db.query(tx, `ROLLBACK TO SAVEPOINT import_step`);
      await failed(err);
    }
  }

  private async saveErrors(tx: RequestContext, importId: string, errors: RowError[]) {
    if (errors.length === 0) return;
    await this.db.query(
      tx,
      `INSERT INTO import_errors (id, import_id, row_number, line, column_name, field, code, message, params, value)
       SELECT id, $1, row_number, line, column_name, field, code, message, params::jsonb, value
         FROM unnest($2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           AS e(id, row_number, line, column_name, field, code, message, params, value)`,
      [
        importId,
        errors.map(() => uuidv7()),
        errors.map((e) => e.row),
        errors.map((e) => e.line),
        errors.map((e) => e.column),
        errors.map((e) => e.field),
        errors.map((e) => e.code),
        errors.map((e) => e.message),
        errors.map((e) => (e.params ? JSON.stringify(e.params) : null)),
        errors.map((e) => e.value),
      ],
    );
  }
}
