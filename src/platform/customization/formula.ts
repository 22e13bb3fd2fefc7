import type { QueryField } from '#platform/query/query-schema.js';

/**
 * Formula fields: a small expression language compiled to one SQL expression over the
 * record's own columns, so a formula is computed by PostgreSQL and can be filtered and
 * sorted like any field. Literals come from the admin's config, are checked token by token
 * and quoted; field names must be fields of the record.
 *
 *   amount * probability / 100          IF(employees > 100, 'large', 'small')
 *   CONCAT(firstName, ' ', lastName)   DAYS_BETWEEN(createdAt, TODAY())
 */
export class FormulaError extends Error {}

type Token = { kind: 'num' | 'str' | 'id' | 'op' | '(' | ')' | ','; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^\d+(\.\d+)?/.exec(rest);
    if (num) {
      out.push({ kind: 'num', text: num[0] });
      i += num[0].length;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== "'") text += src[j++];
      if (j >= src.length) throw new FormulaError('unterminated string');
      out.push({ kind: 'str', text });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z][A-Za-z0-9_.]*/.exec(rest);
    if (id) {
      out.push({ kind: 'id', text: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|[-+*/=<>&])/.exec(rest);
    if (op) {
      out.push({ kind: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c });
      i++;
      continue;
    }
    throw new FormulaError(`unexpected character "${c}"`);
  }
  return out;
}

const FUNCTIONS: Record<string, { min: number; max: number; sql: (a: string[]) => string }> = {
  IF: { min: 3, max: 3, sql: ([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END` },
  CONCAT: { min: 1, max: 20, sql: (a) => `concat(${a.join(', ')})` },
  COALESCE: { min: 2, max: 10, sql: (a) => `coalesce(${a.join(', ')})` },
  ROUND: { min: 1, max: 2, sql: ([x, n]) => `round((${x})::numeric, ${n ?? '0'})` },
  ABS: { min: 1, max: 1, sql: ([x]) => `abs(${x})` },
  UPPER: { min: 1, max: 1, sql: ([x]) => `upper(${x})` },
  LOWER: { min: 1, max: 1, sql: ([x]) => `lower(${x})` },
  LEN: { min: 1, max: 1, sql: ([x]) => `length(${x})` },
  TODAY: { min: 0, max: 0, sql: () => `current_date` },
  NOW: { min: 0, max: 0, sql: () => `now()` },
  DAYS_BETWEEN: { min: 2, max: 2, sql: ([a, b]) => `((${b})::date - (${a})::date)` },
  YEAR: { min: 1, max: 1, sql: ([d]) => `extract(year FROM ${d})::int` },
  MONTH: { min: 1, max: 1, sql: ([d]) => `extract(month FROM ${d})::int` },
};

const COMPARE: Record<string, string> = {
  '=': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Compiles a formula to SQL; `field` resolves a field name to its SQL, or undefined. */
export function compileFormula(
  source: string,
  field: (name: string) => QueryField | undefined,
): string {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const isWord = (w: string) => peek()?.kind === 'id' && peek().text.toUpperCase() === w;
  const expect = (kind: Token['kind']) => {
    const t = take();
    if (!t || t.kind !== kind) throw new FormulaError(`expected "${kind}"`);
  };

  const primary = (): string => {
    const t = take();
    if (!t) throw new FormulaError('unexpected end of formula');
    if (t.kind === 'num') return t.text;
    if (t.kind === 'str') return `'${t.text.replace(/'/g, "''")}'`;
    if (t.kind === '(') {
      const inner = or();
      expect(')');
      return `(${inner})`;
    }
    if (t.kind === 'id') {
      const upper = t.text.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE' || upper === 'NULL') return upper;
      if (peek()?.kind === '(') {
        const fn = FUNCTIONS[upper];
        if (!fn) throw new FormulaError(`unknown function ${t.text}`);
        take();
        const args: string[] = [];
        if (peek()?.kind !== ')') {
          args.push(or());
          while (peek()?.kind === ',') {
            take();
            args.push(or());
          }
        }
        expect(')');
        if (args.length < fn.min || args.length > fn.max)
          throw new FormulaError(`${upper} takes ${fn.min}–${fn.max} arguments`);
        return fn.sql(args);
      }
      const f = field(t.text);
      if (!f) throw new FormulaError(`unknown field "${t.text}"`);
      return f.sql;
    }
    throw new FormulaError(`unexpected "${t.text}"`);
  };
  const unary = (): string => {
    if (peek()?.kind === 'op' && peek().text === '-') {
      take();
      return `(-${unary()})`;
    }
    return primary();
  };
  const mul = (): string => {
    let left = unary();
    while (peek()?.kind === 'op' && (peek().text === '*' || peek().text === '/')) {
      const op = take().text;
      const right = unary();
      // Division by zero gives NULL rather than failing every query that reads the field.
      left =
        op === '*'
          ? `(${left} * ${right})`
          : `((${left})::numeric / NULLIF((${right})::numeric, 0))`;
    }
    return left;
  };
  const add = (): string => {
    let left = mul();
    while (peek()?.kind === 'op' && ['+', '-', '&'].includes(peek().text)) {
      const op = take().text;
      const right = mul();
      left = op === '&' ? `concat(${left}, ${right})` : `(${left} ${op} ${right})`;
    }
    return left;
  };
  const cmp = (): string => {
    const left = add();
    if (peek()?.kind === 'op' && COMPARE[peek().text]) {
      const op = COMPARE[take().text];
      return `(${left} ${op} ${add()})`;
    }
    return left;
  };
  const not = (): string => {
    if (isWord('NOT')) {
      take();
      return `(NOT ${not()})`;
    }
    return cmp();
  };
  const and = (): string => {
    let left = not();
    while (isWord('AND')) {
      take();
      left = `(${left} AND ${not()})`;
    }
    return left;
  };
  function or(): string {
    let left = and();
    while (isWord('OR')) {
      take();
      left = `(${left} OR ${and()})`;
    }
    return left;
  }

  const sql = or();
  if (pos < tokens.length) throw new FormulaError(`unexpected "${tokens[pos].text}"`);
  return sql;
}
