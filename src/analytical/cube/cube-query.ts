import type { FieldError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import {
  CUBES,
  TIME_FORMATS,
  TIME_LEVELS,
  type CubeDefinition,
  type CubeDimension,
  type CubeJoin,
  type CubeMeasure,
  type CubeSummary,
  type TimeLevel,
} from './cube.definitions.js';

export const CUBE_FILTER_OPERATORS = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'isNull',
] as const;
export type CubeFilterOperator = (typeof CUBE_FILTER_OPERATORS)[number];
export const CUBE_TOTALS = ['none', 'rollup', 'cube'] as const;
export type CubeTotals = (typeof CUBE_TOTALS)[number];

export interface CubeFilter {
  dimension: string;
  op: CubeFilterOperator;
  value?: string | string[] | boolean;
}

/** A cube query as the API takes it (shape checked by the DTO, names here). */
export interface CubeQuery {
  cube: string;
  measures: string[];
  dimensions?: string[];
  filters?: CubeFilter[];
  /** `rollup`: subtotals along the dimensions in order, and a grand total; `cube`: every combination. */
  totals?: CubeTotals;
  /** Measure or dimension names, `-` first for descending. */
  sort?: string[];
  limit?: number;
  shape?: 'rows' | 'pivot';
  /** The dimension whose values become the columns of a pivot (default: the last one). */
  pivotOn?: string;
}

export const CUBE_DEFAULT_LIMIT = 1000;
export const CUBE_MAX_LIMIT = 10_000;

export interface ResolvedDimension {
  name: string;
  sql: string;
  join?: CubeJoin;
  /** Record fields (`entity.field`) the dimension shows. */
  reads?: readonly string[];
}

/** A query whose every name was found in its cube's definition. */
export interface CheckedCubeQuery {
  cube: CubeDefinition;
  measures: CubeMeasure[];
  dimensions: ResolvedDimension[];
  filters: { dimension: ResolvedDimension; op: CubeFilterOperator; value: unknown; day: boolean }[];
  totals: CubeTotals;
  sort: { name: string; desc: boolean }[];
  limit: number;
  shape: 'rows' | 'pivot';
  pivotOn: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CUSTOM_FIELD_TYPES = new Set([
  'text',
  'picklist',
  'boolean',
  'number',
  'decimal',
  'date',
  'email',
  'url',
]);

export type AccountFieldTypes = ReadonlyMap<string, string>;

function resolveDimension(
  cube: CubeDefinition,
  name: string,
  accountFields: AccountFieldTypes,
): ResolvedDimension | null {
  if (name === 'time') return { name, sql: 'm.day' };
  if (name.startsWith('time.')) {
    const level = name.slice(5) as TimeLevel;
    if (!TIME_LEVELS.includes(level)) return null;
    // The level and its format come from a fixed list, never from the request.
    return { name, sql: `to_char(date_trunc('${level}', m.day), '${TIME_FORMATS[level]}')` };
  }
  const prefix = 'account.customFields.';
  if (cube.accountFields && name.startsWith(prefix)) {
    const code = name.slice(prefix.length);
    const type = accountFields.get(code);
    if (!type || !CUSTOM_FIELD_TYPES.has(type)) return null;
    // `code` matched a configured field code (^[a-z][A-Za-z0-9]{0,39}$), so it is safe as a key.
    return {
      name,
      sql: `(a.custom_fields->>'${code}')`,
      join: 'account',
      reads: [`accounts.customFields.${code}`],
    };
  }
  const d: CubeDimension | undefined = cube.dimensions.find((x) => x.name === name);
  return d ? { name: d.name, sql: d.sql, join: d.join, reads: d.reads } : null;
}

/** Every dimension name a cube answers to, for messages and the cube description. */
export function dimensionNames(cube: CubeDefinition, accountFields: AccountFieldTypes): string[] {
  return [
    'time',
    ...TIME_LEVELS.map((l) => `time.${l}`),
    ...cube.dimensions.map((d) => d.name),
    ...(cube.accountFields
      ? [...accountFields]
          .filter(([, t]) => CUSTOM_FIELD_TYPES.has(t))
          .map(([code]) => `account.customFields.${code}`)
      : []),
  ];
}

/**
 * Checks every name of a query against its cube's definition, collecting each unknown one
 * with its place in the body, so one answer names them all.
 */
export function checkCubeQuery(
  query: CubeQuery,
  accountFields: AccountFieldTypes,
  at = '',
): { query: CheckedCubeQuery | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const cube = CUBES.get(query.cube);
  if (!cube) {
    errors.push({
      field: `${at}cube`,
      rule: 'unknownCube',
      message: `${query.cube} is not a cube; cubes: ${[...CUBES.keys()].join(', ')}`,
    });
    return { query: null, errors };
  }
  const measures: CubeMeasure[] = [];
  query.measures.forEach((name, i) => {
    const m = cube.measures.find((x) => x.name === name);
    if (m) measures.push(m);
    else
      errors.push({
        field: `${at}measures[${i}]`,
        rule: 'unknownMeasure',
        message: `${name} is not a measure of cube ${cube.name}; measures: ${cube.measures.map((x) => x.name).join(', ')}`,
      });
  });
  const unknownDimension = (field: string, name: string) =>
    errors.push({
      field,
      rule: 'unknownDimension',
      message: `${name} is not a dimension of cube ${cube.name}; dimensions: ${dimensionNames(cube, accountFields).join(', ')}`,
    });
  const dimensions: ResolvedDimension[] = [];
  (query.dimensions ?? []).forEach((name, i) => {
    const d = resolveDimension(cube, name, accountFields);
    if (!d) unknownDimension(`${at}dimensions[${i}]`, name);
    else if (dimensions.some((x) => x.name === name))
      errors.push({
        field: `${at}dimensions[${i}]`,
        rule: 'duplicate',
        message: `${name} is named twice`,
      });
    else dimensions.push(d);
  });
  const filters: CheckedCubeQuery['filters'] = [];
  (query.filters ?? []).forEach((f, i) => {
    const d = resolveDimension(cube, f.dimension, accountFields);
    if (!d) return unknownDimension(`${at}filters[${i}].dimension`, f.dimension);
    const problem = filterValueProblem(f, d.name === 'time');
    if (problem)
      errors.push({ field: `${at}filters[${i}].value`, rule: 'invalidValue', message: problem });
    else filters.push({ dimension: d, op: f.op, value: f.value, day: d.name === 'time' });
  });
  const sortable = new Set([...measures.map((m) => m.name), ...dimensions.map((d) => d.name)]);
  const sort = (query.sort ?? []).map((s, i) => {
    const desc = s.startsWith('-');
    const name = desc ? s.slice(1) : s;
    if (!sortable.has(name))
      errors.push({
        field: `${at}sort[${i}]`,
        rule: 'unknownSort',
        message: `${name} is not a measure or dimension of this query`,
      });
    return { name, desc };
  });
  const shape = query.shape ?? 'rows';
  let pivotOn: string | null = null;
  if (shape === 'pivot') {
    pivotOn = query.pivotOn ?? dimensions.at(-1)?.name ?? null;
    if (!pivotOn || !dimensions.some((d) => d.name === pivotOn))
      errors.push({
        field: `${at}pivotOn`,
        rule: 'unknownDimension',
        message: 'a pivot turns one of the query dimensions into columns; name one',
      });
  } else if (query.pivotOn !== undefined) {
    errors.push({ field: `${at}pivotOn`, rule: 'pivotOnly', message: 'only with shape pivot' });
  }
  if (errors.length) return { query: null, errors };
  return {
    query: {
      cube,
      measures,
      dimensions,
      filters,
      totals: dimensions.length ? (query.totals ?? 'none') : 'none',
      sort,
      limit: query.limit ?? CUBE_DEFAULT_LIMIT,
      shape,
      pivotOn,
    },
    errors,
  };
}

/**
 * Each measure, dimension and filter of a checked query that is made of a record field the
 * caller may not see (`isHidden(entity, field)`), with its place in the body. A checked query
 * keeps the body's order (it exists only when every name was found), so positions match.
 */
export function hiddenFieldErrors(
  q: CheckedCubeQuery,
  isHidden: (entity: string, field: string) => boolean,
  at = '',
): FieldError[] {
  const hidden = (reads: readonly string[] | undefined) =>
    (reads ?? []).filter((r) => {
      const dot = r.indexOf('.');
      return isHidden(r.slice(0, dot), r.slice(dot + 1));
    });
  const errors: FieldError[] = [];
  const check = (field: string, name: string, reads: readonly string[] | undefined) => {
    const fields = hidden(reads);
    if (fields.length)
      errors.push({
        field: `${at}${field}`,
        rule: 'hiddenField',
        message: `${name} shows ${fields.join(', ')}, which your role may not see`,
        params: { fields },
      });
  };
  q.measures.forEach((m, i) => check(`measures[${i}]`, m.name, m.reads));
  q.dimensions.forEach((d, i) => check(`dimensions[${i}]`, d.name, d.reads));
  q.filters.forEach((f, i) =>
    check(`filters[${i}].dimension`, f.dimension.name, f.dimension.reads),
  );
  return errors;
}

function filterValueProblem(f: CubeFilter, day: boolean): string | null {
  if (f.op === 'isNull') return typeof f.value === 'boolean' ? null : 'isNull takes true or false';
  const list = f.op === 'in' || f.op === 'nin';
  if (list !== Array.isArray(f.value))
    return list ? `${f.op} takes a list of values` : `${f.op} takes one value`;
  const values = Array.isArray(f.value) ? f.value : [f.value];
  if (values.some((v) => typeof v !== 'string')) return 'values are strings';
  if (day && values.some((v) => !DAY.test(v as string) || Number.isNaN(Date.parse(v as string))))
    return 'time is filtered by calendar days, YYYY-MM-DD';
  return null;
}

const COMPARE: Record<Exclude<CubeFilterOperator, 'in' | 'nin' | 'isNull'>, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/**
 * The summary of the query's cube when it can answer the query: every dimension and filter
 * one it keeps and every measure one it has.
 */
function summaryFor(q: CheckedCubeQuery): CubeSummary | null {
  const summary = q.cube.summary;
  if (!summary) return null;
  const kept = (d: ResolvedDimension) =>
    d.name === 'time' || d.name.startsWith('time.') || summary.dimensions.includes(d.name);
  return q.dimensions.every(kept) &&
    q.filters.every((f) => kept(f.dimension)) &&
    q.measures.every((m) => m.name in summary.measures)
    ? summary
    : null;
}

/**
 * The cube query as one parameterized statement over the smallest view that answers it (see
 * CubeSummary; `summaries: false` keeps to the cube's own view); `scope` limits rows to the
 * caller's read scope.
 */
export function compileCubeQuery(
  q: CheckedCubeQuery,
  scope: (params: SqlParams, alias: string) => string,
  options: { summaries?: boolean } = {},
): { sql: string; params: unknown[]; view: string } {
  const summary = options.summaries === false ? null : summaryFor(q);
  const measureSql = (m: CubeMeasure) => (summary ? summary.measures[m.name] : m.sql);
  const view = summary?.view ?? q.cube.view;
  const params = new SqlParams();
  const joins = new Set<CubeJoin>(
    [...q.dimensions, ...q.filters.map((f) => f.dimension)].flatMap((d) =>
      d.join ? [d.join] : [],
    ),
  );
  const where = [scope(params, 'm')];
  for (const f of q.filters) {
    const cast = f.day ? '::date' : '';
    const col = f.day ? f.dimension.sql : `(${f.dimension.sql})::text`;
    if (f.op === 'isNull') where.push(`${col} IS ${f.value ? '' : 'NOT '}NULL`);
    else if (f.op === 'in' || f.op === 'nin')
      where.push(
        `${f.op === 'nin' ? 'NOT ' : ''}coalesce(${col} = ANY(${params.add(f.value)}${f.day ? '::date[]' : '::text[]'}), false)`,
      );
    else where.push(`${col} ${COMPARE[f.op]} ${params.add(f.value)}${cast}`);
  }
  const dims = q.dimensions.map((d, i) => `${d.sql} AS d${i}`);
  const measures = q.measures.map((m, i) => `(${measureSql(m)})::text AS m${i}`);
  const grouping = q.dimensions.length
    ? `GROUPING(${q.dimensions.map((d) => d.sql).join(', ')}) AS g`
    : '0 AS g';
  const groupList = q.dimensions.map((d) => d.sql).join(', ');
  const groupBy = !q.dimensions.length
    ? ''
    : q.totals === 'rollup'
      ? `GROUP BY ROLLUP (${groupList})`
      : q.totals === 'cube'
        ? `GROUP BY CUBE (${groupList})`
        : `GROUP BY ${groupList}`;
  const order = [
    ...q.sort.map((s) => {
      const mi = q.measures.findIndex((m) => m.name === s.name);
      const ref = mi >= 0 ? `m${mi}_sort` : `d${q.dimensions.findIndex((d) => d.name === s.name)}`;
      return `${ref} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`;
    }),
    // Details first, each subtotal right after the rows it sums, the grand total last.
    ...q.dimensions.flatMap((d, i) => [`GROUPING(${d.sql})`, `d${i} NULLS LAST`]),
  ];
  const sortMeasures = q.sort
    .map((s) => q.measures.findIndex((m) => m.name === s.name))
    .filter((i) => i >= 0)
    .map((i) => `(${measureSql(q.measures[i])}) AS m${i}_sort`);
  const sql = `SELECT ${[...dims, ...measures, ...sortMeasures, grouping].join(', ')}
    FROM ${view} m
    ${joins.has('account') ? 'LEFT JOIN accounts a ON a.id = m.account_id' : ''}
    ${joins.has('family') ? 'LEFT JOIN product_families pf ON pf.id = m.family_id' : ''}
    WHERE ${where.join(' AND ')}
    ${groupBy}
    ${order.length ? `ORDER BY ${order.join(', ')}` : ''}
    LIMIT ${params.add(q.limit + 1)}`;
  return { sql, params: params.values, view };
}
