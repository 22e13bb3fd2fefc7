import type { RequestContext } from '#platform/context/request-context.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { ApiRecord, ResourceDefinition } from './resource-definition.js';
import type { RecordHooks } from './record-hooks.js';
import type { ListPage } from './record-reader.js';
import type { OnModuleInit } from '@nestjs/common';
import { RecordService } from './record.service.js';

export interface CreateOptions {
  allowDuplicate?: boolean;
}

/**
 * A resource's service: the generic record rules plus the resource's own hooks. Domain
 * services extend it, supply `hooks` for what their records need before and after a write,
 * and add their actions (merge, convert, …); they do not override the writes themselves, so
 * every write path (REST, bulk, CSV import, merge) runs the same rules.
 */
export abstract class RecordResourceService implements OnModuleInit {
  abstract readonly def: ResourceDefinition;
  protected readonly hooks: RecordHooks = {};
  /**
   * Attributes holding the id of another resource's record, e.g. `{ accountId: 'accounts' }`:
   * when two accounts are merged, the survivor takes these references over.
   */
  protected readonly pointsAt: Readonly<Record<string, string>> = {};

  constructor(protected readonly records: RecordService) {}

  onModuleInit(): void {
    this.records.registerResource(this.def, this.pointsAt);
  }

  /** The resource's own rules, for writers that batch records through RecordService (CSV import). */
  get recordHooks(): RecordHooks {
    return this.hooks;
  }

  list(ctx: RequestContext, request: ListRequest): Promise<ListPage> {
    return this.records.list(ctx, this.def, request);
  }

  get(ctx: RequestContext, id: string, include: string[] = [], fields: string[] | null = null) {
    return this.records.get(ctx, this.def, id, include, fields);
  }

  async create(
    ctx: RequestContext,
    input: Record<string, unknown>,
    options: CreateOptions = {},
  ): Promise<Record<string, unknown> & { id: string; version: number }> {
    const created = await this.records.create(ctx, this.def, input, this.hooks, options);
    return this.view(ctx, created);
  }

  async update(ctx: RequestContext, id: string, patch: Record<string, unknown>, ifMatch?: string) {
    const updated = await this.records.update(ctx, this.def, id, patch, ifMatch, this.hooks);
    return this.view(ctx, updated);
  }

  remove(ctx: RequestContext, id: string, ifMatch?: string): Promise<void> {
    return this.records.remove(ctx, this.def, id, ifMatch, this.hooks);
  }

  async restore(ctx: RequestContext, id: string) {
    return this.view(ctx, await this.records.restore(ctx, this.def, id, this.hooks));
  }

  purge(ctx: RequestContext, id: string): Promise<void> {
    return this.records.purge(ctx, this.def, id);
  }

  history(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    return this.records.historyOf(ctx, this.def, id, limit, cursor);
  }

  protected view(ctx: RequestContext, record: ApiRecord) {
    return {
      ...this.records.present(ctx, this.def, record),
      id: record.id,
      version: record.version,
    };
  }
}
