/**
 * Conditions on a record's fields as admins write them in crm.config.yaml —
 * `{ field, op, value }` — evaluated in memory on a record in API form. Required-when rules and
 * the modules' scoring and assignment rules all read their conditions through this one
 * evaluator, so an operator means the same everywhere.
 *
 * Strings compare trimmed and case-insensitively (a rule on `address.city eq Jakarta` should
 * not miss "jakarta "); a number on either side compares numerically, so a decimal custom
 * field stored as "1250.50" meets `gte: 1000`; a list field (multi-picklist) holds when any
 * of its values does.
 */
export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'isNull',
  'contains',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface RecordCondition {
  /** An attribute (`industry`), a part of one (`address.country`) or `customFields.<code>`. */
  readonly field: string;
  readonly op: ConditionOperator;
  readonly value?: unknown;
}

/** JSON Schema of one condition; what the value must look like is checked by `conditionProblems`. */
export const RECORD_CONDITION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'op'],
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 100 },
    op: { enum: CONDITION_OPERATORS },
    value: {},
  },
} as const;

type Scalar = string | number | boolean;

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

const fold = (s: string) => s.trim().toLowerCase();

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

/** The value at a dotted path: `industry`, `address.country`, `customFields.budget.amount`. */
export function valueAtPath(record: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** -1, 0 or 1 when the two values are comparable, else null. */
function order(a: unknown, b: unknown): number | null {
  if (!isScalar(a) || !isScalar(b)) return null;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x === null || y === null ? null : Math.sign(x - y);
  }
  const x = fold(a);
  const y = fold(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether some value of a field (its one value, or any element of a list) passes `test`. */
function some(value: unknown, test: (v: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}

/** Whether the condition holds for the record. */
export function conditionHolds(
  record: Readonly<Record<string, unknown>>,
  condition: RecordCondition,
): boolean {
  const value = valueAtPath(record, condition.field);
  const want = condition.value;
  const list = Array.isArray(want) ? (want as unknown[]) : [];
  const compared = (accept: (o: number) => boolean) =>
    some(value, (v) => {
      const o = order(v, want);
      return o !== null && accept(o);
    });
  switch (condition.op) {
    case 'eq':
      return compared((o) => o === 0);
    case 'ne':
      return !compared((o) => o === 0);
    case 'in':
      return some(value, (v) => list.some((w) => order(v, w) === 0));
    case 'nin':
      return !some(value, (v) => list.some((w) => order(v, w) === 0));
    case 'gt':
      return compared((o) => o > 0);
    case 'gte':
      return compared((o) => o >= 0);
    case 'lt':
      return compared((o) => o < 0);
    case 'lte':
      return compared((o) => o <= 0);
    case 'isNull':
      return isEmpty(value) === (want !== false);
    case 'contains':
      return typeof value === 'string'
        ? typeof want === 'string' && fold(value).includes(fold(want))
        : Array.isArray(value) && value.some((v) => order(v, want) === 0);
  }
}

/** Whether every condition holds; an empty list always does. */
export function allConditionsHold(
  record: Readonly<Record<string, unknown>>,
  conditions: readonly RecordCondition[] | undefined,
): boolean {
  return (conditions ?? []).every((c) => conditionHolds(record, c));
}

/**
 * What is wrong with a condition's value for its operator, as messages for a config
 * problem list (empty when it is fine). Whether the field exists is the caller's question:
 * it knows the record type.
 */
export function conditionValueProblems(condition: RecordCondition): string[] {
  const { op, value } = condition;
  switch (op) {
    case 'in':
    case 'nin':
      return Array.isArray(value) && value.length > 0 && value.every(isScalar)
        ? []
        : [`"${op}" needs a non-empty list of values`];
    case 'isNull':
      return value === undefined || typeof value === 'boolean'
        ? []
        : ['"isNull" takes true, false or no value'];
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' || typeof value === 'string'
        ? []
        : [`"${op}" needs a number or a date`];
    case 'eq':
    case 'ne':
    case 'contains':
      return isScalar(value)
        ? []
        : [`"${op}" needs one value (text, number or true/false; for empty fields use isNull)`];
  }
}

/** The values a condition compares with, for checks against a picklist's allowed values. */
export function conditionValues(condition: RecordCondition): Scalar[] {
  if (condition.op === 'isNull' || condition.op === 'contains') return [];
  const v = condition.value;
  return (Array.isArray(v) ? v : [v]).filter(isScalar);
}
