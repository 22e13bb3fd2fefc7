import {
  RECORD_ATTRIBUTES,
  type Attribute,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const ACTIVITY_TYPES = ['task', 'call', 'meeting', 'email', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const ACTIVITY_STATUSES = ['planned', 'completed', 'cancelled'] as const;
export const ACTIVITY_PRIORITIES = ['low', 'normal', 'high'] as const;
export const ACTIVITY_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_OUTCOMES = [
  'connected',
  'left_voicemail',
  'no_answer',
  'busy',
  'wrong_number',
  'held',
  'rescheduled',
  'no_show',
] as const;

const datetime = (name: string, column: string, extra: Partial<Attribute> = {}): Attribute => ({
  name,
  column,
  kind: 'scalar',
  type: 'datetime',
  nullable: true,
  sortable: true,
  ...extra,
});

/**
 * Something done or to be done with a customer: a task, a call, a meeting, a logged email or
 * a note. It relates to one record of any type and lists the users and contacts taking part.
 */
export const ACTIVITY_DEFINITION: ResourceDefinition = {
  entity: 'activities',
  label: 'activity',
  table: 'activities',
  alias: 'act',
  attributes: [
    {
      name: 'type',
      column: 'type',
      kind: 'scalar',
      type: 'enum',
      values: ACTIVITY_TYPES,
      sortable: true,
      writable: 'create',
    },
    { name: 'subject', column: 'subject', kind: 'scalar', type: 'string', sortable: true },
    { name: 'description', column: 'description', kind: 'scalar', type: 'string', nullable: true },
    {
      name: 'status',
      column: 'status',
      kind: 'scalar',
      type: 'enum',
      values: ACTIVITY_STATUSES,
      sortable: true,
    },
    {
      name: 'priority',
      column: 'priority',
      kind: 'scalar',
      type: 'enum',
      values: ACTIVITY_PRIORITIES,
      sortable: true,
      picklist: true,
    },
    {
      name: 'direction',
      column: 'direction',
      kind: 'scalar',
      type: 'enum',
      values: ACTIVITY_DIRECTIONS,
      nullable: true,
    },
    datetime('dueAt', 'due_at'),
    datetime('startsAt', 'starts_at'),
    datetime('endsAt', 'ends_at'),
    {
      name: 'durationMinutes',
      column: 'duration_minutes',
      kind: 'scalar',
      type: 'integer',
      nullable: true,
      sortable: true,
    },
    { name: 'location', column: 'location', kind: 'scalar', type: 'string', nullable: true },
    {
      name: 'outcome',
      column: 'outcome',
      kind: 'scalar',
      type: 'enum',
      values: CALL_OUTCOMES,
      nullable: true,
      picklist: true,
    },
    datetime('completedAt', 'completed_at', { writable: 'never' }),
    datetime('occurredAt', 'occurred_at', { writable: 'never', nullable: false }),
    datetime('reminderAt', 'reminder_at'),
    datetime('reminderSentAt', 'reminder_sent_at', { writable: 'never', sortable: false }),
    {
      name: 'relatedEntity',
      column: 'related_entity',
      kind: 'scalar',
      type: 'string',
      nullable: true,
    },
    { name: 'relatedId', column: 'related_id', kind: 'scalar', type: 'uuid', nullable: true },
    { name: 'participantUserIds', column: 'participant_user_ids', kind: 'array' },
    { name: 'participantContactIds', column: 'participant_contact_ids', kind: 'array' },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(act.subject)',
  defaultSort: '-occurredAt',
};
