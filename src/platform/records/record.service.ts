import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { HistoryService, type FieldChange } from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import type { ExtraWhere } from '#platform/query/list-query-builder.js';
import type { RecordHooks } from './record-hooks.js';
import { RecordChangeLog } from './record-history.js';
import { RecordMerger } from './record-merger.js';
import { RecordReader, type ListPage } from './record-reader.js';
import { RecordWriter } from './record-writer.js';
import type { ApiRecord, ResourceDefinition } from './resource-definition.js';
import { ResourceRegistry } from './resource-registry.js';

export type { ListPage } from './record-reader.js';
export type { RecordHooks } from './record-hooks.js';

/**
 * The REST contract for every customer record, written once: scoped reads, keyset lists,
 * validated writes in one transaction with their history, ETag checks, soft delete, restore,
 * merge and purge. Resources add their own rules through hooks (see RecordHooks), which
 * every write path runs. The work itself lives in RecordReader, RecordWriter and RecordMerger.
 */
@Injectable()
export class RecordService {
  constructor(
    private readonly reader: RecordReader,
    private readonly writer: RecordWriter,
    private readonly merger: RecordMerger,
    private readonly changeLog: RecordChangeLog,
    private readonly history: HistoryService,
    private readonly permissions: PermissionEvaluator,
    private readonly registry: ResourceRegistry,
  ) {}

  /**
   * Makes a resource known to the platform (lists, imports, merges, custom fields), with the
   * attributes of it that hold another resource's id: merging two of those records then moves
   * these references to the survivor.
   */
  registerResource(def: ResourceDefinition, pointsAt: Readonly<Record<string, string>>): void {
    this.registry.register(def);
    for (const [attribute, target] of Object.entries(pointsAt)) {
      const a = def.attributes.find((x) => x.name === attribute);
      if (!a) throw new Error(`${def.entity}.${attribute} is not an attribute`);
      this.registry.addReference(target, {
        table: def.table,
        column: a.column,
        entity: def.entity,
        attribute,
        ...(a.kind === 'array' ? { array: true } : {}),
      });
    }
  }

  /** The record as the caller may see it, or 404 when it is outside the read scope. */
  load(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    opts: { forUpdate?: boolean; deleted?: boolean } = {},
  ): Promise<ApiRecord> {
    return this.reader.load(ctx, def, id, opts);
  }

  /** Removes hidden fields and applies `fields=` projection. */
  present(
    ctx: RequestContext,
    def: ResourceDefinition,
    record: Record<string, unknown>,
    fields: string[] | null = null,
  ): Record<string, unknown> {
    return this.reader.present(ctx, def, record, fields);
  }

  get(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    include: string[] = [],
    fields: string[] | null = null,
  ): Promise<{ record: Record<string, unknown>; version: number }> {
    return this.reader.get(ctx, def, id, include, fields);
  }

  list(
    ctx: RequestContext,
    def: ResourceDefinition,
    request: Parameters<RecordReader['list']>[2],
    extraWhere: ExtraWhere[] = [],
  ): Promise<ListPage> {
    return this.reader.list(ctx, def, request, extraWhere);
  }

  /**
   * Everything `create` checks and derives before it writes one record, and the columns it
   * will insert. Bulk writers (CSV import) call it for each record, so a record they write
   * passes exactly the rules of POST.
   */
  prepareCreate(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
    hooks: RecordHooks = {},
    options: { allowDuplicate?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    return this.writer.prepareCreate(ctx, def, input, hooks, options);
  }

  create(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
    hooks: RecordHooks = {},
    options: { allowDuplicate?: boolean } = {},
  ): Promise<ApiRecord> {
    return this.writer.create(ctx, def, input, hooks, options);
  }

  update(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    patch: Record<string, unknown>,
    ifMatch: string | undefined,
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    return this.writer.update(ctx, def, id, patch, ifMatch, hooks);
  }

  remove(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    ifMatch: string | undefined,
    hooks: RecordHooks = {},
  ): Promise<void> {
    return this.writer.remove(ctx, def, id, ifMatch, hooks);
  }

  restore(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    return this.writer.restore(ctx, def, id, hooks);
  }

  /** Removes a soft-deleted record for good; admins only. */
  purge(ctx: RequestContext, def: ResourceDefinition, id: string): Promise<void> {
    return this.writer.purge(ctx, def, id);
  }

  merge(
    ctx: RequestContext,
    def: ResourceDefinition,
    survivorId: string,
    duplicateIds: string[],
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    return this.merger.merge(ctx, def, survivorId, duplicateIds, hooks);
  }

  /**
   * A change a module makes to records outside their REST lifecycle (a merge elsewhere
   * moving a reference, a conversion moving activities): its history entry and its generic
   * `<label>.<verb>` event, in the caller's transaction.
   */
  recordChange(
    tx: RequestContext,
    def: ResourceDefinition,
    id: string,
    changes: FieldChange[],
    reason?: string,
  ): Promise<void> {
    return this.changeLog.changed(tx, def.entity, id, 'update', changes, reason ? { reason } : {});
  }

  async historyOf(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    limit: number,
    cursor: string | null,
  ) {
    await this.reader.load(ctx, def, id);
    return this.history.list(ctx, def.entity, id, {
      limit,
      cursor,
      hidden: this.permissions.hiddenFields(ctx.user, def.entity),
    });
  }

  /** Whether the caller may read a record: the same rule as a GET of it. */
  isReadable(ctx: RequestContext, entity: string, id: string): Promise<boolean> {
    return this.reader.isReadable(ctx, entity, id);
  }

  /**
   * A reference a request sets must name a record the caller may read; otherwise it is a field
   * error that says no more than "does not exist", so a reference cannot probe other scopes.
   */
  mustReference(
    ctx: RequestContext,
    entity: string,
    id: string,
    field: string,
    noun: string,
  ): Promise<void> {
    return this.reader.mustReference(ctx, entity, id, field, noun);
  }
}
