import { PRICE_SOURCES } from '#operational/catalog/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  scalarAttribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';

const scalar = scalarAttribute;

/** One product on an opportunity: what the deal is made of, and so what it is worth. */
export const OPPORTUNITY_LINE_DEFINITION: ResourceDefinition = {
  entity: 'opportunity-lines',
  label: 'opportunity-line',
  table: 'opportunity_lines',
  alias: 'ol',
  attributes: [
    scalar('opportunityId', 'opportunity_id', 'uuid', { writable: 'create' }),
    scalar('productId', 'product_id', 'uuid', { writable: 'create' }),
    scalar('configurationId', 'configuration_id', 'uuid', { nullable: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('quantity', 'quantity', 'decimal', { sortable: true }),
    { name: 'unitPrice', column: 'unit_price', kind: 'money' },
    scalar('priceSource', 'price_source', 'enum', { values: PRICE_SOURCES, writable: 'never' }),
    scalar('discountPercent', 'discount_percent', 'decimal', { sortable: true }),
    { name: 'total', column: 'total', kind: 'money', writable: 'never' },
    scalar('position', 'position', 'integer', { sortable: true }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'opportunity',
      foreignKey: 'opportunity_id',
      entity: 'opportunities',
      target: () => querySchemaOf(OPPORTUNITY_DEFINITION),
    },
  ],
  search: 'lower(ol.description)',
  defaultSort: 'position',
};
