import { AppError, type FieldError } from '#platform/http/app-error.js';

export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'startsWith',
  'isNull',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { not: FilterNode }
  | { field: string; op: FilterOperator; value?: unknown };

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

/** A list request after parsing, identical whether it came from a query string or POST …/query. */
export interface ListRequest {
  filter: FilterNode | null;
  sort: SortKey[];
  limit: number;
  cursor: string | null;
  fields: string[] | null;
  include: string[];
  q: string | null;
  count: 'exact' | 'estimated' | null;
}

export interface ListLimits {
  defaultLimit: number;
  maxLimit: number;
}

/** The page sizes crm.config.yaml sets (`api.defaultPageSize`, `api.maxPageSize`). */
export function pageLimits(api: { defaultPageSize: number; maxPageSize: number }): ListLimits {
  return { defaultLimit: api.defaultPageSize, maxLimit: api.maxPageSize };
}

const LIST_PARAMS = new Set(['sort', 'limit', 'cursor', 'fields', 'include', 'q', 'count']);
const MAX_FILTERS = 50;
export const MAX_Q = 200;
/** The longest value of any list parameter or filter, as the API document states it. */
export const MAX_PARAM_LENGTH = 2000;
/** Longest field name sort, fields and include take (`customFields.<code>`, nested paths). */
export const MAX_FIELD_NAME = 200;
/** Most keys `sort` takes. */
export const MAX_SORT_KEYS = 5;
/** Most items `fields` and `include` take. */
export const MAX_LIST_ITEMS = 100;

function bad(
  field: string,
  rule: string,
  message: string,
  params?: Record<string, unknown>,
): AppError {
  return new AppError('invalid_query', {}, [{ field, rule, message, params }]);
}

function parseLimit(raw: unknown, limits: ListLimits): number {
  if (raw === undefined || raw === null || raw === '') return limits.defaultLimit;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw bad('limit', 'isInt', 'must be a whole number of at least 1', { min: 1 });
  if (n > limits.maxLimit)
    throw bad('limit', 'max', `must be at most ${limits.maxLimit}`, { max: limits.maxLimit });
  return n;
}

export function parseSort(raw: unknown): SortKey[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const parts = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  if (parts.length > MAX_SORT_KEYS)
    throw bad('sort', 'arrayMaxSize', `must have at most ${MAX_SORT_KEYS} items`, {
      max: MAX_SORT_KEYS,
    });
  return parts.map((p) => {
    const t = fieldName(p, 'sort');
    if (!/^-?[A-Za-z][\w.]*$/.test(t)) throw bad('sort', 'matches', `"${t}" is not a field name`);
    return t.startsWith('-')
      ? { field: t.slice(1), direction: 'desc' }
      : { field: t, direction: 'asc' };
  });
}

function parseList(raw: unknown, name: string): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  if (items.length > MAX_LIST_ITEMS)
    throw bad(name, 'arrayMaxSize', `must have at most ${MAX_LIST_ITEMS} items`, {
      max: MAX_LIST_ITEMS,
    });
  return items.map((s) => fieldName(s, name)).filter(Boolean);
}

function fieldName(raw: string, name: string): string {
  const t = raw.trim();
  if (t.length > MAX_FIELD_NAME)
    throw bad(name, 'maxLength', `items must be at most ${MAX_FIELD_NAME} characters`, {
      max: MAX_FIELD_NAME,
    });
  return t;
}

function parseCount(raw: unknown): ListRequest['count'] {
  if (raw === undefined || raw === null || raw === '') return null;
  if (raw === 'exact' || raw === 'estimated') return raw;
  throw bad('count', 'isIn', 'must be one of: exact, estimated', { values: 'exact, estimated' });
}

function parseQ(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw bad('q', 'isString', 'must be a string');
  if (raw.length > MAX_Q)
    throw bad('q', 'maxLength', `must be at most ${MAX_Q} characters`, { max: MAX_Q });
  return raw;
}

function isTooLong(value: unknown): boolean {
  return typeof value === 'string' && value.length > MAX_PARAM_LENGTH;
}

function isOperator(op: string): op is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(op);
}

/**
 * Parses `?filter[lastName][eq]=Wijaya&sort=-createdAt&limit=50…`. Keys arrive flat from the
 * query string; several filters combine with AND. `extraParams` are the resource's own
 * query parameters; anything else is an error rather than silently ignored.
 */
export function parseListQuery(
  query: Record<string, unknown>,
  limits: ListLimits,
  extraParams: readonly string[] = [],
): ListRequest {
  const filters: FilterNode[] = [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(query)) {
    if ((Array.isArray(value) ? value : [value]).some(isTooLong)) {
      errors.push({
        field: key,
        rule: 'maxLength',
        message: `must be at most ${MAX_PARAM_LENGTH} characters`,
        params: { max: MAX_PARAM_LENGTH },
      });
      continue;
    }
    if (key.startsWith('filter[')) {
      const m = /^filter\[([A-Za-z][\w.]*)\](?:\[([A-Za-z]+)\])?$/.exec(key);
      if (!m) {
        errors.push({ field: key, rule: 'matches', message: 'use filter[field][operator]=value' });
        continue;
      }
      const op = m[2] ?? 'eq';
      if (!isOperator(op)) {
        errors.push({
          field: key,
          rule: 'isIn',
          message: `unknown operator "${op}"`,
          params: { values: FILTER_OPERATORS.join(', ') },
        });
        continue;
      }
      for (const v of Array.isArray(value) ? value : [value])
        filters.push({ field: m[1], op, value: v });
      continue;
    }
    if (!LIST_PARAMS.has(key) && !extraParams.includes(key)) {
      errors.push({ field: key, rule: 'unknownField', message: 'is not a known query parameter' });
    }
  }
  if (errors.length) throw new AppError('invalid_query', {}, errors);
  if (filters.length > MAX_FILTERS)
    throw bad('filter', 'arrayMaxSize', `at most ${MAX_FILTERS} filters`, { max: MAX_FILTERS });
  const single = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
  return {
    filter: filters.length === 0 ? null : filters.length === 1 ? filters[0] : { and: filters },
    sort: parseSort(single(query.sort)),
    limit: parseLimit(single(query.limit), limits),
    cursor: (single(query.cursor) as string | undefined) || null,
    fields: query.fields === undefined ? null : parseList(single(query.fields), 'fields'),
    include: parseList(single(query.include), 'include'),
    q: parseQ(single(query.q)),
    count: parseCount(single(query.count)),
  };
}

const QUERY_BODY_KEYS = new Set([
  'filter',
  'sort',
  'limit',
  'cursor',
  'fields',
  'include',
  'q',
  'count',
]);

function parseNode(raw: unknown, path: string, depth: number): FilterNode {
  if (depth > 10) throw bad(path, 'max', 'filter is nested too deeply (max 10)', { max: 10 });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw bad(path, 'isObject', 'must be an object');
  const node = raw as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
    const list = node[keys[0]];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_FILTERS) {
      throw bad(
        `${path}.${keys[0]}`,
        'isArray',
        `must be an array of 1 to ${MAX_FILTERS} conditions`,
      );
    }
    const children = list.map((c, i) => parseNode(c, `${path}.${keys[0]}[${i}]`, depth + 1));
    return keys[0] === 'and' ? { and: children } : { or: children };
  }
  if (keys.length === 1 && keys[0] === 'not')
    return { not: parseNode(node.not, `${path}.not`, depth + 1) };
  const unknown = keys.filter((k) => !['field', 'op', 'value'].includes(k));
  if (unknown.length)
    throw bad(
      `${path}.${unknown[0]}`,
      'unknownField',
      'is not a known key (use and/or/not or field/op/value)',
    );
  if (typeof node.field !== 'string') throw bad(`${path}.field`, 'isString', 'must be a string');
  const op = node.op ?? 'eq';
  if (typeof op !== 'string' || !isOperator(op)) {
    throw bad(`${path}.op`, 'isIn', 'unknown operator', { values: FILTER_OPERATORS.join(', ') });
  }
  return { field: node.field, op, value: node.value };
}

function parseBodyCursor(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  if (isTooLong(raw))
    throw bad('cursor', 'maxLength', `must be at most ${MAX_PARAM_LENGTH} characters`, {
      max: MAX_PARAM_LENGTH,
    });
  return raw;
}

/** Parses the JSON body of POST …/query: the same request as a list, with an and/or/not tree. */
export function parseQueryBody(body: unknown, limits: ListLimits): ListRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw bad('(body)', 'isObject', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !QUERY_BODY_KEYS.has(k));
  if (unknown.length)
    throw new AppError(
      'invalid_query',
      {},
      unknown.map((k) => ({ field: k, rule: 'unknownField', message: 'is not a known field' })),
    );
  const asList = (v: unknown, name: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) && typeof v !== 'string')
      throw bad(name, 'isArray', 'must be an array of strings');
    return v;
  };
  return {
    filter: b.filter === undefined || b.filter === null ? null : parseNode(b.filter, 'filter', 0),
    sort: parseSort(asList(b.sort, 'sort')),
    limit: parseLimit(b.limit, limits),
    cursor: parseBodyCursor(b.cursor),
    fields: b.fields === undefined ? null : parseList(asList(b.fields, 'fields'), 'fields'),
    include: parseList(asList(b.include, 'include'), 'include'),
    q: parseQ(b.q),
    count: parseCount(b.count),
  };
}
