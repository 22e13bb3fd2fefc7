import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';

export const LEAD_STATUSES = [
  'new',
  'working',
  'nurturing',
  'qualified',
  'unqualified',
  'converted',
] as const;
/** Leads still being worked: what least-loaded assignment counts and nightly scoring visits. */
export const OPEN_LEAD_STATUSES = ['new', 'working', 'nurturing', 'qualified'] as const;
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

/**
 * How a lead got its owner: an assignment rule, the team's default owner when no rule could
 * place it, its creator when there was no default owner either, or the request naming one.
 */
export const ASSIGNED_VIA = ['rule', 'default_owner', 'creator', 'request'] as const;
export type AssignedVia = (typeof ASSIGNED_VIA)[number];

/**
 * What the leads table gives a new lead for the columns a request may leave out. Assignment
 * rules read a lead before it is stored, and must see it as it will be.
 */
export const NEW_LEAD_DEFAULTS = { status: 'new', source: 'manual', rating: null, score: 0 };

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
      name: 'assignmentRule',
      column: 'assignment_rule',
      kind: 'scalar',
      type: 'string',
      nullable: true,
      writable: 'never',
    },
    {
      name: 'assignedVia',
      column: 'assigned_via',
      kind: 'scalar',
      type: 'enum',
      values: ASSIGNED_VIA,
      nullable: true,
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
