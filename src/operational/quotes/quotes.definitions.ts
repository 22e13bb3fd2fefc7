import { PRICE_SOURCES } from '#operational/catalog/index.js';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type Attribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { QUOTE_LANGUAGES } from './quotes.config.js';

export const QUOTE_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'sent',
  'accepted',
  'rejected',
  'expired',
  'superseded',
] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

const scalar = (
  name: string,
  column: string,
  type: Attribute['type'],
  extra: Partial<Attribute> = {},
): Attribute => ({ name, column, kind: 'scalar', type, ...extra });
const computed = (name: string, column: string, type: Attribute['type'], sortable = false) =>
  scalar(name, column, type, { nullable: true, writable: 'never', sortable });
const money = (name: string, column: string): Attribute => ({
  name,
  column,
  kind: 'money',
  writable: 'never',
});

/** An offer to an account: a number shared by its revisions, a currency, lines and their totals. */
export const QUOTE_DEFINITION: ResourceDefinition = {
  entity: 'quotes',
  label: 'quote',
  table: 'quotes',
  alias: 'qt',
  attributes: [
    scalar('number', 'number', 'string', { writable: 'never', sortable: true }),
    scalar('revision', 'revision', 'integer', { writable: 'never', sortable: true }),
    scalar('status', 'status', 'enum', {
      values: QUOTE_STATUSES,
      writable: 'never',
      sortable: true,
    }),
    scalar('opportunityId', 'opportunity_id', 'uuid', { nullable: true, writable: 'create' }),
    scalar('accountId', 'account_id', 'uuid', { writable: 'create' }),
    scalar('contactId', 'contact_id', 'uuid', { nullable: true }),
    scalar('currency', 'currency', 'string', { writable: 'create', sortable: true }),
    scalar('priceBookId', 'price_book_id', 'uuid', { nullable: true }),
    scalar('language', 'language', 'enum', { values: QUOTE_LANGUAGES }),
    scalar('validUntil', 'valid_until', 'date', { sortable: true }),
    scalar('headerDiscountPercent', 'header_discount_percent', 'decimal', { sortable: true }),
    scalar('notes', 'notes', 'string', { nullable: true }),
    scalar('terms', 'terms', 'string', { nullable: true }),
    scalar('approvalRequired', 'approval_required', 'boolean', { writable: 'never' }),
    computed('submittedAt', 'submitted_at', 'datetime', true),
    computed('submittedById', 'submitted_by_id', 'uuid'),
    computed('approvedAt', 'approved_at', 'datetime', true),
    computed('approvedById', 'approved_by_id', 'uuid'),
    computed('sentAt', 'sent_at', 'datetime', true),
    computed('decidedAt', 'decided_at', 'datetime', true),
    computed('rejectionReason', 'rejection_reason', 'string'),
    computed('expiredAt', 'expired_at', 'datetime', true),
    computed('previousRevisionId', 'previous_revision_id', 'uuid'),
    computed('supersededById', 'superseded_by_id', 'uuid'),
    scalar('lineCount', 'line_count', 'integer', { writable: 'never' }),
    money('subtotal', 'subtotal'),
    money('lineDiscountTotal', 'line_discount_total'),
    money('headerDiscount', 'header_discount'),
    money('discountTotal', 'discount_total'),
    money('taxTotal', 'tax_total'),
    money('grandTotal', 'grand_total'),
    money('costTotal', 'cost_total'),
    money('margin', 'margin'),
    computed('marginPercent', 'margin_percent', 'decimal'),
    { name: 'taxes', column: 'taxes', kind: 'json', writable: 'never' },
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
      name: 'contact',
      foreignKey: 'contact_id',
      entity: 'contacts',
      target: () => querySchemaOf(CONTACT_DEFINITION),
    },
  ],
  search: 'lower(qt.number)',
  defaultSort: '-createdAt',
};

/** One product on a quote, with its price, discount, tax and computed amounts. */
export const QUOTE_LINE_DEFINITION: ResourceDefinition = {
  entity: 'quote-lines',
  label: 'quote-line',
  table: 'quote_lines',
  alias: 'ql',
  attributes: [
    scalar('quoteId', 'quote_id', 'uuid', { writable: 'create' }),
    scalar('productId', 'product_id', 'uuid', { writable: 'create' }),
    scalar('configurationId', 'configuration_id', 'uuid', { nullable: true }),
    {
      name: 'configurationOptions',
      column: 'configuration_options',
      kind: 'json',
      nullable: true,
      writable: 'never',
    },
    scalar('position', 'position', 'integer', { sortable: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('quantity', 'quantity', 'decimal', { sortable: true }),
    { name: 'unitPrice', column: 'unit_price', kind: 'money' },
    scalar('priceSource', 'price_source', 'enum', { values: PRICE_SOURCES, writable: 'never' }),
    computed('priceBookId', 'price_book_id', 'uuid'),
    scalar('discountPercent', 'discount_percent', 'decimal', { sortable: true }),
    scalar('taxCategory', 'tax_category', 'string', { writable: 'never', sortable: true }),
    scalar('taxRate', 'tax_rate', 'decimal', { writable: 'never' }),
    money('unitCost', 'unit_cost'),
    money('costAmount', 'cost_amount'),
    money('grossAmount', 'gross_amount'),
    money('discountAmount', 'discount_amount'),
    money('netAmount', 'net_amount'),
    money('headerDiscountAmount', 'header_discount_amount'),
    money('taxAmount', 'tax_amount'),
    money('totalAmount', 'total_amount'),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'quote',
      foreignKey: 'quote_id',
      entity: 'quotes',
      target: () => querySchemaOf(QUOTE_DEFINITION),
    },
  ],
  search: 'lower(ql.description)',
  defaultSort: 'position',
};
