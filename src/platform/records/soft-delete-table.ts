import type { FieldChange } from '../audit/history.service.js';
import { HistoryService } from '../audit/history.service.js';
import type { RequestContext } from '../context/request-context.js';
import { DatabaseService } from '../database/database.service.js';
import { AppError } from '../http/app-error.js';

export interface SoftDeleteTableSpec {
  table: string;
  /** History key, e.g. `roles`. */
  entity: string;
  /** Noun for a 404, e.g. `role`. */
  label: string;
  /** Columns a read returns; `*` unless some must never leave the table (password hashes). */
  columns?: string;
}

/**
 * The lifecycle steps every soft-deletable administration table shares (users, teams, roles,
 * webhooks): read the live or the deleted row, mark deleted, bring back, show history — each
 * step with its history entry. Their services keep only what is their own.
 */
export class SoftDeleteTable<Row> {
  constructor(
    private readonly db: DatabaseService,
    private readonly history: HistoryService,
    private readonly spec: SoftDeleteTableSpec,
  ) {}

  async load(
    ctx: RequestContext,
    id: string,
    opts: { forUpdate?: boolean; deleted?: boolean } = {},
  ): Promise<Row> {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT ${this.spec.columns ?? '*'} FROM ${this.spec.table} WHERE id = $1 AND deleted_at IS ${opts.deleted ? 'NOT NULL' : 'NULL'} ${opts.forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw AppError.notFound(this.spec.label, id);
    return row;
  }

  /** Marks a row deleted; `alsoSet` adds assignments (e.g. `active = false`) recorded as `changes`. */
  async softDelete(
    tx: RequestContext,
    id: string,
    options: { alsoSet?: string; changes?: FieldChange[] } = {},
  ): Promise<void> {
    const extra = options.alsoSet ? `, ${options.alsoSet}` : '';
    await this.db.query(
      tx,
      `UPDATE ${this.spec.table} SET deleted_at = now()${extra}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
    await this.history.record(tx, this.spec.entity, id, 'delete', options.changes ?? []);
  }

  async restore(tx: RequestContext, id: string): Promise<Row> {
    await this.db.query(
      tx,
      `UPDATE ${this.spec.table} SET deleted_at = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
    await this.history.record(tx, this.spec.entity, id, 'restore', []);
    return this.load(tx, id);
  }

  async historyOf(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    await this.load(ctx, id);
    return this.history.list(ctx, this.spec.entity, id, { limit, cursor, hidden: new Set() });
  }
}
