import type { OpenAPIObject } from '@nestjs/swagger';
import {
  FILTER_OPERATORS,
  MAX_LIST_ITEMS,
  MAX_PARAM_LENGTH,
  MAX_SORT_KEYS,
} from '#platform/query/list-request.js';
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

/** The names a list parameter of one resource takes. */
export interface RecordListNames {
  entity: string;
  /** Fields `sort=` orders by. */
  sortable: string[];
  /** Fields and relations `fields=` of a read or a list keeps. */
  readable: string[];
  /** Columns `fields=` of a CSV export keeps (custom fields one by one). */
  exportable: string[];
}

const escapeName = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `^(a|b)(,(a|b)){0,max-1}$`, optionally with `-` before each item. */
function listPattern(names: string[], max: number, descending: boolean): string {
  const item = `${descending ? '-?' : ''}(${[...names].sort().map(escapeName).join('|')})`;
  return `^${item}(,${item}){0,${max - 1}}$`;
}

function setParam(
  operation: unknown,
  name: string,
  names: string[],
  max: number,
  descending: boolean,
): void {
  const param = (
    operation as { parameters?: { name: string; schema?: Record<string, unknown> }[] }
  )?.parameters?.find((p) => p.name === name);
  if (!param || names.length === 0) return;
  const example = param.schema?.example;
  param.schema = {
    type: 'string',
    maxLength: MAX_PARAM_LENGTH,
    pattern: listPattern(names, max, descending),
    ...(typeof example === 'string' ? { example } : {}),
  };
}

/**
 * Gives `sort` and `fields` of each record's list, read and export the exact pattern of what
 * the server takes there — its sortable fields, its fields and relations, its export columns —
 * so a generated client can check a value before sending it.
 */
export function documentRecordSortAndFields(
  document: OpenAPIObject,
  resources: RecordListNames[],
): void {
  for (const r of resources) {
    const base = `/api/v1/${kebab(r.entity)}`;
    const list = document.paths[base]?.get;
    setParam(list, 'sort', r.sortable, MAX_SORT_KEYS, true);
    setParam(list, 'fields', r.readable, MAX_LIST_ITEMS, false);
    setParam(document.paths[`${base}/{id}`]?.get, 'fields', r.readable, MAX_LIST_ITEMS, false);
    const exported = document.paths[`${base}/export`]?.get;
    setParam(exported, 'sort', r.sortable, MAX_SORT_KEYS, true);
    setParam(exported, 'fields', r.exportable, MAX_LIST_ITEMS, false);
  }
}
