import { Injectable } from '@nestjs/common';
import {
  HistoryService,
  type FieldChange,
  type HistoryAction,
} from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import { recordChanged, type RecordChangedPayload } from './record.events.js';
import {
  historyIgnoredFields,
  type ApiRecord,
  type ResourceDefinition,
} from './resource-definition.js';
import { ResourceRegistry } from './resource-registry.js';

export const HISTORY_IGNORED = new Set([
  'updatedAt',
  'version',
  'updatedById',
  'createdAt',
  'createdById',
  'id',
]);

/** The fields a record's history leaves out, custom fields marked so included. */
export function ignoredInHistory(def: ResourceDefinition): ReadonlySet<string> {
  return historyIgnoredFields(def, HISTORY_IGNORED);
}

/** Columns a record's history is made of: those of every attribute but the server's bookkeeping. */
export function historyColumns(def: ResourceDefinition): string[] {
  return def.attributes
    .filter((a) => a.name === 'id' || !HISTORY_IGNORED.has(a.name))
    .flatMap((a) =>
      a.kind === 'money' ? [`${a.column}_amount`, `${a.column}_currency`] : [a.column],
    );
}

/**
 * The history entry of a new record: every field it was created with (what `diffRecords`
 * against an empty record gives, without comparing each value as JSON — bulk writers make
 * many of these). Custom fields come in the order of their codes, whatever order the
 * record's JSON holds them in.
 */
export function createdChanges(def: ResourceDefinition, created: ApiRecord): FieldChange[] {
  const ignored = ignoredInHistory(def);
  const changes: FieldChange[] = [];
  // Keys, not entries: this runs for every row of an import, and the pairs were garbage.
  for (const field of Object.keys(created)) {
    if (ignored.has(field)) continue;
    const value = created[field];
    if (field === 'customFields') {
      const custom = Object.entries((value ?? {}) as Record<string, unknown>);
      for (const [code, v] of custom.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (v !== null && v !== undefined && !ignored.has(`customFields.${code}`))
          changes.push({ field: `customFields.${code}`, old: null, new: v });
      }
    } else if (value !== null && value !== undefined) {
      changes.push({ field, old: null, new: value });
    }
  }
  return changes;
}

/**
 * Writes what every change to a record leaves behind, in the caller's transaction: its
 * history entry and its generic `<label>.<verb>` domain event.
 */
@Injectable()
export class RecordChangeLog {
  constructor(
    private readonly history: HistoryService,
    private readonly outbox: EventOutbox,
    private readonly registry: ResourceRegistry,
  ) {}

  /** An update that changed nothing leaves no trace. */
  async changed(
    tx: RequestContext,
    entity: string,
    id: string,
    action: HistoryAction,
    changes: FieldChange[],
    data: Omit<RecordChangedPayload, 'changes'> = {},
  ): Promise<void> {
    if (action === 'update' && changes.length === 0) return;
    await this.history.record(tx, entity, id, action, changes);
    await this.outbox.append(tx, [
      recordChanged(this.registry.get(entity), action, id, { ...data, changes }),
    ]);
  }
}
