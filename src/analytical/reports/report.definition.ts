import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const REPORT_KINDS = ['cube', 'list'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A saved cube or list query, run on demand or on a schedule, pushed to whom it concerns. */
export const REPORT_DEFINITION: ResourceDefinition = {
  entity: 'reports',
  label: 'report',
  table: 'reports',
  alias: 'rep',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('kind', 'kind', 'enum', { values: REPORT_KINDS, sortable: true, writable: 'create' }),
    { name: 'query', column: 'query', kind: 'json' },
    { name: 'condition', column: 'condition', kind: 'json' },
    scalar('schedule', 'schedule', 'string', { nullable: true }),
    scalar('timeZone', 'time_zone', 'string', { nullable: true }),
    scalar('nextRunAt', 'next_run_at', 'datetime', {
      nullable: true,
      sortable: true,
      writable: 'never',
    }),
    scalar('lastRunAt', 'last_run_at', 'datetime', {
      nullable: true,
      sortable: true,
      writable: 'never',
    }),
    scalar('active', 'active', 'boolean'),
    { name: 'delivery', column: 'delivery', kind: 'json' },
    { name: 'sharedTeamIds', column: 'shared_team_ids', kind: 'array' },
    { name: 'sharedRoleIds', column: 'shared_role_ids', kind: 'array' },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(rep.name)',
  defaultSort: '-createdAt',
};
