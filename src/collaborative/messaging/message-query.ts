import type { QueryField, QuerySchema } from '#platform/query/index.js';

const field = (f: Omit<QueryField, 'permissionField' | 'nullable'>, nullable = false) =>
  [f.name, { ...f, nullable, permissionField: f.name }] as const;

let schema: QuerySchema | null = null;

/**
 * What a thread's message list filters and sorts by, oldest first. Deleted messages stay in
 * the list as tombstones, so the schema has no soft delete; `seq` keeps the order exact.
 */
export function messageQuerySchema(): QuerySchema {
  schema ??= {
    entity: 'thread-messages',
    table: 'thread_messages',
    alias: 'm',
    fields: new Map([
      field({ name: 'id', sql: 'm.id', type: 'uuid', sortable: false }),
      field({ name: 'seq', sql: 'm.seq', type: 'integer', sortable: true }),
      field({ name: 'createdAt', sql: 'm.created_at', type: 'datetime', sortable: true }),
      field({ name: 'internal', sql: 'm.internal', type: 'boolean', sortable: false }),
      field({ name: 'parentId', sql: 'm.parent_id', type: 'uuid', sortable: false }, true),
      field({ name: 'author.id', sql: 'm.author_id', type: 'uuid', sortable: false }),
      field(
        {
          name: 'author.kind',
          sql: 'm.author_kind',
          type: 'enum',
          values: ['user', 'contact', 'partner_user'],
          sortable: false,
        },
        false,
      ),
    ]),
    relations: new Map(),
    search: null,
    defaultSort: 'seq',
    softDelete: false,
    ownerColumn: null,
    teamColumn: null,
  };
  return schema;
}
