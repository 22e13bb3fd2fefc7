import { ACCOUNT_DEFINITION } from '../../customers/accounts/account.definition.js';
import { CONTACT_DEFINITION } from '../../customers/contacts/contact.definition.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '../../../platform/records/resource-definition.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';

export const LEAD_STATUSES = [
  'new',
  'working',
  'nurturing',
  'qualified',
  'unqualified',
  'converted',
] as const;
/** `converted` is reached only through POST /leads/{id}/convert. */
export const SETTABLE_LEAD_STATUSES = LEAD_STATUSES.filter((s) => s !== 'converted');
export const LEAD_RATINGS = ['hot', 'warm', 'cold'] as const;
export const LEAD_SOURCES = [
  'web',
  'email',
  'phone',
  'referral',
  'event',
  'campaign',
  'partner',
  'import',
  'manual',
  'other',
] as const;

const optionalText = (name: string, column: string, sortable = false) =>
  ({ name, column, kind: 'scalar', type: 'string', nullable: true, sortable }) as const;

/** A person or organization that may become a customer, before qualification. */
export const LEAD_DEFINITION: ResourceDefinition = {
  entity: 'leads',
  label: 'lead',
  table: 'leads',
  alias: 'l',
  attributes: [
    optionalText('salutation', 'salutation'),
    optionalText('firstName', 'first_name', true),
    optionalText('lastName', 'last_name', true),
    { ...optionalText('email', 'email', true), caseInsensitive: true },
    optionalText('phone', 'phone'),
    optionalText('company', 'company', true),
    optionalText('title', 'title', true),
    { ...optionalText('industry', 'industry', true), picklist: true },
    { ...optionalText('website', 'website'), caseInsensitive: true },
    { name: 'address', column: 'address', kind: 'json' },
    optionalText('description', 'description'),
    {
      name: 'source',
      column: 'source',
      kind: 'scalar',
      type: 'enum',
      values: LEAD_SOURCES,
      sortable: true,
      picklist: true,
    },
    {
      name: 'status',
      column: 'status',
      kind: 'scalar',
      type: 'enum',
      values: LEAD_STATUSES,
      sortable: true,
    },
    {
      name: 'rating',
      column: 'rating',
      kind: 'scalar',
      type: 'enum',
      values: LEAD_RATINGS,
      nullable: true,
      sortable: true,
    },
    {
      name: 'score',
      column: 'score',
      kind: 'scalar',
      type: 'integer',
      sortable: true,
      writable: 'never',
    },
    {
      name: 'convertedAccountId',
      column: 'converted_account_id',
      kind: 'scalar',
      type: 'uuid',
      nullable: true,
      writable: 'never',
    },
    {
      name: 'convertedContactId',
      column: 'converted_contact_id',
      kind: 'scalar',
      type: 'uuid',
      nullable: true,
      writable: 'never',
    },
    {
      name: 'convertedOpportunityId',
      column: 'converted_opportunity_id',
      kind: 'scalar',
      type: 'uuid',
      nullable: true,
      writable: 'never',
    },
    {
      name: 'convertedAt',
      column: 'converted_at',
      kind: 'scalar',
      type: 'datetime',
      nullable: true,
      sortable: true,
      writable: 'never',
    },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'convertedAccount',
      foreignKey: 'converted_account_id',
      entity: 'accounts',
      target: () => querySchemaOf(ACCOUNT_DEFINITION),
    },
    {
      name: 'convertedContact',
      foreignKey: 'converted_contact_id',
      entity: 'contacts',
      target: () => querySchemaOf(CONTACT_DEFINITION),
    },
    {
      name: 'convertedOpportunity',
      foreignKey: 'converted_opportunity_id',
      entity: 'opportunities',
      target: () => querySchemaOf(OPPORTUNITY_DEFINITION),
    },
  ],
  search: `lower(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '') || ' ' || coalesce(l.company, '') || ' ' || coalesce(l.email, ''))`,
  defaultSort: '-createdAt',
};
