import { ACCOUNT_TYPES } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type Attribute,
  type ResourceDefinition,
} from '#platform/records/index.js';

/** Units a product is sold in; an admin may replace them (`customization.products.picklists.unit`). */
export const PRODUCT_UNITS = [
  'unit',
  'pcs',
  'box',
  'kg',
  'hour',
  'day',
  'month',
  'year',
  'license',
] as const;

/** An attribute over one column. */
export const scalar = (
  name: string,
  column: string,
  type: Attribute['type'],
  extra: Partial<Attribute> = {},
): Attribute => ({ name, column, kind: 'scalar', type, ...extra });

/** Days a record holds, inclusive at both ends. */
export const VALIDITY: Attribute[] = [
  scalar('validFrom', 'valid_from', 'date', { nullable: true, sortable: true }),
  scalar('validTo', 'valid_to', 'date', { nullable: true, sortable: true }),
];

/** Groups of products (hardware, licences, services) for catalog browsing and reports. */
export const PRODUCT_FAMILY_DEFINITION: ResourceDefinition = {
  entity: 'product-families',
  label: 'product-family',
  table: 'product_families',
  alias: 'pf',
  attributes: [
    { name: 'name', column: 'name', kind: 'json' },
    { name: 'description', column: 'description', kind: 'json' },
    scalar('active', 'active', 'boolean'),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'pf.search_name',
  defaultSort: '-createdAt',
};

/** What the company sells, by SKU. */
export const PRODUCT_DEFINITION: ResourceDefinition = {
  entity: 'products',
  label: 'product',
  table: 'products',
  alias: 'p',
  attributes: [
    scalar('sku', 'sku', 'string', { sortable: true, caseInsensitive: true }),
    { name: 'name', column: 'name', kind: 'json' },
    { name: 'description', column: 'description', kind: 'json' },
    scalar('familyId', 'family_id', 'uuid', { nullable: true }),
    scalar('unit', 'unit', 'enum', { values: PRODUCT_UNITS, picklist: true, sortable: true }),
    scalar('active', 'active', 'boolean'),
    scalar('taxCategory', 'tax_category', 'string', { sortable: true }),
    { name: 'costPrice', column: 'cost_price', kind: 'money' },
    scalar('availableFrom', 'available_from', 'date', { nullable: true, sortable: true }),
    scalar('availableTo', 'available_to', 'date', { nullable: true, sortable: true }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'family',
      foreignKey: 'family_id',
      entity: 'product-families',
      target: () => querySchemaOf(PRODUCT_FAMILY_DEFINITION),
    },
  ],
  search: "(p.search_name || ' ' || lower(p.sku))",
  defaultSort: 'sku',
  importMatch: [{ match: 'sku', columns: ['sku'] }],
};

/** Prices in one currency for the accounts that match the book's criteria. */
export const PRICE_BOOK_DEFINITION: ResourceDefinition = {
  entity: 'price-books',
  label: 'price-book',
  table: 'price_books',
  alias: 'pb',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true }),
    scalar('description', 'description', 'string', { nullable: true }),
    scalar('currency', 'currency', 'string', { writable: 'create', sortable: true }),
    scalar('isStandard', 'is_standard', 'boolean'),
    scalar('active', 'active', 'boolean'),
    scalar('accountType', 'account_type', 'enum', { values: ACCOUNT_TYPES, nullable: true }),
    scalar('industry', 'industry', 'string', { nullable: true }),
    scalar('tier', 'tier', 'string', { nullable: true }),
    ...VALIDITY,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(pb.name)',
  defaultSort: 'name',
};

/** One product's unit price in one book, from a minimum quantity on. */
export const PRICE_BOOK_ENTRY_DEFINITION: ResourceDefinition = {
  entity: 'price-book-entries',
  label: 'price-book-entry',
  table: 'price_book_entries',
  alias: 'pe',
  attributes: [
    scalar('priceBookId', 'price_book_id', 'uuid', { writable: 'create' }),
    scalar('productId', 'product_id', 'uuid', { writable: 'create' }),
    { name: 'unitPrice', column: 'unit_price', kind: 'money' },
    scalar('minQuantity', 'min_quantity', 'decimal', { sortable: true }),
    ...VALIDITY,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'priceBook',
      foreignKey: 'price_book_id',
      entity: 'price-books',
      target: () => querySchemaOf(PRICE_BOOK_DEFINITION),
    },
    {
      name: 'product',
      foreignKey: 'product_id',
      entity: 'products',
      target: () => querySchemaOf(PRODUCT_DEFINITION),
    },
  ],
  search: null,
  defaultSort: '-createdAt',
};
