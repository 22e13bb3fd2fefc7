/** What the list query builder may touch on one entity: its whitelist of fields and relations. */
export type QueryFieldType =
  'uuid' | 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'enum' | 'string[]';

export interface QueryField {
  /** Name in the API, e.g. `lastName` or `annualRevenue.amount`. */
  name: string;
  /** SQL expression over the entity's alias, e.g. `c.last_name`. */
  sql: string;
  type: QueryFieldType;
  values?: readonly string[];
  nullable: boolean;
  sortable: boolean;
  /** Compare in lower case (emails): equality then uses a `lower(...)` index. */
  caseInsensitive?: boolean;
  /** Top-level API field whose field permission governs this one. */
  permissionField: string;
  /** SQL type of parameters and cursor values when it differs from the field's own. */
  castAs?: string;
  /** A jsonb array (multi-picklist): `contains` tests membership with @>. */
  jsonArray?: boolean;
}

export interface QueryRelation {
  /** Name used in `filter[account.industry]` and `include=account`. */
  name: string;
  /** Column on this entity holding the related record's id. */
  foreignKey: string;
  /** Entity key of the related record, for `include`. */
  entity: string;
  target: () => QuerySchema;
}

export interface QuerySchema {
  entity: string;
  table: string;
  alias: string;
  fields: ReadonlyMap<string, QueryField>;
  relations: ReadonlyMap<string, QueryRelation>;
  /** Lower-cased SQL expression searched by `q` (matches a trigram index). */
  search: string | null;
  defaultSort: string;
  /** False for tables whose rows are never soft-deleted (jobs, delivery logs). Default true. */
  softDelete?: boolean;
  /** Rows of this entity in a table shared with others (custom objects): column = value. */
  discriminator?: { column: string; value: string };
  /** Extra expressions every read selects (formula and roll-up fields). */
  selects?: { as: string; sql: string }[];
  /** Column names used for record scope. */
  ownerColumn: string | null;
  teamColumn: string | null;
}

const SQL_TYPES: Record<QueryFieldType, string> = {
  uuid: 'uuid',
  string: 'text',
  enum: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  'string[]': 'text',
};

export function sqlTypeOf(type: QueryFieldType): string {
  return SQL_TYPES[type];
}
