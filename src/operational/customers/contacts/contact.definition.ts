import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { ACCOUNT_DEFINITION } from '../accounts/account.definition.js';

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified',
  'sales_qualified',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

/** People the company deals with, usually at an account. */
export const CONTACT_DEFINITION: ResourceDefinition = {
  entity: 'contacts',
  label: 'contact',
  table: 'contacts',
  alias: 'c',
  attributes: [
    { name: 'salutation', column: 'salutation', kind: 'scalar', type: 'string', nullable: true },
    {
      name: 'firstName',
      column: 'first_name',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      sortable: true,
    },
    { name: 'middleName', column: 'middle_name', kind: 'scalar', type: 'string', nullable: true },
    { name: 'lastName', column: 'last_name', kind: 'scalar', type: 'string', sortable: true },
    {
      name: 'email',
      column: 'email',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      sortable: true,
      caseInsensitive: true,
    },
    { name: 'otherEmails', column: 'other_emails', kind: 'array' },
    { name: 'phones', column: 'phones', kind: 'json' },
    { name: 'accountId', column: 'account_id', kind: 'scalar', type: 'uuid', nullable: true },
    {
      name: 'title',
      column: 'title',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      sortable: true,
    },
    { name: 'department', column: 'department', kind: 'scalar', type: 'string', nullable: true },
    {
      name: 'preferredLanguage',
      column: 'preferred_language',
      kind: 'scalar',
      type: 'string',
      nullable: true,
    },
    { name: 'timeZone', column: 'time_zone', kind: 'scalar', type: 'string', nullable: true },
    {
      name: 'birthdate',
      column: 'birthdate',
      kind: 'scalar',
      type: 'date',
      nullable: true,
      sortable: true,
    },
    {
      name: 'lifecycleStage',
      column: 'lifecycle_stage',
      kind: 'scalar',
      type: 'enum',
      values: LIFECYCLE_STAGES,
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
  ],
  search: `lower(coalesce(c.first_name, '') || ' ' || c.last_name || ' ' || coalesce(c.email, ''))`,
  defaultSort: '-createdAt',
  // The same rules as the duplicate check of POST /contacts.
  importMatch: [
    { match: 'email', columns: ['email_keys'] },
    { match: 'name and phone', columns: ['name_key', 'phone_keys'] },
  ],
};
