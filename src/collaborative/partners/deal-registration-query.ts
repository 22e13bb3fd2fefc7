import type { QueryField, QuerySchema } from '#platform/query/index.js';
import { REGISTRATION_STATUSES } from './dto/deal-registration.dto.js';

const field = (f: Omit<QueryField, 'permissionField' | 'nullable'>, nullable = false) =>
  [f.name, { ...f, nullable, permissionField: f.name }] as const;

let schema: QuerySchema | null = null;

/** What lists of deal registrations filter and sort by, newest first. */
export function registrationQuerySchema(): QuerySchema {
  schema ??= {
    entity: 'partners',
    table: 'deal_registrations',
    alias: 'dr',
    fields: new Map([
      field({ name: 'id', sql: 'dr.id', type: 'uuid', sortable: true }),
      field({ name: 'partnerId', sql: 'dr.partner_id', type: 'uuid', sortable: false }),
      field({
        name: 'status',
        sql: 'dr.status',
        type: 'enum',
        values: REGISTRATION_STATUSES,
        sortable: true,
      }),
      field({ name: 'accountName', sql: 'dr.account_name', type: 'string', sortable: true }),
      field(
        { name: 'expectedCloseDate', sql: 'dr.expected_close_date', type: 'date', sortable: true },
        true,
      ),
      field({ name: 'expiresAt', sql: 'dr.expires_at', type: 'datetime', sortable: true }, true),
      field({ name: 'createdAt', sql: 'dr.created_at', type: 'datetime', sortable: true }),
      field({ name: 'updatedAt', sql: 'dr.updated_at', type: 'datetime', sortable: true }),
    ]),
    relations: new Map(),
    search: 'lower(dr.account_name)',
    defaultSort: '-createdAt',
    softDelete: false,
    ownerColumn: null,
    teamColumn: null,
  };
  return schema;
}
