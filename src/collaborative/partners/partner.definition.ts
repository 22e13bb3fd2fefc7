import { ACCOUNT_DEFINITION } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const PARTNER_STATUSES = ['active', 'suspended'] as const;

/** The partner profile of an account of type partner: its tier, reach and channel manager. */
export const PARTNER_DEFINITION: ResourceDefinition = {
  entity: 'partners',
  label: 'partner',
  table: 'partners',
  alias: 'pt',
  attributes: [
    scalar('accountId', 'account_id', 'uuid', { writable: 'create' }),
    scalar('tier', 'tier', 'string', { sortable: true }),
    { name: 'territories', column: 'territories', kind: 'array' },
    { name: 'certifications', column: 'certifications', kind: 'json' },
    scalar('channelManagerId', 'channel_manager_id', 'uuid', { nullable: true }),
    scalar('status', 'status', 'enum', { values: PARTNER_STATUSES, sortable: true }),
    scalar('leadCapacity', 'lead_capacity', 'integer', { nullable: true }),
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
  search: null,
  defaultSort: '-createdAt',
};
