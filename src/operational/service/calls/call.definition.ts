import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_OUTCOMES = ['answered', 'missed', 'voicemail', 'callback_requested'] as const;
/** Wrap-up codes an admin may replace (`customization.calls.picklists.disposition`). */
export const CALL_DISPOSITIONS = [
  'resolved',
  'information_given',
  'follow_up',
  'escalated',
  'sale',
  'complaint',
  'wrong_number',
] as const;

/** One phone call with a customer, in or out, as the call centre logged it. */
export const CALL_DEFINITION: ResourceDefinition = {
  entity: 'calls',
  label: 'call',
  table: 'calls',
  alias: 'cl',
  attributes: [
    scalar('direction', 'direction', 'enum', { values: CALL_DIRECTIONS, writable: 'create' }),
    scalar('fromNumber', 'from_number', 'string', { writable: 'create' }),
    scalar('toNumber', 'to_number', 'string', { writable: 'create' }),
    scalar('customerNumber', 'customer_number', 'string', { writable: 'never' }),
    scalar('contactId', 'contact_id', 'uuid', { nullable: true }),
    scalar('agentId', 'agent_id', 'uuid'),
    scalar('queueId', 'queue_id', 'uuid', { nullable: true }),
    scalar('caseId', 'case_id', 'uuid', { nullable: true }),
    scalar('startedAt', 'started_at', 'datetime', { sortable: true, writable: 'create' }),
    scalar('durationSeconds', 'duration_seconds', 'integer', { sortable: true }),
    scalar('waitSeconds', 'wait_seconds', 'integer', { sortable: true }),
    scalar('outcome', 'outcome', 'enum', { values: CALL_OUTCOMES, sortable: true }),
    scalar('disposition', 'disposition', 'enum', {
      values: CALL_DISPOSITIONS,
      nullable: true,
      picklist: true,
    }),
    scalar('notes', 'notes', 'string', { nullable: true }),
    scalar('recordingUrl', 'recording_url', 'string', { nullable: true }),
    scalar('callbackDueAt', 'callback_due_at', 'datetime', { nullable: true, sortable: true }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'cl.customer_number',
  defaultSort: '-startedAt',
};
