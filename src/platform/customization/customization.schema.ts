/**
 * The `customization` section of crm.config.yaml: per entity, custom fields, the values of
 * built-in picklists, and required-when rules. JSON Schema for the shape; the meaning
 * (known entities, clashing codes, valid defaults) is checked by CustomizationService.
 */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'longText',
  'number',
  'decimal',
  'money',
  'boolean',
  'date',
  'datetime',
  'email',
  'url',
  'phone',
  'picklist',
  'multiPicklist',
  'reference',
  'formula',
  'rollup',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface LocalizedText {
  en: string;
  id?: string;
}

export interface PicklistOption {
  value: string;
  label: LocalizedText;
}

export interface CustomFieldConfig {
  code: string;
  type: CustomFieldType;
  label: LocalizedText;
  helpText?: LocalizedText;
  required?: boolean;
  default?: unknown;
  unique?: boolean;
  indexed?: boolean;
  min?: number | string;
  max?: number | string;
  maxLength?: number;
  regex?: string;
  options?: PicklistOption[];
  /** For `reference`: the entity the value points at. */
  references?: string;
  /** For `formula`: the expression, over the record's fields. */
  expression?: string;
  /** For `formula`: what the expression yields. */
  resultType?: 'number' | 'decimal' | 'text' | 'boolean' | 'date';
  /** For `rollup`: an aggregate over the records that point at this one. */
  rollup?: RollupConfig;
}

export interface RollupConfig {
  /** Entity of the related records, e.g. `contacts`. */
  entity: string;
  /** Their field that holds this record's id, e.g. `accountId`. */
  via: string;
  function: 'count' | 'sum' | 'min' | 'max' | 'avg';
  /** Field aggregated (not for count), e.g. `annualRevenue.amount`. */
  field?: string;
  /** Only related records matching every condition count. */
  filter?: {
    field: string;
    op: 'eq' | 'ne' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'isNull';
    value?: unknown;
  }[];
}

export const COMPUTED_TYPES: readonly CustomFieldType[] = ['formula', 'rollup'];

export interface RequiredWhenRule {
  field: string;
  requiredWhen: { field: string; op: 'eq' | 'ne' | 'in' | 'isNull'; value?: unknown };
  message?: LocalizedText;
}

export interface EntityCustomization {
  fields?: CustomFieldConfig[];
  picklists?: Record<string, PicklistOption[]>;
  rules?: RequiredWhenRule[];
}

export type CustomizationConfig = Record<string, EntityCustomization>;

/** A record type declared in config: a name, a description and the custom fields it lists. */
export interface CustomObjectConfig {
  /** Plural kebab-case key: the path (/api/v1/<entity>) and the permission key. */
  entity: string;
  label: LocalizedText;
  labelPlural?: LocalizedText;
  fields?: CustomFieldConfig[];
}

/** JSON Schema of a LocalizedText: `en` always, `id` when given. */
export const LOCALIZED_TEXT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['en'],
  properties: {
    en: { type: 'string', minLength: 1, maxLength: 200 },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

const option = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'label'],
  properties: {
    value: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' },
    label: LOCALIZED_TEXT_SCHEMA,
  },
};

const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'type', 'label'],
  properties: {
    code: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
    type: { enum: CUSTOM_FIELD_TYPES },
    label: LOCALIZED_TEXT_SCHEMA,
    helpText: LOCALIZED_TEXT_SCHEMA,
    required: { type: 'boolean' },
    default: {},
    unique: { type: 'boolean' },
    indexed: { type: 'boolean' },
    min: { type: ['number', 'string'] },
    max: { type: ['number', 'string'] },
    maxLength: { type: 'integer', minimum: 1, maximum: 100000 },
    regex: { type: 'string', minLength: 1, maxLength: 500 },
    options: { type: 'array', minItems: 1, maxItems: 500, items: option },
    references: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    expression: { type: 'string', minLength: 1, maxLength: 2000 },
    resultType: { enum: ['number', 'decimal', 'text', 'boolean', 'date'] },
    rollup: {
      type: 'object',
      additionalProperties: false,
      required: ['entity', 'via', 'function'],
      properties: {
        entity: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
        via: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.]{0,80}$' },
        function: { enum: ['count', 'sum', 'min', 'max', 'avg'] },
        field: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.]{0,80}$' },
        filter: {
          type: 'array',
          maxItems: 10,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['field', 'op'],
            properties: {
              field: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.]{0,80}$' },
              op: { enum: ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'isNull'] },
              value: {
                type: ['string', 'number', 'boolean', 'array', 'null'],
                items: { type: ['string', 'number'] },
              },
            },
          },
        },
      },
    },
  },
};

export const OBJECTS_SCHEMA = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['entity', 'label'],
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' },
      label: LOCALIZED_TEXT_SCHEMA,
      labelPlural: LOCALIZED_TEXT_SCHEMA,
      fields: { type: 'array', maxItems: 200, items: fieldSchema },
    },
  },
} as const;

export const CUSTOMIZATION_SCHEMA = {
  type: 'object',
  propertyNames: { pattern: '^[a-z][a-z0-9-]{0,62}$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fields: { type: 'array', maxItems: 200, items: fieldSchema },
      picklists: {
        type: 'object',
        propertyNames: { pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
        additionalProperties: { type: 'array', minItems: 1, maxItems: 500, items: option },
      },
      rules: {
        type: 'array',
        maxItems: 200,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['field', 'requiredWhen'],
          properties: {
            field: { type: 'string', minLength: 1, maxLength: 80 },
            requiredWhen: {
              type: 'object',
              additionalProperties: false,
              required: ['field', 'op'],
              properties: {
                field: { type: 'string', minLength: 1, maxLength: 80 },
                op: { enum: ['eq', 'ne', 'in', 'isNull'] },
                value: {},
              },
            },
            message: LOCALIZED_TEXT_SCHEMA,
          },
        },
      },
    },
  },
} as const;
