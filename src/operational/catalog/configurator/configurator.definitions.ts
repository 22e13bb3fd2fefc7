import { ACCOUNT_DEFINITION, ACCOUNT_TYPES } from '#operational/customers/index.js';
import {
  querySchemaOf,
  RECORD_ATTRIBUTES,
  type Attribute,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { PRODUCT_DEFINITION, scalar, VALIDITY } from '../catalog.definitions.js';
import { RULE_KINDS } from './configuration-model.js';

const json = (name: string, column: string): Attribute => ({ name, column, kind: 'json' });
const array = (name: string, column: string): Attribute => ({ name, column, kind: 'array' });
const productId = (extra: Partial<Attribute> = {}) =>
  scalar('productId', 'product_id', 'uuid', { writable: 'create', ...extra });
const active = scalar('active', 'active', 'boolean');
const sortOrder = scalar('sortOrder', 'sort_order', 'integer', { sortable: true });

const productRelation = {
  name: 'product',
  foreignKey: 'product_id',
  entity: 'products',
  target: () => querySchemaOf(PRODUCT_DEFINITION),
};

/** The choices a configurable product offers, and how many of them a configuration takes. */
export const OPTION_GROUP_DEFINITION: ResourceDefinition = {
  entity: 'product-option-groups',
  label: 'product-option-group',
  table: 'product_option_groups',
  alias: 'pog',
  attributes: [
    productId(),
    json('name', 'name'),
    scalar('minChoices', 'min_choices', 'integer'),
    scalar('maxChoices', 'max_choices', 'integer', { nullable: true }),
    scalar('required', 'required', 'boolean'),
    sortOrder,
    active,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [productRelation],
  search: null,
  defaultSort: 'sortOrder',
};

/** One choice of a group: another product priced from the books, or a surcharge. */
export const OPTION_DEFINITION: ResourceDefinition = {
  entity: 'product-options',
  label: 'product-option',
  table: 'product_options',
  alias: 'po',
  attributes: [
    scalar('groupId', 'group_id', 'uuid', { writable: 'create' }),
    productId({ writable: 'never' }),
    json('name', 'name'),
    scalar('optionProductId', 'option_product_id', 'uuid', { nullable: true, writable: 'create' }),
    json('surcharges', 'surcharges'),
    scalar('isDefault', 'is_default', 'boolean'),
    scalar('minQuantity', 'min_quantity', 'decimal'),
    scalar('maxQuantity', 'max_quantity', 'decimal', { nullable: true }),
    sortOrder,
    active,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    {
      name: 'group',
      foreignKey: 'group_id',
      entity: 'product-option-groups',
      target: () => querySchemaOf(OPTION_GROUP_DEFINITION),
    },
    {
      name: 'optionProduct',
      foreignKey: 'option_product_id',
      entity: 'products',
      target: () => querySchemaOf(PRODUCT_DEFINITION),
    },
  ],
  search: null,
  defaultSort: 'sortOrder',
};

/** Options sold together at a discount. */
export const BUNDLE_DEFINITION: ResourceDefinition = {
  entity: 'product-bundles',
  label: 'product-bundle',
  table: 'product_bundles',
  alias: 'pbu',
  attributes: [
    productId(),
    json('name', 'name'),
    array('optionIds', 'option_ids'),
    scalar('discountPercent', 'discount_percent', 'decimal', { sortable: true }),
    active,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [productRelation],
  search: null,
  defaultSort: '-createdAt',
};

/** requires / excludes / only-with / quantity-limit between the options of one product. */
export const OPTION_RULE_DEFINITION: ResourceDefinition = {
  entity: 'product-option-rules',
  label: 'product-option-rule',
  table: 'product_option_rules',
  alias: 'por',
  attributes: [
    productId({ writable: 'never' }),
    scalar('kind', 'kind', 'enum', { values: RULE_KINDS, sortable: true }),
    scalar('optionId', 'option_id', 'uuid', { writable: 'create' }),
    array('targetOptionIds', 'target_option_ids'),
    scalar('minQuantity', 'min_quantity', 'decimal', { nullable: true }),
    scalar('maxQuantity', 'max_quantity', 'decimal', { nullable: true }),
    json('message', 'message'),
    active,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [productRelation],
  search: null,
  defaultSort: '-createdAt',
};

/** A percent off configurations for an account segment, matched like price books. */
export const DISCOUNT_DEFINITION: ResourceDefinition = {
  entity: 'configuration-discounts',
  label: 'configuration-discount',
  table: 'configuration_discounts',
  alias: 'cdi',
  attributes: [
    scalar('name', 'name', 'string', { sortable: true }),
    scalar('productId', 'product_id', 'uuid', { nullable: true }),
    scalar('accountType', 'account_type', 'enum', { values: ACCOUNT_TYPES, nullable: true }),
    scalar('industry', 'industry', 'string', { nullable: true }),
    scalar('tier', 'tier', 'string', { nullable: true }),
    scalar('discountPercent', 'discount_percent', 'decimal', { sortable: true }),
    ...VALIDITY,
    active,
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: 'lower(cdi.name)',
  defaultSort: 'name',
};

/** A seller's saved configuration with the lines and total of its last pricing. */
export const CONFIGURATION_DEFINITION: ResourceDefinition = {
  entity: 'configurations',
  label: 'configuration',
  table: 'product_configurations',
  alias: 'pcf',
  attributes: [
    scalar('name', 'name', 'string', { nullable: true, sortable: true }),
    scalar('productId', 'product_id', 'uuid'),
    scalar('accountId', 'account_id', 'uuid', { nullable: true }),
    scalar('currency', 'currency', 'string'),
    scalar('quantity', 'quantity', 'decimal'),
    scalar('day', 'price_date', 'date', { nullable: true, sortable: true }),
    json('selections', 'selections'),
    { ...json('lines', 'lines'), writable: 'never' },
    { name: 'total', column: 'total', kind: 'money', writable: 'never' },
    scalar('pricedAt', 'priced_at', 'datetime', { writable: 'never', sortable: true }),
    ...RECORD_ATTRIBUTES,
  ],
  relations: [
    productRelation,
    {
      name: 'account',
      foreignKey: 'account_id',
      entity: 'accounts',
      target: () => querySchemaOf(ACCOUNT_DEFINITION),
    },
  ],
  search: 'lower(pcf.name)',
  defaultSort: '-createdAt',
};
