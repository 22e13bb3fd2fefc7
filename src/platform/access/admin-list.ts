import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import { buildListQuery, cursorOf, type QueryAccess } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { QueryField, QuerySchema } from '#platform/query/query-schema.js';
import { SqlParams } from '#platform/query/sql-params.js';

/**
 * Users, teams and roles are read by admins only, who see every row and every field: the
 * admin check happens in the service before the list is built.
 */
const UNRESTRICTED: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

export interface AdminListPage<T> {
  data: Partial<T>[];
  meta: { nextCursor: string | null; limit: number; total?: number };
}

/** A query-schema field over one column of an administration table. */
export function adminField(
  name: string,
  sql: string,
  type: QueryField['type'],
  options: Partial<Pick<QueryField, 'nullable' | 'sortable' | 'caseInsensitive' | 'values'>> = {},
): [string, QueryField] {
  return [
    name,
    {
      name,
      sql,
      type,
      nullable: options.nullable ?? false,
      sortable: options.sortable ?? false,
      caseInsensitive: options.caseInsensitive,
      values: options.values,
      permissionField: name,
    },
  ];
}

/**
 * Runs a list of an administration table through the shared list query builder and maps the
 * page with `present`. `fields=` projects the response; administration tables have no
 * relations, so `include=` is refused. `where` narrows the rows to one parent's (the
 * deliveries of a webhook, the errors of an import).
 */
export async function listAdminTable<T extends { id: string }>(
  db: DatabaseService,
  ctx: RequestContext,
  schema: QuerySchema,
  request: ListRequest,
  present: (rows: Record<string, unknown>[]) => Promise<T[]> | T[],
  responseFields: readonly (keyof T & string)[],
  where: (params: SqlParams) => string[] = () => [],
): Promise<AdminListPage<T>> {
  if (request.include.length > 0) {
    throw new AppError('invalid_query', {}, [
      {
        field: 'include',
        rule: 'unknownField',
        message: `"${request.include[0]}" is not a relation`,
        params: { value: request.include[0] },
      },
    ]);
  }
  const unknown = (request.fields ?? []).filter(
    (f) => !(responseFields as readonly string[]).includes(f),
  );
  if (unknown.length > 0) {
    throw new AppError(
      'invalid_query',
      {},
      unknown.map((f) => ({
        field: 'fields',
        rule: 'unknownField',
        message: `"${f}" is not a field`,
        params: { value: f },
      })),
    );
  }
  const params = new SqlParams();
  const compiled = buildListQuery(schema, request, UNRESTRICTED, params, where(params));
  const rows = await db.query(ctx, compiled.sql, compiled.params);
  const page = rows.slice(0, request.limit);
  const items = await present(page);
  const fields = request.fields;
  const data: Partial<T>[] = fields
    ? items.map(
        (item) =>
          Object.fromEntries(
            Object.entries(item).filter(([k]) => k === 'id' || fields.includes(k)),
          ) as Partial<T>,
      )
    : items;
  const meta: AdminListPage<T>['meta'] = {
    nextCursor:
      rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
    limit: request.limit,
  };
  // Administration tables are small: an exact count is cheap, so `estimated` gets one too.
  if (request.count) {
    const [{ n }] = await db.query<{ n: string }>(ctx, compiled.countSql, compiled.countParams);
    meta.total = Number(n);
  }
  return { data, meta };
}
