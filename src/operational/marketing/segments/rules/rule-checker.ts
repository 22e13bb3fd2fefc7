import { UUID_PATTERN } from '#platform/database/index.js';
import type { QueryAccess, QueryFieldType, QuerySchema } from '#platform/query/index.js';
import type { FactArgument, FactRegistry } from './fact-registry.js';
import {
  RULE_LIMITS,
  RULE_OPERATORS,
  RuleValidationError,
  type CheckedRule,
  type ResolvedField,
  type RuleOperator,
  type RuleProblem,
} from './rule-tree.js';

const ORDERED = new Set<QueryFieldType>([
  'integer',
  'decimal',
  'date',
  'datetime',
  'string',
  'enum',
  'uuid',
]);
const DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_TEXT = 1000;
const MAX_DAYS = 36500;

/** What a rule is checked against: the contact definition as configured, and the facts. */
export interface RuleEnvironment {
  contacts: QuerySchema;
  facts: FactRegistry;
  /** The caller's view: fields hidden from them do not exist in their rules. */
  access?: Pick<QueryAccess, 'isHidden'>;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: RuleProblem[] = [];
  private nodes = 0;
  private aliases = 0;

  constructor(private readonly env: RuleEnvironment) {}

  problem(pointer: string, rule: string, message: string): null {
    this.problems.push({ pointer, rule, message });
    return null;
  }

  node(raw: unknown, at: string, depth: number): CheckedRule | null {
    if (++this.nodes > RULE_LIMITS.nodes)
      return this.problem(at, 'maxNodes', `a rule has at most ${RULE_LIMITS.nodes} nodes`);
    if (depth > RULE_LIMITS.depth)
      return this.problem(at, 'maxDepth', `groups nest at most ${RULE_LIMITS.depth} deep`);
    if (!isObject(raw)) return this.problem(at, 'isObject', 'must be an object');
    const keys = Object.keys(raw);
    if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
      const list = raw[keys[0]];
      const where = `${at}/${keys[0]}`;
      if (!Array.isArray(list) || list.length === 0 || list.length > RULE_LIMITS.children)
        return this.problem(
          where,
          'isArray',
          `must be an array of 1 to ${RULE_LIMITS.children} rules`,
        );
      const children = list.map((c, i) => this.node(c, `${where}/${i}`, depth + 1));
      return children.every((c): c is CheckedRule => c !== null)
        ? { kind: keys[0], children }
        : null;
    }
    if (keys.length === 1 && keys[0] === 'not') {
      const child = this.node(raw.not, `${at}/not`, depth + 1);
      return child && { kind: 'not', child };
    }
    if ('fact' in raw) return this.fact(raw, at);
    if ('field' in raw || 'op' in raw) return this.condition(raw, at);
    return this.problem(
      at,
      'unknownNode',
      'must be a group (all, any, not), a condition (field, op, value) or a fact',
    );
  }

  private resolve(name: unknown, at: string): ResolvedField | null {
    if (typeof name !== 'string' || name.length === 0 || name.length > 200)
      return this.problem(at, 'isString', 'must be a field name');
    const { contacts } = this.env;
    const hidden = (entity: string, field: string) =>
      this.env.access?.isHidden(entity, field) ?? false;
    const own = contacts.fields.get(name);
    if (own && !hidden(contacts.entity, own.permissionField)) return own;
    const dot = name.indexOf('.');
    const relation = !own && dot > 0 ? contacts.relations.get(name.slice(0, dot)) : undefined;
    if (relation) {
      const target = relation.target();
      const field = target.fields.get(name.slice(dot + 1));
      if (field && !hidden(target.entity, field.permissionField)) {
        const alias = `sr${++this.aliases}`;
        return {
          ...field,
          sql: field.sql.replace(new RegExp(`\\b${target.alias}\\.`, 'g'), `${alias}.`),
          via: { target, alias, foreignKey: relation.foreignKey },
        };
      }
    }
    return this.problem(at, 'unknownField', `"${name}" is not a field of contacts`);
  }

  private condition(raw: Record<string, unknown>, at: string): CheckedRule | null {
    const extra = Object.keys(raw).filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length)
      return this.problem(
        `${at}/${escapePointer(extra[0])}`,
        'unknownField',
        'is not a key of a condition (field, op, value)',
      );
    const field = this.resolve(raw.field, `${at}/field`);
    const op = raw.op;
    if (typeof op !== 'string' || !(RULE_OPERATORS as readonly string[]).includes(op))
      return this.problem(`${at}/op`, 'isIn', `must be one of: ${RULE_OPERATORS.join(', ')}`);
    if (!field) return null;
    const value = this.operand(field, op as RuleOperator, raw.value, `${at}/value`, `${at}/op`);
    return value === undefined ? null : { kind: 'condition', field, op: op as RuleOperator, value };
  }

  /** The condition's value as a parameter, or undefined after recording the problem. */
  private operand(
    field: ResolvedField,
    op: RuleOperator,
    raw: unknown,
    at: string,
    opAt: string,
  ): unknown {
    const refuse = (message: string) => {
      this.problem(opAt, 'isIn', message);
      return undefined;
    };
    if (op === 'isNull') {
      if (typeof raw !== 'boolean') return this.bad(at, 'isBoolean', 'must be true or false');
      return raw;
    }
    if (field.type === 'string[]') {
      if (op !== 'contains' && op !== 'eq')
        return refuse(`${field.name} is a list: use contains, eq or isNull`);
      return this.scalar(field.values ? 'enum' : 'string', field.values, raw, at);
    }
    switch (op) {
      case 'eq':
      case 'ne':
        return this.scalar(field.type, field.values, raw, at);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (!ORDERED.has(field.type)) return refuse(`${field.type} fields cannot use ${op}`);
        return this.scalar(field.type, field.values, raw, at);
      case 'between': {
        if (!ORDERED.has(field.type)) return refuse(`${field.type} fields cannot use between`);
        if (!Array.isArray(raw) || raw.length !== 2)
          return this.bad(at, 'isArray', 'must be [from, to]');
        const pair = raw.map((v, i) => this.scalar(field.type, field.values, v, `${at}/${i}`));
        return pair.includes(undefined) ? undefined : pair;
      }
      case 'in':
      case 'nin': {
        if (!Array.isArray(raw) || raw.length === 0 || raw.length > RULE_LIMITS.inValues)
          return this.bad(at, 'isArray', `must be an array of 1 to ${RULE_LIMITS.inValues} values`);
        const list = raw.map((v, i) => this.scalar(field.type, field.values, v, `${at}/${i}`));
        return list.includes(undefined) ? undefined : list;
      }
      case 'contains':
      case 'startsWith': {
        if (field.type !== 'string' && field.type !== 'enum')
          return refuse(`${op} applies to text fields only`);
        if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_TEXT)
          return this.bad(at, 'isString', `must be text of 1 to ${MAX_TEXT} characters`);
        return raw;
      }
      case 'withinLast': {
        if (field.type !== 'date' && field.type !== 'datetime')
          return refuse('withinLast applies to date and date-time fields only');
        if (!isObject(raw) || Object.keys(raw).some((k) => k !== 'days'))
          return this.bad(at, 'isObject', 'must be { "days": n }');
        return this.integer(raw.days, `${at}/days`, 1, MAX_DAYS);
      }
    }
  }

  private bad(at: string, rule: string, message: string): undefined {
    this.problem(at, rule, message);
    return undefined;
  }

  private integer(raw: unknown, at: string, min: number, max: number): number | undefined {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max)
      return this.bad(at, 'isInt', `must be a whole number from ${min} to ${max}`);
    return raw;
  }

  /** One value of a field's type, as its parameter; undefined after recording the problem. */
  private scalar(
    type: QueryFieldType,
    values: readonly string[] | undefined,
    raw: unknown,
    at: string,
  ): unknown {
    switch (type) {
      case 'uuid':
        if (typeof raw !== 'string' || !UUID_PATTERN.test(raw))
          return this.bad(at, 'isUuid', 'must be a UUID');
        return raw.toLowerCase();
      case 'integer':
        if (typeof raw !== 'number' || !Number.isSafeInteger(raw))
          return this.bad(at, 'isInt', 'must be a whole number');
        return raw;
      case 'decimal':
        if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
        if (typeof raw !== 'string' || !DECIMAL.test(raw))
          return this.bad(at, 'isDecimal', 'must be a number or a decimal string');
        return raw;
      case 'boolean':
        if (typeof raw !== 'boolean') return this.bad(at, 'isBoolean', 'must be true or false');
        return raw;
      case 'date':
        if (typeof raw !== 'string' || !DATE.test(raw) || Number.isNaN(Date.parse(raw)))
          return this.bad(at, 'isDate', 'must be a date YYYY-MM-DD');
        return raw;
      case 'datetime':
        if (typeof raw !== 'string' || !DATETIME.test(raw) || Number.isNaN(Date.parse(raw)))
          return this.bad(at, 'isDate', 'must be an ISO 8601 date or date-time');
        return raw;
      case 'enum':
        if (typeof raw !== 'string') return this.bad(at, 'isString', 'must be text');
        if (values && !values.includes(raw))
          return this.bad(at, 'isIn', `must be one of: ${values.join(', ')}`);
        return raw;
      default:
        if (typeof raw !== 'string' || raw.length > MAX_TEXT)
          return this.bad(at, 'isString', `must be text of at most ${MAX_TEXT} characters`);
        return raw;
    }
  }

  private fact(raw: Record<string, unknown>, at: string): CheckedRule | null {
    const name = raw.fact;
    const fact = typeof name === 'string' ? this.env.facts.get(name) : undefined;
    if (!fact)
      return this.problem(
        `${at}/fact`,
        'unknownFact',
        `must be one of: ${this.env.facts.names().join(', ')}`,
      );
    const args: Record<string, unknown> = {};
    let ok = true;
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'fact') continue;
      const spec = fact.arguments[key];
      const where = `${at}/${escapePointer(key)}`;
      if (!spec) {
        this.problem(where, 'unknownField', `is not an argument of ${fact.name}`);
        ok = false;
        continue;
      }
      const checked = this.argument(spec, value, where);
      if (checked === undefined) ok = false;
      else args[key] = checked;
    }
    for (const [key, spec] of Object.entries(fact.arguments)) {
      if (spec.required && !(key in raw)) {
        this.problem(`${at}/${escapePointer(key)}`, 'required', 'is required');
        ok = false;
      }
    }
    for (const group of fact.exactlyOneOf ?? []) {
      if (group.filter((k) => k in raw).length !== 1) {
        this.problem(at, 'exactlyOne', `give exactly one of: ${group.join(', ')}`);
        ok = false;
      }
    }
    return ok ? { kind: 'fact', name: fact.name, args } : null;
  }

  private argument(spec: FactArgument, raw: unknown, at: string): unknown {
    switch (spec.type) {
      case 'integer':
        return this.integer(raw, at, spec.min, spec.max);
      case 'currency':
        if (typeof raw !== 'string' || !/^[A-Z]{3}$/.test(raw))
          return this.bad(at, 'isCurrencyCode', 'must be an ISO 4217 code such as IDR');
        return raw;
      case 'enum':
        return this.scalar('enum', spec.values, raw, at);
      default:
        return this.scalar(spec.type, undefined, raw, at);
    }
  }
}

/**
 * Checks a rule against the contact definition as configured (custom fields and picklists
 * included) and the registered facts. Every problem is collected with its JSON pointer; any
 * problem throws RuleValidationError.
 */
export function checkRule(raw: unknown, env: RuleEnvironment): CheckedRule {
  const checker = new Checker(env);
  const checked = checker.node(raw, '', 0);
  if (!checked || checker.problems.length) throw new RuleValidationError(checker.problems);
  return checked;
}
