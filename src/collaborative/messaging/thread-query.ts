import type { QueryField, QuerySchema } from '#platform/query/index.js';
import { THREAD_RECORD_TYPES } from './dto/thread.dto.js';

const field = (f: Omit<QueryField, 'permissionField' | 'nullable'>, nullable = false) =>
  [f.name, { ...f, nullable, permissionField: f.name }] as const;

let schema: QuerySchema | null = null;

/** What a list of threads filters and sorts by; who sees which is ThreadAccess's rule. */
export function threadQuerySchema(): QuerySchema {
  schema ??= {
    entity: 'threads',
    table: 'threads',
    alias: 't',
    fields: new Map([
      field({ name: 'id', sql: 't.id', type: 'uuid', sortable: true }),
      field({ name: 'subject', sql: 't.subject', type: 'string', sortable: true }),
      field(
        {
          name: 'record.type',
          sql: 't.record_entity',
          type: 'enum',
          values: THREAD_RECORD_TYPES,
          sortable: false,
        },
        true,
      ),
      field({ name: 'record.id', sql: 't.record_id', type: 'uuid', sortable: false }, true),
      field({ name: 'ownerId', sql: 't.owner_id', type: 'uuid', sortable: false }),
      field({ name: 'createdAt', sql: 't.created_at', type: 'datetime', sortable: true }),
      field({ name: 'updatedAt', sql: 't.updated_at', type: 'datetime', sortable: true }),
      field(
        { name: 'lastMessageAt', sql: 't.last_message_at', type: 'datetime', sortable: true },
        true,
      ),
    ]),
    relations: new Map(),
    search: 'lower(t.subject)',
    defaultSort: '-createdAt',
    softDelete: true,
    ownerColumn: null,
    teamColumn: null,
  };
  return schema;
}

/** What an outside participant's thread list filters and sorts by: nothing about records or owners. */
const OUTSIDE_FIELDS = ['id', 'subject', 'createdAt', 'lastMessageAt'];
let outside: QuerySchema | null = null;

export function participantThreadQuerySchema(): QuerySchema {
  const all = threadQuerySchema();
  outside ??= {
    ...all,
    fields: new Map([...all.fields].filter(([name]) => OUTSIDE_FIELDS.includes(name))),
    defaultSort: '-lastMessageAt',
  };
  return outside;
}
