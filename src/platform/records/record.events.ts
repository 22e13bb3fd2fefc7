import type { FieldChange, HistoryAction } from '#platform/audit/history.service.js';
import type { NewDomainEvent } from '#platform/events/domain-event.js';
import { declareEvent } from '#platform/events/event-declaration.js';
import type { ApiRecord, ResourceDefinition } from './resource-definition.js';

/**
 * `<label>.created`, `.updated`, `.deleted`, `.restored`, `.merged`: every change a record's
 * lifecycle writes. `record` is the record after a create, update or restore; `changes` is
 * its history entry. Writes outside the REST lifecycle (a merge moving references, a lead
 * conversion moving activities) may say why in `reason`.
 */
export interface RecordChangedPayload {
  record?: ApiRecord;
  changes: FieldChange[];
  reason?: string;
}

/** `<label>.imported`: one event per written CSV import batch, naming the records it created. */
export interface RecordsImportedPayload {
  importId: string;
  created: string[];
}

const VERBS: Record<HistoryAction, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  merge: 'merged',
};

export function recordChanged(
  def: Pick<ResourceDefinition, 'entity' | 'label'>,
  action: HistoryAction,
  recordId: string,
  payload: RecordChangedPayload,
): NewDomainEvent {
  return declareEvent<RecordChangedPayload>(`${def.label}.${VERBS[action]}`, def.entity).of(
    recordId,
    payload,
  );
}

export function recordsImported(
  def: Pick<ResourceDefinition, 'entity' | 'label'>,
  payload: RecordsImportedPayload,
): NewDomainEvent {
  return declareEvent<RecordsImportedPayload>(`${def.label}.imported`, def.entity).of(
    null,
    payload,
  );
}
