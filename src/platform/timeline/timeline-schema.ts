import type { QueryField, QuerySchema } from '#platform/query/query-schema.js';

const field = (f: Omit<QueryField, 'permissionField' | 'nullable'>): [string, QueryField] => [
  f.name,
  { ...f, nullable: false, permissionField: f.name },
];

let cached: { key: string; schema: QuerySchema } | null = null;

/**
 * What a timeline page may filter and sort by. Entries are readable through their source's
 * scope, not an owner of their own, so the schema has no owner column.
 */
export function timelineSchema(types: string[]): QuerySchema {
  const key = types.join(',');
  if (cached?.key === key) return cached.schema;
  const schema: QuerySchema = {
    entity: 'timeline',
    table: 'timeline_entries',
    alias: 't',
    fields: new Map([
      field({ name: 'id', sql: 't.id', type: 'uuid', sortable: true }),
      field({ name: 'type', sql: 't.type', type: 'enum', values: types, sortable: false }),
      field({ name: 'occurredAt', sql: 't.occurred_at', type: 'datetime', sortable: true }),
      field({ name: 'source.entity', sql: 't.source_entity', type: 'string', sortable: false }),
      field({ name: 'source.id', sql: 't.source_id', type: 'uuid', sortable: false }),
    ]),
    relations: new Map(),
    search: 'lower(t.title)',
    defaultSort: '-occurredAt',
    softDelete: false,
    ownerColumn: null,
    teamColumn: null,
  };
  cached = { key, schema };
  return schema;
}
