import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import type { RecordHooks, RecordWrite } from './record-hooks.js';
import { recordsImported } from './record.events.js';
import type { ApiRecord, ResourceDefinition } from './resource-definition.js';

/** The caller of a committed transaction, for work that runs after it. */
function outsideTransaction(tx: RequestContext): RequestContext {
  return new RequestContext(tx.requestId, tx.locale, tx.principal, tx.ip, tx.userAgent);
}

/**
 * Runs a resource's after-write hooks for the writes the record writers made: inside the
 * write's transaction the hook's own work and the events it declares, then the after-commit
 * hook once the transaction has committed. The one place every write path goes through
 * after it wrote, so a record written by REST, bulk, merge or CSV import gets the same.
 */
@Injectable()
export class RecordLifecycle {
  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
  ) {}

  /** The record as the caller should see it once the hooks ran. */
  async written(tx: RequestContext, hooks: RecordHooks, write: RecordWrite): Promise<ApiRecord> {
    const result = await hooks.afterWrite?.(tx, write);
    await this.outbox.append(tx, result?.events ?? []);
    await this.committed(tx, hooks, [write]);
    return result?.record ?? write.after;
  }

  /**
   * The batch form for writers of many records at once: the resource's `afterWriteMany`
   * when it has one, else `afterWrite` record by record; their events go out in one append.
   * The writer calls `committed` for the writes that stayed (it may undo some to a savepoint).
   */
  async writtenMany(tx: RequestContext, hooks: RecordHooks, writes: RecordWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const events = [];
    if (hooks.afterWriteMany) {
      for (const result of await hooks.afterWriteMany(tx, writes))
        events.push(...(result.events ?? []));
    } else if (hooks.afterWrite) {
      for (const write of writes)
        events.push(...((await hooks.afterWrite(tx, write))?.events ?? []));
    }
    await this.outbox.append(tx, events);
  }

  /** Runs the resource's after-commit hook for `writes` once the transaction has committed. */
  async committed(tx: RequestContext, hooks: RecordHooks, writes: RecordWrite[]): Promise<void> {
    const react = hooks.afterCommit;
    if (!react || writes.length === 0) return;
    const ctx = outsideTransaction(tx);
    await this.db.afterCommit(tx, async () => {
      for (const write of writes) await react(ctx, write);
    });
  }

  /**
   * `<label>.imported`: an import batch announces the records it created in one event
   * instead of a `<label>.created` each.
   */
  async imported(
    tx: RequestContext,
    def: ResourceDefinition,
    importId: string,
    created: string[],
  ): Promise<void> {
    if (created.length) await this.outbox.append(tx, [recordsImported(def, { importId, created })]);
  }

  /** Whether a writer must read back what it wrote in bulk for the hooks to see it. */
  reactsToWrites(hooks: RecordHooks): boolean {
    return !!(hooks.afterWrite ?? hooks.afterWriteMany ?? hooks.afterCommit);
  }
}
