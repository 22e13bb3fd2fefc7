import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import type { SqlParams } from '#platform/query/index.js';
import { querySchemaOf, RecordService, ResourceRegistry } from '#platform/records/index.js';
import { THREAD_RECORD_TYPES } from './dto/thread.dto.js';
import { ThreadsRepository, type ThreadRow } from './threads.repository.js';

export const THREADS = 'threads';

type CrudAction = Parameters<PermissionEvaluator['require']>[2];

/**
 * Who sees a thread: staff who take part in it, and staff who may read the record it is tied
 * to (as they read the record now, so a reassignment needs no rewrite). Anything else is 404,
 * so a thread id proves nothing to someone outside it. The role's grant on `threads` opens
 * the door at all (403 without it).
 */
@Injectable()
export class ThreadAccess {
  constructor(
    private readonly repo: ThreadsRepository,
    private readonly records: RecordService,
    private readonly registry: ResourceRegistry,
    private readonly permissions: PermissionEvaluator,
  ) {}

  require(ctx: RequestContext, action: CrudAction): void {
    this.permissions.require(ctx.user, THREADS, action);
  }

  /** The thread if the caller sees it; 404 otherwise. */
  async visible(ctx: RequestContext, id: string, forUpdate = false): Promise<ThreadRow> {
    this.require(ctx, 'read');
    const thread = await this.repo.find(ctx, id, forUpdate);
    if (thread && (await this.sees(ctx, thread))) return thread;
    throw AppError.notFound('thread', id);
  }

  async sees(ctx: RequestContext, thread: ThreadRow): Promise<boolean> {
    if (await this.repo.participant(ctx, thread.id, 'user', ctx.user.userId)) return true;
    return (
      thread.record_entity !== null &&
      thread.record_id !== null &&
      this.registry.entities().includes(thread.record_entity) &&
      this.records.isReadable(ctx, thread.record_entity, thread.record_id)
    );
  }

  /** The same rule as `sees`, as SQL over `threads t`, for lists. */
  visibleSql(ctx: RequestContext, params: SqlParams): string {
    const me = params.add(ctx.user.userId);
    const branches: string[] = [];
    const known = new Set(this.registry.entities());
    for (const entity of THREAD_RECORD_TYPES) {
      if (!known.has(entity)) continue;
      const def = this.registry.get(entity);
      const grant = this.permissions.grant(ctx.user, entity);
      if (grant.read === 'none') continue;
      const scope = this.permissions.scopeSql(
        ctx.user,
        grant.read,
        querySchemaOf(def),
        's',
        params,
      );
      branches.push(
        `WHEN ${params.add(entity)} THEN EXISTS (SELECT 1 FROM ${def.table} s WHERE s.id = t.record_id AND s.deleted_at IS NULL AND ${scope})`,
      );
    }
    const byRecord = branches.length
      ? `(CASE t.record_entity ${branches.join(' ')} ELSE FALSE END)`
      : 'FALSE';
    return `(EXISTS (SELECT 1 FROM thread_participants tp WHERE tp.thread_id = t.id AND tp.kind = 'user' AND tp.participant_id = ${me}::uuid) OR ${byRecord})`;
  }

  /** A record a thread is tied to must exist and be readable by the caller: 404 otherwise. */
  async recordMustBeReadable(ctx: RequestContext, entity: string, id: string): Promise<void> {
    if (
      !this.registry.entities().includes(entity) ||
      !(await this.records.isReadable(ctx, entity, id))
    )
      throw AppError.notFound(entity, id);
  }
}
