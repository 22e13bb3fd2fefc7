import { sqlTypeOf, type QueryAccess, type SqlParams } from '#platform/query/index.js';
import type { FactRegistry } from './fact-registry.js';
import type { CheckedRule, ResolvedField, RuleOperator } from './rule-tree.js';

export interface CompileOptions {
  /** Alias of the contacts table in the surrounding query. */
  contact: string;
  params: SqlParams;
  facts: FactRegistry;
  /** The caller's read scope over related records; without it every related record counts. */
  access?: Pick<QueryAccess, 'scope'>;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const COMPARE: Record<'gt' | 'gte' | 'lt' | 'lte', string> = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** Whether a condition holds for a missing value: `ne`, `nin` and `isNull: true` do. */
export function holdsForNull(op: RuleOperator, value: unknown): boolean {
  return op === 'ne' || op === 'nin' || (op === 'isNull' && value === true);
}

class Compiler {
  private aliases = 0;

  constructor(private readonly o: CompileOptions) {}

  rule(node: CheckedRule): string {
    switch (node.kind) {
      case 'all':
        return `(${node.children.map((c) => this.rule(c)).join(' AND ')})`;
      case 'any':
        return `(${node.children.map((c) => this.rule(c)).join(' OR ')})`;
      case 'not':
        // Two-valued: a condition on a missing value is false, never unknown, so NOT of it holds.
        return `((${this.rule(node.child)}) IS NOT TRUE)`;
      case 'fact': {
        const fact = this.o.facts.get(node.name);
        if (!fact) throw new Error(`segment fact "${node.name}" is not registered`);
        return `(${fact.sql(node.args, {
          contact: this.o.contact,
          params: this.o.params,
          alias: (prefix) => `${prefix}_${++this.aliases}`,
        })})`;
      }
      case 'condition':
        return node.field.via ? this.related(node) : this.condition(node);
    }
  }

  /**
   * A condition on a related record's field, as if joined: a contact without one (or with
   * one the caller may not read) has every related field missing.
   */
  private related(node: Extract<CheckedRule, { kind: 'condition' }>): string {
    const via = node.field.via!;
    const { alias, target, foreignKey } = via;
    const scope = this.o.access ? ` AND ${this.o.access.scope(target, alias, this.o.params)}` : '';
    const row = `FROM ${target.table} ${alias} WHERE ${alias}.id = ${this.o.contact}.${foreignKey} AND ${alias}.deleted_at IS NULL${scope}`;
    const holds = `EXISTS (SELECT 1 ${row} AND ${this.condition(node)})`;
    if (!holdsForNull(node.op, node.value)) return holds;
    const other = `${alias}_x`;
    return `(${holds} OR NOT EXISTS (SELECT 1 ${row.replace(new RegExp(`\\b${alias}\\b`, 'g'), other)}))`;
  }

  private condition({
    field,
    op,
    value,
  }: {
    field: ResolvedField;
    op: RuleOperator;
    value: unknown;
  }): string {
    const { params } = this.o;
    const cast = field.castAs ?? sqlTypeOf(field.type);
    const ci = field.caseInsensitive === true;
    const col = ci ? `lower(${field.sql})` : field.sql;
    const p = (v: unknown) => (ci ? `lower(${params.add(v)})` : `${params.add(v)}::${cast}`);
    if (op === 'isNull') {
      if (field.jsonArray)
        return value
          ? `coalesce(jsonb_array_length(${field.sql}), 0) = 0`
          : `jsonb_array_length(${field.sql}) > 0`;
      if (field.type === 'string[]')
        return value ? `cardinality(${field.sql}) = 0` : `cardinality(${field.sql}) > 0`;
      return value ? `${field.sql} IS NULL` : `${field.sql} IS NOT NULL`;
    }
    if (field.type === 'string[]') {
      if (field.jsonArray) return `${field.sql} @> jsonb_build_array(${params.add(value)}::text)`;
      return `${params.add(String(value).toLowerCase())} = ANY(${field.sql})`;
    }
    switch (op) {
      case 'eq':
        return `${col} = ${p(value)}`;
      case 'ne':
        return `${col} IS DISTINCT FROM ${p(value)}`;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return `${col} ${COMPARE[op]} ${p(value)}`;
      case 'between': {
        const [from, to] = value as unknown[];
        return `${col} BETWEEN ${p(from)} AND ${p(to)}`;
      }
      case 'in':
      case 'nin': {
        const list = ci ? (value as unknown[]).map((v) => String(v).toLowerCase()) : value;
        const arr = `${params.add(list)}::${cast}[]`;
        return op === 'in'
          ? `${col} = ANY(${arr})`
          : `(${field.sql} IS NULL OR NOT (${col} = ANY(${arr})))`;
      }
      case 'contains':
        return `${field.sql} ILIKE ${params.add(`%${escapeLike(String(value))}%`)}`;
      case 'startsWith':
        return `${field.sql} ILIKE ${params.add(`${escapeLike(String(value))}%`)}`;
      case 'withinLast': {
        const days = params.add(value);
        // Custom date fields are stored as ISO text; compare them as the type they hold.
        const typed = field.castAs ? `(${field.sql})::${sqlTypeOf(field.type)}` : field.sql;
        return field.type === 'date'
          ? `${typed} BETWEEN current_date - ${days}::int AND current_date`
          : `${typed} BETWEEN now() - make_interval(days => ${days}::int) AND now()`;
      }
    }
  }
}

/** The SQL predicate of a checked rule over the contacts row `options.contact`. */
export function compileRule(rule: CheckedRule, options: CompileOptions): string {
  return new Compiler(options).rule(rule);
}

/**
 * The ids of the contacts a rule selects, as one query. `scope` limits the contacts to a
 * caller's read scope (a predicate over the alias `c`).
 */
export function segmentQuery(
  rule: CheckedRule,
  options: Omit<CompileOptions, 'contact'>,
  scope = 'TRUE',
): string {
  const predicate = compileRule(rule, { ...options, contact: 'c' });
  return `SELECT c.id FROM contacts c WHERE c.deleted_at IS NULL AND ${scope} AND ${predicate}`;
}
