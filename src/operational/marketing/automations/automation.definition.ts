import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const AUTOMATION_STATUSES = ['draft', 'active', 'paused'] as const;
export const ENTRY_POLICIES = ['once', 'once_per_period', 'every_time'] as const;
export const STEP_TYPES = [
  'send_template',
  'add_to_campaign',
  'update_field',
  'assign_owner',
  'wait',
  'branch',
  'create_task',
  'webhook',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** "When this happens to a contact, if these hold, do these steps." */
export const AUTOMATION_DEFINITION: ResourceDefinition = {
  entity: 'automations',
  label: 'automation',
  table: 'automations',
  alias: 'aut',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('status', 'status', 'enum', {
      values: AUTOMATION_STATUSES,
      sortable: true,
      writable: 'never',
    }),
    scalar('triggerEvent', 'trigger_event', 'string', { sortable: true }),
    { name: 'dateTrigger', column: 'date_trigger', kind: 'json' },
    { name: 'condition', column: 'condition', kind: 'json' },
    { name: 'steps', column: 'steps', kind: 'json' },
    scalar('entryPolicy', 'entry_policy', 'enum', { values: ENTRY_POLICIES }),
    scalar('entryPeriodDays', 'entry_period_days', 'integer', { nullable: true }),
    scalar('activatedAt', 'activated_at', 'datetime', { nullable: true, writable: 'never' }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(aut.name)',
  defaultSort: '-createdAt',
};
