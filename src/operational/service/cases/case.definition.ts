import {
  RECORD_ATTRIBUTES,
  scalarAttribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { CASE_PRIORITIES } from '../service.config.js';
import { CASE_CHANNELS, CASE_STATUSES, CASE_TYPES } from './case-status.js';

const scalar = scalarAttribute;
const computed = { writable: 'never', nullable: true, sortable: true } as const;

export const SLA_STATUSES = ['on_track', 'at_risk', 'breached', 'met', 'paused'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

/** A customer's request for help; its comments and attachments live beside it. */
export const CASE_DEFINITION: ResourceDefinition = {
  entity: 'cases',
  label: 'case',
  table: 'cases',
  alias: 'cs',
  attributes: [
    scalar('number', 'number', 'string', { sortable: true, writable: 'never' }),
    scalar('subject', 'subject', 'string', { sortable: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('accountId', 'account_id', 'uuid', { nullable: true }),
    scalar('contactId', 'contact_id', 'uuid', { nullable: true }),
    scalar('channel', 'channel', 'enum', { values: CASE_CHANNELS }),
    scalar('type', 'type', 'enum', { values: CASE_TYPES }),
    scalar('category', 'category', 'string', { nullable: true }),
    scalar('priority', 'priority', 'enum', { values: CASE_PRIORITIES, sortable: true }),
    scalar('status', 'status', 'enum', { values: CASE_STATUSES, sortable: true }),
    scalar('statusChangedAt', 'status_changed_at', 'datetime', {
      sortable: true,
      writable: 'never',
    }),
    scalar('language', 'language', 'string', { nullable: true }),
    scalar('queueId', 'queue_id', 'uuid', { nullable: true }),
    scalar('assigneeId', 'assignee_id', 'uuid', { nullable: true }),
    scalar('orderId', 'order_id', 'uuid', { nullable: true }),
    scalar('productId', 'product_id', 'uuid', { nullable: true }),
    scalar('firstRespondedAt', 'first_responded_at', 'datetime', computed),
    scalar('resolvedAt', 'resolved_at', 'datetime', computed),
    scalar('closedAt', 'closed_at', 'datetime', computed),
    scalar('slaPolicy', 'sla_policy', 'string', { ...computed, sortable: false }),
    scalar('slaStatus', 'sla_status', 'enum', { ...computed, values: SLA_STATUSES }),
    scalar('slaPausedAt', 'sla_paused_at', 'datetime', computed),
    scalar('firstResponseDueAt', 'first_response_due_at', 'datetime', computed),
    scalar('resolutionDueAt', 'resolution_due_at', 'datetime', computed),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: `lower(cs.number || ' ' || cs.subject)`,
  defaultSort: '-createdAt',
};
