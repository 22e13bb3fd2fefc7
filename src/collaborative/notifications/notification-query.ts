import type { QueryField, QuerySchema } from '#platform/query/index.js';
import { NOTIFICATION_KINDS } from './notifications.events.js';

const field = (f: Omit<QueryField, 'permissionField' | 'nullable'>, nullable = false) =>
  [f.name, { ...f, nullable, permissionField: f.name }] as const;

let schema: QuerySchema | null = null;

/** What an inbox filters and sorts by, newest first. */
export function notificationQuerySchema(): QuerySchema {
  schema ??= {
    entity: 'notifications',
    table: 'notifications',
    alias: 'n',
    fields: new Map([
      field({ name: 'id', sql: 'n.id', type: 'uuid', sortable: true }),
      field({
        name: 'kind',
        sql: 'n.kind',
        type: 'enum',
        values: NOTIFICATION_KINDS,
        sortable: false,
      }),
      field({ name: 'entity', sql: 'n.entity', type: 'string', sortable: false }, true),
      field({ name: 'recordId', sql: 'n.record_id', type: 'uuid', sortable: false }, true),
      field({ name: 'createdAt', sql: 'n.created_at', type: 'datetime', sortable: true }),
      field({ name: 'readAt', sql: 'n.read_at', type: 'datetime', sortable: true }, true),
    ]),
    relations: new Map(),
    search: 'lower(n.title)',
    defaultSort: '-createdAt',
    softDelete: false,
    ownerColumn: null,
    teamColumn: null,
  };
  return schema;
}
