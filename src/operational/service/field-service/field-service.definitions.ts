import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const WORK_ORDER_STATUSES = [
  'scheduled',
  'dispatched',
  'en_route',
  'on_site',
  'completed',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** A visit goes out, arrives and finishes in order; it can be called off until it is done. */
const NEXT: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  scheduled: ['dispatched', 'cancelled'],
  dispatched: ['en_route', 'scheduled', 'cancelled'],
  en_route: ['on_site', 'cancelled'],
  on_site: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const allowedNext = (from: WorkOrderStatus) => NEXT[from] ?? [];
export const canMove = (from: WorkOrderStatus, to: WorkOrderStatus) =>
  from === to || allowedNext(from).includes(to);

/** A user who works on site: skills and weekly hours in their own time zone. */
export const TECHNICIAN_DEFINITION: ResourceDefinition = {
  entity: 'technicians',
  label: 'technician',
  table: 'technicians',
  alias: 'tech',
  attributes: [
    scalar('userId', 'user_id', 'uuid', { writable: 'create' }),
    { name: 'skills', column: 'skills', kind: 'array' },
    scalar('timeZone', 'time_zone', 'string'),
    { name: 'weeklyHours', column: 'weekly_hours', kind: 'json' },
    scalar('active', 'active', 'boolean'),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: null,
  defaultSort: '-createdAt',
};

/** A field visit for a case or an account. */
export const WORK_ORDER_DEFINITION: ResourceDefinition = {
  entity: 'work-orders',
  label: 'work-order',
  table: 'work_orders',
  alias: 'wo',
  attributes: [
    scalar('number', 'number', 'string', { sortable: true, writable: 'never' }),
    scalar('subject', 'subject', 'string', { sortable: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('caseId', 'case_id', 'uuid', { nullable: true, writable: 'create' }),
    scalar('accountId', 'account_id', 'uuid', { nullable: true, writable: 'create' }),
    { name: 'siteAddress', column: 'site_address', kind: 'json' },
    { name: 'requiredSkills', column: 'required_skills', kind: 'array' },
    { name: 'checklist', column: 'checklist', kind: 'json' },
    { name: 'partsUsed', column: 'parts_used', kind: 'json' },
    { name: 'timeEntries', column: 'time_entries', kind: 'json' },
    scalar('status', 'status', 'enum', { values: WORK_ORDER_STATUSES, sortable: true }),
    scalar('statusChangedAt', 'status_changed_at', 'datetime', {
      sortable: true,
      writable: 'never',
    }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(wo.subject)',
  defaultSort: '-createdAt',
};
