import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/index.js';
import {
  FORECAST_CATEGORIES,
  FORECAST_CATEGORY_OVERRIDES,
} from '../forecasts/forecast-category.js';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;

export const CONTACT_ROLES = [
  'decision_maker',
  'economic_buyer',
  'technical_buyer',
  'influencer',
  'champion',
  'evaluator',
  'user',
  'other',
] as const;

/** A deal being worked: an account, an amount, and a stage in one of the configured pipelines. */
export const OPPORTUNITY_DEFINITION: ResourceDefinition = {
  entity: 'opportunities',
  label: 'opportunity',
  table: 'opportunities',
  alias: 'o',
  attributes: [
    { name: 'name', column: 'name', kind: 'scalar', type: 'string', sortable: true },
    { name: 'accountId', column: 'account_id', kind: 'scalar', type: 'uuid' },
    {
      name: 'primaryContactId',
      column: 'primary_contact_id',
      kind: 'scalar',
      type: 'uuid',
      nullable: true,
    },
    { name: 'contactRoles', column: 'contact_roles', kind: 'json' },
    { name: 'amount', column: 'amount', kind: 'money' },
    {
      name: 'probability',
      column: 'probability',
      kind: 'scalar',
      type: 'integer',
      sortable: true,
    },
    {
      name: 'forecastCategory',
      column: 'forecast_category',
      kind: 'scalar',
      type: 'enum',
      values: FORECAST_CATEGORIES,
      sortable: true,
      writable: 'never',
    },
    {
      name: 'forecastCategoryOverride',
      column: 'forecast_category_override',
      kind: 'scalar',
      type: 'enum',
      values: FORECAST_CATEGORY_OVERRIDES,
      nullable: true,
    },
    {
      name: 'expectedCloseDate',
      column: 'expected_close_date',
      kind: 'scalar',
      type: 'date',
      nullable: true,
      sortable: true,
    },
    { name: 'pipeline', column: 'pipeline', kind: 'scalar', type: 'string', sortable: true },
    { name: 'stage', column: 'stage', kind: 'scalar', type: 'string', sortable: true },
    {
      name: 'status',
      column: 'status',
      kind: 'scalar',
      type: 'enum',
      values: OPPORTUNITY_STATUSES,
      sortable: true,
      writable: 'never',
    },
    {
      name: 'stageChangedAt',
      column: 'stage_changed_at',
      kind: 'scalar',
      type: 'datetime',
      sortable: true,
      writable: 'never',
    },
    {
      name: 'closedAt',
      column: 'closed_at',
      kind: 'scalar',
      type: 'datetime',
      nullable: true,
      sortable: true,
      writable: 'never',
    },
    { name: 'nextStep', column: 'next_step', kind: 'scalar', type: 'string', nullable: true },
    { name: 'competitors', column: 'competitors', kind: 'array' },
    {
      name: 'lostReason',
      column: 'lost_reason',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      sortable: true,
      picklist: true,
    },
    { name: 'description', column: 'description', kind: 'scalar', type: 'string', nullable: true },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'account',
      foreignKey: 'account_id',
      entity: 'accounts',
      target: () => querySchemaOf(ACCOUNT_DEFINITION),
    },
    {
      name: 'primaryContact',
      foreignKey: 'primary_contact_id',
      entity: 'contacts',
      target: () => querySchemaOf(CONTACT_DEFINITION),
    },
  ],
  search: 'lower(o.name)',
  defaultSort: '-createdAt',
};
