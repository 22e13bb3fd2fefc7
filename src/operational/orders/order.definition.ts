import {
  RECORD_ATTRIBUTES,
  scalarAttribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { ORDER_STATUSES } from './order-status.js';

const scalar = scalarAttribute;

/** What a customer bought: its lines live beside it (order_lines), frozen as placed. */
export const ORDER_DEFINITION: ResourceDefinition = {
  entity: 'orders',
  label: 'order',
  table: 'orders',
  alias: 'ord',
  attributes: [
    scalar('number', 'number', 'string', { sortable: true, writable: 'never' }),
    scalar('accountId', 'account_id', 'uuid', { writable: 'create' }),
    scalar('contactId', 'contact_id', 'uuid', { nullable: true }),
    scalar('opportunityId', 'opportunity_id', 'uuid', { nullable: true, writable: 'create' }),
    scalar('quoteId', 'quote_id', 'uuid', { nullable: true, writable: 'create' }),
    scalar('currency', 'currency', 'string', { writable: 'create' }),
    scalar('status', 'status', 'enum', { values: ORDER_STATUSES, sortable: true }),
    scalar('orderedAt', 'ordered_at', 'datetime', { sortable: true, writable: 'create' }),
    scalar('statusChangedAt', 'status_changed_at', 'datetime', {
      sortable: true,
      writable: 'never',
    }),
    { name: 'subtotal', column: 'subtotal', kind: 'money', writable: 'never' },
    { name: 'taxTotal', column: 'tax_total', kind: 'money', writable: 'never' },
    { name: 'total', column: 'total', kind: 'money', writable: 'never' },
    { name: 'taxes', column: 'taxes', kind: 'json', writable: 'never' },
    scalar('notes', 'notes', 'string', { nullable: true }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(ord.number)',
  defaultSort: '-orderedAt',
};
