import type { OpenAPIObject } from '@nestjs/swagger';
import { customization } from './custom-field-registry.js';
import type { CustomFieldConfig } from './customization.schema.js';

function schemaOf(f: CustomFieldConfig): Record<string, unknown> {
  const description = [f.label.en, f.helpText?.en].filter(Boolean).join(' — ');
  const base: Record<string, unknown> = { description, nullable: !f.required, 'x-labels': f.label };
  if (f.default !== undefined) base.default = f.default;
  switch (f.type) {
    case 'formula':
    case 'rollup': {
      const t =
        f.type === 'rollup' && f.rollup?.function === 'count'
          ? 'number'
          : (f.resultType ?? 'decimal');
      const json =
        t === 'number'
          ? { type: 'number' }
          : t === 'boolean'
            ? { type: 'boolean' }
            : t === 'date'
              ? { type: 'string', format: 'date' }
              : { type: 'string' };
      return {
        ...base,
        ...json,
        readOnly: true,
        'x-computed': f.type === 'formula' ? { expression: f.expression } : { rollup: f.rollup },
      };
    }
    case 'number':
      return { ...base, type: 'number', minimum: f.min, maximum: f.max };
    case 'decimal':
      return { ...base, type: 'string', pattern: '^-?\\d{1,18}(\\.\\d{1,6})?$', example: '12.50' };
    case 'money':
      return {
        ...base,
        type: 'object',
        required: ['amount', 'currency'],
        properties: {
          amount: { type: 'string', example: '1250000.00' },
          currency: { type: 'string', example: 'IDR' },
        },
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'picklist':
      return {
        ...base,
        type: 'string',
        enum: f.options?.map((o) => o.value),
        'x-options': f.options,
      };
    case 'multiPicklist':
      return {
        ...base,
        type: 'array',
        items: { type: 'string', enum: f.options?.map((o) => o.value) },
        'x-options': f.options,
      };
    case 'reference':
      return { ...base, type: 'string', format: 'uuid', 'x-references': f.references };
    case 'email':
      return { ...base, type: 'string', format: 'email', maxLength: f.maxLength ?? 254 };
    case 'url':
      return { ...base, type: 'string', format: 'uri', maxLength: f.maxLength ?? 2000 };
    default:
      return {
        ...base,
        type: 'string',
        maxLength: f.maxLength ?? (f.type === 'longText' ? 100_000 : 255),
        pattern: f.regex,
      };
  }
}

/** A built-in picklist whose values the config replaces lists the configured ones. */
function describePicklists(entity: string, properties: Record<string, unknown>): void {
  for (const [field, property] of Object.entries(properties)) {
    const options = customization.picklist(entity, field);
    const schema = property as { enum?: unknown[]; nullable?: boolean };
    if (!options || !Array.isArray(schema.enum)) continue;
    const values: unknown[] = options.map((o) => o.value);
    properties[field] = {
      ...schema,
      enum: schema.nullable ? [...values, null] : values,
      'x-options': options,
    };
  }
}

/** Describes each entity's configured custom fields on its DTO schemas, so the docs show them typed. */
export function describeCustomFields(
  document: OpenAPIObject,
  schemasByEntity: ReadonlyMap<string, string[]>,
): void {
  const schemas = (document.components?.schemas ?? {}) as Record<
    string,
    { properties?: Record<string, unknown> }
  >;
  for (const [entity, names] of schemasByEntity) {
    const fields = customization.fieldsOf(entity);
    const custom = {
      type: 'object',
      additionalProperties: false,
      description: fields.length
        ? 'Custom fields declared in crm.config.yaml'
        : 'No custom fields are declared for this record type',
      properties: Object.fromEntries(fields.map((f) => [f.code, schemaOf(f)])),
    };
    for (const name of names) {
      const schema = schemas[name];
      if (schema?.properties?.customFields) schema.properties.customFields = custom;
      describePicklists(entity, schema?.properties ?? {});
    }
  }
}
