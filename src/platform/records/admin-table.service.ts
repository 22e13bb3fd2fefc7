import { listAdminTable, type AdminListPage } from '#platform/access/admin-list.js';
import type { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import {
  diffRecords,
  type FieldChange,
  type HistoryEntry,
  type HistoryService,
} from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { QuerySchema } from '#platform/query/query-schema.js';

export interface AdminTableSpec<View> {
  /** The table, its history key (`entity`) and what a list filters and sorts on. */
  schema: QuerySchema;
  /** Noun for a 404, e.g. `role`. */
  label: string;
  /** Columns a read returns; `*` unless some must never leave the table (password hashes). */
  columns?: string;
  /** What `fields=` may name. */
  fields: readonly (keyof View & string)[];
  /** Fields of the representation whose changes the history leaves out. */
  historyIgnored: ReadonlySet<string>;
}

/** The routes every administration table serves (see `adminTableController`). */
export interface AdminTable<View> {
  list(ctx: RequestContext, request: ListRequest): Promise<AdminListPage<View>>;
  get(ctx: RequestContext, id: string): Promise<View>;
  create(ctx: RequestContext, input: object): Promise<View>;
  update(
    ctx: RequestContext,
    id: string,
    patch: object,
    ifMatch: string | undefined,
  ): Promise<View>;
  remove(ctx: RequestContext, id: string, ifMatch: string | undefined): Promise<void>;
  restore(ctx: RequestContext, id: string): Promise<View>;
  historyOf(
    ctx: RequestContext,
    id: string,
    limit: number,
    cursor: string | null,
  ): Promise<{ data: HistoryEntry[]; nextCursor: string | null }>;
}

/**
 * What every soft-deletable administration table (users, teams, roles, webhooks, exchange
 * rates) does alike: list, read, delete, restore and show history, each write with its
 * history entry. A table's service adds create, update and its own rules through the
 * protected steps.
 */
export abstract class AdminTableService<
  Row extends { id: string; version: number },
  View extends { id: string },
> implements AdminTable<View> {
  protected constructor(
    protected readonly db: DatabaseService,
    protected readonly permissions: PermissionEvaluator,
    protected readonly history: HistoryService,
    private readonly table: AdminTableSpec<View>,
  ) {}

  abstract create(ctx: RequestContext, input: object): Promise<View>;

  abstract update(
    ctx: RequestContext,
    id: string,
    patch: object,
    ifMatch: string | undefined,
  ): Promise<View>;

  /** Row → representation, a page at a time so that related rows load in one query. */
  protected abstract present(ctx: RequestContext, rows: Row[]): Promise<View[]>;

  async list(ctx: RequestContext, request: ListRequest): Promise<AdminListPage<View>> {
    this.authorizeRead(ctx);
    return listAdminTable(
      this.db,
      ctx,
      this.table.schema,
      request,
      (rows) => this.present(ctx, rows as unknown as Row[]),
      this.table.fields,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<View> {
    this.authorizeRead(ctx);
    return this.view(ctx, await this.load(ctx, id));
  }

  /** Soft delete: the row leaves lists and reads until it is restored. */
  async remove(ctx: RequestContext, id: string, ifMatch: string | undefined): Promise<void> {
    this.permissions.requireAdmin(ctx.user);
    await this.db.transaction(ctx, async (tx) => {
      const row = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, row.version);
      await this.deleteRow(tx, row);
    });
    this.afterRemoveOrRestore();
  }

  async restore(ctx: RequestContext, id: string): Promise<View> {
    this.permissions.requireAdmin(ctx.user);
    const restored = await this.db.transaction(ctx, async (tx) => {
      const row = await this.load(tx, id, { forUpdate: true, deleted: true });
      return this.view(tx, await this.restoreRow(tx, row));
    });
    this.afterRemoveOrRestore();
    return restored;
  }

  async historyOf(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    this.permissions.requireAdmin(ctx.user);
    await this.load(ctx, id);
    return this.history.list(ctx, this.table.schema.entity, id, {
      limit,
      cursor,
      hidden: new Set(),
    });
  }

  /** Admins only; a table that every user may read overrides this. */
  protected authorizeRead(ctx: RequestContext): void {
    this.permissions.requireAdmin(ctx.user);
  }

  /** The live row (or with `deleted`, the deleted one), else 404. */
  protected async load(
    ctx: RequestContext,
    id: string,
    opts: { forUpdate?: boolean; deleted?: boolean } = {},
  ): Promise<Row> {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT ${this.table.columns ?? '*'} FROM ${this.table.schema.table} WHERE id = $1 AND deleted_at IS ${opts.deleted ? 'NOT NULL' : 'NULL'} ${opts.forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw AppError.notFound(this.table.label, id);
    return row;
  }

  protected async view(ctx: RequestContext, row: Row): Promise<View> {
    const [view] = await this.present(ctx, [row]);
    return view;
  }

  /** Deletes a live row that `remove` has locked; a table with rules of its own checks them first. */
  protected async deleteRow(tx: RequestContext, row: Row): Promise<void> {
    await this.markDeleted(tx, row.id);
  }

  /** Marks a row deleted; `alsoSet` adds assignments (e.g. `active = false`) recorded as `changes`. */
  protected async markDeleted(
    tx: RequestContext,
    id: string,
    options: { alsoSet?: string; changes?: FieldChange[] } = {},
  ): Promise<void> {
    const extra = options.alsoSet ? `, ${options.alsoSet}` : '';
    await this.db.query(
      tx,
      `UPDATE ${this.table.schema.table} SET deleted_at = now()${extra}, version = version + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
    await this.history.record(tx, this.table.schema.entity, id, 'delete', options.changes ?? []);
  }

  /** Brings back a deleted row that `restore` has locked; a table checks what must still hold first. */
  protected async restoreRow(tx: RequestContext, row: Row): Promise<Row> {
    await this.db.query(
      tx,
      `UPDATE ${this.table.schema.table} SET deleted_at = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
      [row.id],
    );
    await this.history.record(tx, this.table.schema.entity, row.id, 'restore', []);
    return this.load(tx, row.id);
  }

  /** Runs once a delete or restore has committed, for caches that depend on the table. */
  protected afterRemoveOrRestore(): void {}

  protected recordCreated(tx: RequestContext, view: View): Promise<void> {
    return this.history.record(
      tx,
      this.table.schema.entity,
      view.id,
      'create',
      diffRecords({}, fieldsOf(view), this.table.historyIgnored),
    );
  }

  /** `extra` adds what the representation cannot show, such as that the password changed. */
  protected recordUpdated(
    tx: RequestContext,
    before: View,
    after: View,
    extra: FieldChange[] = [],
  ): Promise<void> {
    return this.history.record(tx, this.table.schema.entity, after.id, 'update', [
      ...diffRecords(fieldsOf(before), fieldsOf(after), this.table.historyIgnored),
      ...extra,
    ]);
  }
}

const fieldsOf = (view: object) => ({ ...view }) as Record<string, unknown>;
