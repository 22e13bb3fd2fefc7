import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const ACCOUNT_TYPES = ['customer', 'prospect', 'partner', 'competitor'] as const;

/** Organizations the company deals with. */
export const ACCOUNT_DEFINITION: ResourceDefinition = {
  entity: 'accounts',
  label: 'account',
  table: 'accounts',
  alias: 'a',
  attributes: [
    { name: 'name', column: 'name', kind: 'scalar', type: 'string', sortable: true },
    {
      name: 'type',
      column: 'type',
      kind: 'scalar',
      type: 'enum',
      values: ACCOUNT_TYPES,
      sortable: true,
      picklist: true,
    },
    {
      name: 'industry',
      column: 'industry',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      sortable: true,
      picklist: true,
    },
    {
      name: 'website',
      column: 'website',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      caseInsensitive: true,
    },
    { name: 'description', column: 'description', kind: 'scalar', type: 'string', nullable: true },
    { name: 'phones', column: 'phones', kind: 'json' },
    { name: 'addresses', column: 'addresses', kind: 'json' },
    {
      name: 'parentAccountId',
      column: 'parent_account_id',
      kind: 'scalar',
      type: 'uuid',
      nullable: true,
    },
    { name: 'annualRevenue', column: 'annual_revenue', kind: 'money' },
    {
      name: 'employees',
      column: 'employees',
      kind: 'scalar',
      type: 'integer',
      nullable: true,
      sortable: true,
    },
    ...RECORD_ATTRIBUTES,
  ],
  // Resolved lazily: the relation points back at this same definition.
  relations: [
    {
      name: 'parentAccount',
      foreignKey: 'parent_account_id',
      entity: 'accounts',
      target: () => querySchemaOf(ACCOUNT_DEFINITION),
    },
  ],
  search: 'lower(a.name)',
  defaultSort: '-createdAt',
  // The same rule as the duplicate check of POST /accounts.
  importMatch: [{ match: 'name and phone', columns: ['name_key', 'phone_keys'] }],
};
