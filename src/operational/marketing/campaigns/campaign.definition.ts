import {
  RECORD_ATTRIBUTES,
  scalarAttribute as scalar,
  type ResourceDefinition,
} from '#platform/records/index.js';

export const CAMPAIGN_TYPES = [
  'email',
  'sms',
  'whatsapp',
  'event',
  'webinar',
  'telemarketing',
  'ads',
  'direct_mail',
] as const;
/** Campaign types that send a message to each member, on the channel of the same name. */
export const MESSAGE_CAMPAIGN_TYPES = ['email', 'sms', 'whatsapp'] as const;
export const CAMPAIGN_STATUSES = ['planned', 'approved', 'active', 'completed', 'aborted'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A marketing effort with a budget, dates, members, costs and the revenue it brings. */
export const CAMPAIGN_DEFINITION: ResourceDefinition = {
  entity: 'campaigns',
  label: 'campaign',
  table: 'campaigns',
  alias: 'cmp',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true, caseInsensitive: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('type', 'type', 'enum', { values: CAMPAIGN_TYPES, sortable: true }),
    scalar('status', 'status', 'enum', {
      values: CAMPAIGN_STATUSES,
      sortable: true,
      writable: 'never',
    }),
    scalar('channel', 'channel', 'string', { nullable: true, sortable: true }),
    scalar('startsOn', 'starts_on', 'date', { nullable: true, sortable: true }),
    scalar('endsOn', 'ends_on', 'date', { nullable: true, sortable: true }),
    { name: 'budget', column: 'budget', kind: 'money' },
    { name: 'expectedRevenue', column: 'expected_revenue', kind: 'money' },
    scalar('parentCampaignId', 'parent_campaign_id', 'uuid', { nullable: true }),
    scalar('templateId', 'template_id', 'uuid', { nullable: true }),
    scalar('approvalRequired', 'approval_required', 'boolean', { writable: 'never' }),
    scalar('approvedAt', 'approved_at', 'datetime', { nullable: true, writable: 'never' }),
    scalar('approvedById', 'approved_by_id', 'uuid', { nullable: true, writable: 'never' }),
    scalar('statusChangedAt', 'status_changed_at', 'datetime', {
      sortable: true,
      writable: 'never',
    }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(cmp.name)',
  defaultSort: '-createdAt',
};
