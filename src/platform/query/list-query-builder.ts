import { AppError } from '#platform/http/app-error.js';
import { isStorableText } from '#platform/http/request-input-guard.js';
import { UUID_PATTERN } from '#platform/database/uuid7.js';
import {
  parseSort,
  type FilterNode,
  type FilterOperator,
  type ListRequest,
  type SortKey,
} from './list-request.js';
import { sqlTypeOf, type QueryField, type QuerySchema } from './query-schema.js';
import type { SqlParams } from './sql-params.js';

/** Restrictions the caller's role puts on a query: which rows, and which fields exist for them. */
export interface QueryAccess {
  /** SQL predicate limiting rows to the caller's read scope, for a given alias. */
  scope(schema: QuerySchema, alias: string, params: SqlParams): string;
  /** Fields hidden from the caller behave as if they did not exist. */
  isHidden(entity: string, field: string): boolean;
}

/** A predicate a caller adds to a list; a function receives the list's parameters for its values. */
export type ExtraWhere = string | ((params: SqlParams) => string);

export interface CompiledList {
  sql: string;
  countSql: string;
  params: unknown[];
  countParams: unknown[];
  keyCount: number;
}

interface Key {
  expr: string;
  dir: 'asc' | 'desc';
  nullable: boolean;
  sqlType: string;
}

const ORDERED = new Set(['integer', 'decimal', 'date', 'datetime', 'string', 'enum', 'uuid']);
const MAX_IN = 500;

function invalid(
  field: string,
  rule: string,
  message: string,
  params?: Record<string, unknown>,
): AppError {
  return new AppError('invalid_query', {}, [{ field, rule, message, params }]);
}

/** Resolves `lastName` or `account.industry` to a field, joining the relation when needed. */
function resolveField(
  schema: QuerySchema,
  name: string,
  access: QueryAccess,
  joins: Map<string, string>,
  params: SqlParams,
  label: string,
): QueryField {
  const own = schema.fields.get(name);
  if (own && !access.isHidden(schema.entity, own.permissionField)) return own;
  const dot = name.indexOf('.');
  if (!own && dot > 0) {
    const relation = schema.relations.get(name.slice(0, dot));
    if (relation) {
      const target = relation.target();
      const field = target.fields.get(name.slice(dot + 1));
      if (field && !access.isHidden(target.entity, field.permissionField)) {
        const alias = `r_${relation.name}`;
        if (!joins.has(alias)) {
          // The related row must itself be readable by the caller, or filtering through it
          // would reveal what the caller may not see.
          joins.set(
            alias,
            `LEFT JOIN ${target.table} ${alias} ON ${alias}.id = ${schema.alias}.${relation.foreignKey} AND ${alias}.deleted_at IS NULL AND ${access.scope(target, alias, params)}`,
          );
        }
        return {
          ...field,
          sql: field.sql.replace(new RegExp(`\\b${target.alias}\\.`, 'g'), `${alias}.`),
        };
      }
    }
  }
  throw invalid(label, 'unknownField', `"${name}" is not a field you can filter or sort by`);
}

function coerce(field: QueryField, raw: unknown, label: string): unknown {
  const text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
  switch (field.type) {
    case 'uuid':
      if (!UUID_PATTERN.test(text)) throw invalid(label, 'isUuid', 'must be a UUID');
      return text.toLowerCase();
    case 'integer':
      if (!/^-?\d{1,15}$/.test(text)) throw invalid(label, 'isInt', 'must be a whole number');
      return text;
    case 'decimal':
      if (!/^-?\d{1,20}(\.\d{1,10})?$/.test(text))
        throw invalid(label, 'isDecimal', 'must be a decimal number');
      return text;
    case 'boolean':
      if (text !== 'true' && text !== 'false')
        throw invalid(label, 'isBoolean', 'must be true or false');
      return text === 'true';
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text)))
        throw invalid(label, 'isDate', 'must be a date YYYY-MM-DD');
      return text;
    case 'datetime': {
      if (
        !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ||
        Number.isNaN(Date.parse(text))
      ) {
        throw invalid(label, 'isDate', 'must be an ISO 8601 date or date-time');
      }
      return text;
    }
    case 'enum':
      if (field.values && !field.values.includes(text)) {
        throw invalid(label, 'isIn', `must be one of: ${field.values.join(', ')}`, {
          values: field.values.join(', '),
        });
      }
      return text;
    default:
      if (text.length > 1000)
        throw invalid(label, 'maxLength', 'must be at most 1000 characters', { max: 1000 });
      return text;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compileCondition(
  schema: QuerySchema,
  node: { field: string; op: FilterOperator; value?: unknown },
  access: QueryAccess,
  joins: Map<string, string>,
  params: SqlParams,
): string {
  const label = `filter[${node.field}][${node.op}]`;
  const field = resolveField(schema, node.field, access, joins, params, label);
  const cast = field.castAs ?? sqlTypeOf(field.type);
  const ci = field.caseInsensitive === true;
  const col = ci ? `lower(${field.sql})` : field.sql;
  const p = (v: unknown) => (ci ? `lower(${params.add(v)})` : `${params.add(v)}::${cast}`);
  const { op } = node;
  if (op === 'isNull') {
    const v = coerce({ ...field, type: 'boolean' }, node.value, label);
    if (field.jsonArray) {
      return v
        ? `coalesce(jsonb_array_length(${field.sql}), 0) = 0`
        : `jsonb_array_length(${field.sql}) > 0`;
    }
    if (field.type === 'string[]')
      return v ? `cardinality(${field.sql}) = 0` : `cardinality(${field.sql}) > 0`;
    return v ? `${field.sql} IS NULL` : `${field.sql} IS NOT NULL`;
  }
  if (field.type === 'string[]') {
    if (op !== 'contains' && op !== 'eq')
      throw invalid(label, 'isIn', 'list fields support contains, eq and isNull', {
        values: 'contains, eq, isNull',
      });
    const value = String(
      coerce({ ...field, type: field.values ? 'enum' : 'string' }, node.value, label),
    );
    if (field.jsonArray) return `${field.sql} @> jsonb_build_array(${params.add(value)}::text)`;
    return `${params.add(value.toLowerCase())} = ANY(${field.sql})`;
  }
  switch (op) {
    case 'eq':
      return `${col} = ${p(coerce(field, node.value, label))}`;
    case 'ne':
      return `${col} IS DISTINCT FROM ${p(coerce(field, node.value, label))}`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!ORDERED.has(field.type))
        throw invalid(label, 'isIn', `${field.type} fields cannot be compared with ${op}`);
      const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      return `${col} ${sym} ${p(coerce(field, node.value, label))}`;
    }
    case 'in':
    case 'nin': {
      const raw = Array.isArray(node.value) ? node.value : String(node.value ?? '').split(',');
      if (raw.length === 0 || raw.length > MAX_IN)
        throw invalid(label, 'arrayMaxSize', `must list 1 to ${MAX_IN} values`, { max: MAX_IN });
      const values = raw.map((v) => coerce(field, typeof v === 'string' ? v.trim() : v, label));
      const list = ci ? values.map((v) => String(v).toLowerCase()) : values;
      const arr = `${params.add(list)}::${cast}[]`;
      return op === 'in'
        ? `${col} = ANY(${arr})`
        : `(${field.sql} IS NULL OR NOT (${col} = ANY(${arr})))`;
    }
    case 'contains':
    case 'startsWith': {
      if (field.type !== 'string' && field.type !== 'enum')
        throw invalid(label, 'isIn', `${op} applies to text fields only`);
      const text = String(coerce(field, node.value, label));
      if (text === '') throw invalid(label, 'minLength', 'must not be empty', { min: 1 });
      const pattern = op === 'contains' ? `%${escapeLike(text)}%` : `${escapeLike(text)}%`;
      return `${field.sql} ILIKE ${params.add(pattern)}`;
    }
  }
}

function compileFilter(
  schema: QuerySchema,
  node: FilterNode,
  access: QueryAccess,
  joins: Map<string, string>,
  params: SqlParams,
): string {
  if ('and' in node)
    return `(${node.and.map((n) => compileFilter(schema, n, access, joins, params)).join(' AND ')})`;
  if ('or' in node)
    return `(${node.or.map((n) => compileFilter(schema, n, access, joins, params)).join(' OR ')})`;
  if ('not' in node) return `NOT (${compileFilter(schema, node.not, access, joins, params)})`;
  return compileCondition(schema, node, access, joins, params);
}

function sortKeys(
  schema: QuerySchema,
  sort: SortKey[],
  access: QueryAccess,
  joins: Map<string, string>,
  params: SqlParams,
): Key[] {
  const requested: SortKey[] = sort.length > 0 ? sort : parseSort(schema.defaultSort);
  const keys: Key[] = [];
  const seen = new Set<string>();
  for (const s of requested) {
    if (seen.has(s.field)) throw invalid('sort', 'unique', `"${s.field}" is listed twice`);
    seen.add(s.field);
    const field = resolveField(schema, s.field, access, joins, params, 'sort');
    if (!field.sortable) throw invalid('sort', 'unknownField', `"${s.field}" cannot be sorted by`);
    if (field.nullable)
      keys.push({
        expr: `(${field.sql} IS NULL)`,
        dir: 'asc',
        nullable: false,
        sqlType: 'boolean',
      });
    keys.push({
      expr: field.sql,
      dir: s.direction,
      nullable: field.nullable,
      sqlType: field.castAs ?? sqlTypeOf(field.type),
    });
  }
  if (!seen.has('id'))
    keys.push({
      expr: `${schema.alias}.id`,
      dir: keys[keys.length - 1].dir,
      nullable: false,
      sqlType: 'uuid',
    });
  return keys;
}

function decodeCursor(cursor: string, size: number): (string | null)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === size &&
      values.every((v) => v === null || (typeof v === 'string' && isStorableText(v)))
    ) {
      return values as (string | null)[];
    }
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'invalid', 'is not a cursor from this list with this sort');
}

export function encodeCursor(values: (string | null)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Rows after the cursor: a row-value comparison when it can use an index, else an OR chain. */
function keysetPredicate(keys: Key[], values: (string | null)[], params: SqlParams): string {
  const simple =
    keys.every((k) => !k.nullable && k.dir === keys[0].dir) && values.every((v) => v !== null);
  if (simple) {
    const left = keys.map((k) => k.expr).join(', ');
    const right = keys.map((k, i) => `${params.add(values[i])}::${k.sqlType}`).join(', ');
    return `(${left}) ${keys[0].dir === 'asc' ? '>' : '<'} (${right})`;
  }
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(
        values[j] === null
          ? `${keys[j].expr} IS NULL`
          : `${keys[j].expr} = ${params.add(values[j])}::${keys[j].sqlType}`,
      );
    }
    if (values[i] === null) continue; // nothing sorts after NULL within its group
    parts.push(
      `${keys[i].expr} ${keys[i].dir === 'asc' ? '>' : '<'} ${params.add(values[i])}::${keys[i].sqlType}`,
    );
    ors.push(`(${parts.join(' AND ')})`);
  }
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}

/**
 * The one place list SQL is written. Everything a client sends is checked against the
 * schema's whitelist; every value becomes a parameter. The page fetches limit + 1 rows to
 * know whether another page exists, and the sort keys as text so the cursor keeps full
 * timestamp precision.
 */
export function buildListQuery(
  schema: QuerySchema,
  request: ListRequest,
  access: QueryAccess,
  params: SqlParams,
  extraWhere: ExtraWhere[] = [],
): CompiledList {
  const a = schema.alias;
  const joins = new Map<string, string>();
  const where = [
    ...(schema.softDelete === false ? [] : [`${a}.deleted_at IS NULL`]),
    access.scope(schema, a, params),
    ...extraWhere.map((w) => (typeof w === 'string' ? w : w(params))),
  ];
  if (schema.discriminator)
    where.push(`${a}.${schema.discriminator.column} = ${params.add(schema.discriminator.value)}`);
  if (request.filter) where.push(compileFilter(schema, request.filter, access, joins, params));
  if (request.q) {
    if (!schema.search)
      throw invalid('q', 'unknownField', 'this list does not support text search');
    where.push(`${schema.search} LIKE ${params.add(`%${escapeLike(request.q.toLowerCase())}%`)}`);
  }
  const keys = sortKeys(schema, request.sort, access, joins, params);
  const countParams = [...params.values];
  const countWhere = [...where];
  if (request.cursor)
    where.push(keysetPredicate(keys, decodeCursor(request.cursor, keys.length), params));
  const from = `${schema.table} ${a} ${[...joins.values()].join(' ')}`;
  const keySelect = keys.map((k, i) => `(${k.expr})::text AS "__k${i}"`).join(', ');
  const order = keys.map((k) => `${k.expr} ${k.dir.toUpperCase()}`).join(', ');
  const extra = (schema.selects ?? []).map((s) => `${s.sql} AS "${s.as}"`);
  const sql = `SELECT ${[`${a}.*`, ...extra, keySelect].join(', ')} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${request.limit + 1}`;
  const countSql = `SELECT count(*)::bigint AS n FROM ${from} WHERE ${countWhere.join(' AND ')}`;
  return { sql, countSql, params: params.values, countParams, keyCount: keys.length };
}

/** Cursor for the row a page ended on. */
export function cursorOf(row: Record<string, unknown>, keyCount: number): string {
  const values: (string | null)[] = [];
  for (let i = 0; i < keyCount; i++) values.push((row[`__k${i}`] as string | null) ?? null);
  return encodeCursor(values);
}
