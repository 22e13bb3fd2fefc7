import type { QueryField, QueryFieldType, QuerySchema } from '#platform/query/query-schema.js';
import type { CustomFieldConfig, RollupConfig } from './customization.schema.js';
import { compileFormula, FormulaError } from './formula.js';

export type ComputedResult = 'number' | 'decimal' | 'text' | 'boolean' | 'date';

/** A formula or roll-up field: SQL selected with every read, read-only to clients. */
export interface ComputedField {
  code: string;
  sql: string;
  resultType: ComputedResult;
}

const QUERY_TYPES: Record<ComputedResult, QueryFieldType> = {
  number: 'decimal',
  decimal: 'decimal',
  text: 'string',
  boolean: 'boolean',
  date: 'date',
};

/** A config literal as SQL. Values come from the admin's file, never from a request. */
function literal(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new FormulaError(`unsupported value ${JSON.stringify(v)}`);
}

function rename(sql: string, from: string, to: string): string {
  return sql.replace(new RegExp(`\\b${from}\\.`, 'g'), `${to}.`);
}

function rollupSql(
  code: string,
  alias: string,
  r: RollupConfig,
  target: QuerySchema,
): { sql: string; resultType: ComputedResult } {
  const t = `ru_${code.toLowerCase()}`;
  const field = (name: string) => {
    const f = target.fields.get(name);
    if (!f) throw new FormulaError(`"${name}" is not a field of ${r.entity}`);
    return { ...f, sql: rename(f.sql, target.alias, t) };
  };
  const via = field(r.via);
  if (via.type !== 'uuid')
    throw new FormulaError(`"${r.via}" of ${r.entity} does not hold a record id`);
  const where = [`${via.sql} = ${alias}.id`, `${t}.deleted_at IS NULL`];
  if (target.discriminator)
    where.push(`${t}.${target.discriminator.column} = ${literal(target.discriminator.value)}`);
  for (const c of r.filter ?? []) {
    const f = field(c.field);
    const ops: Record<string, string> = {
      eq: '=',
      ne: '<>',
      gt: '>',
      gte: '>=',
      lt: '<',
      lte: '<=',
    };
    if (c.op === 'isNull')
      where.push(c.value === false ? `${f.sql} IS NOT NULL` : `${f.sql} IS NULL`);
    else if (c.op === 'in') {
      if (!Array.isArray(c.value) || c.value.length === 0)
        throw new FormulaError('"in" needs a list of values');
      where.push(`${f.sql} IN (${c.value.map(literal).join(', ')})`);
    } else where.push(`${f.sql} ${ops[c.op]} ${literal(c.value)}`);
  }
  if (r.function === 'count') {
    return {
      sql: `(SELECT count(*)::int FROM ${target.table} ${t} WHERE ${where.join(' AND ')})`,
      resultType: 'number',
    };
  }
  if (!r.field) throw new FormulaError(`${r.function} needs "field"`);
  const value = field(r.field);
  if (
    r.function !== 'min' &&
    r.function !== 'max' &&
    value.type !== 'decimal' &&
    value.type !== 'integer'
  ) {
    throw new FormulaError(`${r.function} needs a numeric field, "${r.field}" is not`);
  }
  const agg =
    r.function === 'sum' ? `coalesce(sum(${value.sql}), 0)` : `${r.function}(${value.sql})`;
  const resultType: ComputedResult =
    value.type === 'date'
      ? 'date'
      : value.type === 'string' || value.type === 'enum'
        ? 'text'
        : 'decimal';
  return {
    sql: `(SELECT ${agg} FROM ${target.table} ${t} WHERE ${where.join(' AND ')})`,
    resultType,
  };
}

/**
 * Compiles an entity's formula and roll-up fields against its other fields. Problems are
 * returned, not thrown, so the start can list them all.
 */
export function compileComputedFields(
  alias: string,
  entity: string,
  fields: readonly CustomFieldConfig[],
  base: ReadonlyMap<string, QueryField>,
  schemaOf: (entity: string) => QuerySchema | undefined,
): { computed: ComputedField[]; queryFields: QueryField[]; errors: string[] } {
  const computed: ComputedField[] = [];
  const queryFields: QueryField[] = [];
  const errors: string[] = [];
  for (const f of fields) {
    try {
      let sql: string;
      let resultType: ComputedResult;
      if (f.type === 'formula') {
        if (!f.expression) throw new FormulaError('a formula needs "expression"');
        sql = compileFormula(f.expression, (name) => base.get(name));
        resultType = f.resultType ?? 'decimal';
      } else if (f.type === 'rollup') {
        if (!f.rollup) throw new FormulaError('a rollup needs "rollup"');
        const target = schemaOf(f.rollup.entity);
        if (!target) throw new FormulaError(`unknown entity "${f.rollup.entity}"`);
        ({ sql, resultType } = rollupSql(f.code, alias, f.rollup, target));
      } else continue;
      computed.push({ code: f.code, sql, resultType });
      queryFields.push({
        name: `customFields.${f.code}`,
        sql,
        type: QUERY_TYPES[resultType],
        nullable: true,
        sortable: true,
        permissionField: `customFields.${f.code}`,
      });
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      errors.push(`${entity}.customFields.${f.code}: ${e.message}`);
    }
  }
  return { computed, queryFields, errors };
}

/** A computed column's value as the API shows it. */
export function computedValue(v: unknown, resultType: ComputedResult): unknown {
  if (v === null || v === undefined) return null;
  switch (resultType) {
    case 'number':
      return Number(v);
    case 'boolean':
      return Boolean(v);
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    default:
      return String(v);
  }
}
