import type { Logger } from '@nestjs/common';
import { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';

/**
 * Keeps the planner and the GIN indexes of a table in step with an import that grows it.
 * Statistics of a table that was small say "small" until autovacuum comes around, and plans
 * made on them (an import's duplicate lookups above all) turn into scans of the whole table: the
 * columns the lookups filter on are analysed (on a small sample: the row count is what
 * matters) each time the import has doubled the table. A GIN index takes new entries into
 * a pending list that every lookup reads in full; those the lookups use are merged after
 * each batch, as vacuum would do.
 */
export class TableUpkeep {
  private gin: string[] | null = null;
  private rowsAtAnalyze = 0;
  private grown = 0;

  constructor(
    private readonly db: DatabaseService,
    private readonly table: string,
    /** Columns the import's lookups filter on. */
    private readonly columns: readonly string[],
    private readonly logger: Logger,
  ) {}

  async afterBatch(written: number): Promise<void> {
    if (written === 0 || this.columns.length === 0) return;
    const ctx = RequestContext.system();
    try {
      if (this.gin === null) {
        const [stats] = await this.db.query<{ n: number }>(
          ctx,
          `SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = $1::regclass`,
          [this.table],
        );
        this.rowsAtAnalyze = stats?.n ?? 0;
        this.gin = (
          await this.db.query<{ name: string }>(
            ctx,
            `SELECT DISTINCT c.relname AS name FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
              WHERE i.indrelid = $1::regclass AND am.amname = 'gin' AND a.attname = ANY($2::text[])
                AND NOT coalesce(c.reloptions @> ARRAY['fastupdate=off'], false)`,
            [this.table, this.columns],
          )
        ).map((r) => r.name);
      }
      this.grown += written;
      for (const index of this.gin)
        await this.db.query(ctx, `SELECT gin_clean_pending_list($1::regclass)`, [index]);
      if (this.grown >= Math.max(1000, this.rowsAtAnalyze)) {
        await this.db.transaction(ctx, async (tx) => {
          await this.db.query(tx, `SET LOCAL default_statistics_target = 10`);
          await this.db.query(tx, `ANALYZE ${this.table} (deleted_at, ${this.columns.join(', ')})`);
        });
        this.rowsAtAnalyze += this.grown;
        this.grown = 0;
      }
    } catch (err) {
      // Upkeep makes imports faster, never correct: without the rights for it, go on.
      this.logger.warn(`index upkeep on ${this.table} skipped: ${(err as Error).message}`);
      this.gin = [];
      this.rowsAtAnalyze = Number.POSITIVE_INFINITY;
    }
  }
}
