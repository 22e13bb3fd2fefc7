import type { OpenAPIObject } from '@nestjs/swagger';
import { FILTER_OPERATORS, MAX_PARAM_LENGTH } from '#platform/query/list-request.js';
import type { QuerySchema } from '#platform/query/query-schema.js';

/** `filter[field][op]=value`: every operator takes its value as query-string text. */
const FILTER_OPERATORS_SCHEMA = {
  type: 'object',
  description:
    'Operator → value; `in`/`nin` take a comma-separated list, `isNull` takes true or false',
  additionalProperties: false,
  properties: Object.fromEntries(
    FILTER_OPERATORS.map((op) => [op, { type: 'string', maxLength: MAX_PARAM_LENGTH }]),
  ),
};

/** `contact` → `ContactFilter`, `sales order` → `SalesOrderFilter`. */
function schemaName(label: string): string {
  const words = label.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Filter`;
}

function kebab(entity: string): string {
  return entity.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Gives the `filter` parameter of each record list a schema whose properties are that
 * resource's filterable fields, built from the same query schema that validates the filter.
 */
export function documentRecordFilters(
  document: OpenAPIObject,
  resources: { label: string; schema: QuerySchema }[],
): void {
  const components = { ...document.components?.schemas };
  components.FilterOperators = FILTER_OPERATORS_SCHEMA;
  for (const { label, schema } of resources) {
    const item = document.paths[`/api/v1/${kebab(schema.entity)}`];
    const filter = item?.get?.parameters?.find((p) => 'name' in p && p.name === 'filter');
    if (!filter || !('name' in filter)) continue;
    const name = schemaName(label);
    components[name] = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        [...schema.fields.keys()]
          .sort()
          .map((field) => [field, { $ref: '#/components/schemas/FilterOperators' }]),
      ),
    };
    for (const operation of Object.values(item)) {
      const parameters = (operation as { parameters?: { name: string; schema?: unknown }[] })
        .parameters;
      const param = parameters?.find((p) => p.name === 'filter');
      if (param) param.schema = { $ref: `#/components/schemas/${name}` };
    }
  }
  document.components = { ...document.components, schemas: components };
}
