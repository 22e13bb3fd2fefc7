import type { FieldError } from '#platform/http/index.js';
import { Money } from '#platform/currency/index.js';

export const CONDITION_KINDS = ['rowsExist', 'rowCount', 'anyRow'] as const;
export const CONDITION_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * When an exception report fires: `rowsExist` (the result is not empty), `rowCount` (its
 * number of rows compares with `value`), `anyRow` (some row's `field` compares with `value`;
 * the run then carries just those rows).
 */
export interface ReportCondition {
  when: (typeof CONDITION_KINDS)[number];
  op?: ConditionOperator;
  field?: string;
  value?: string | number;
}

/** Problems of a condition, given the fields a row of the report's result has. */
export function conditionProblems(c: ReportCondition, fields: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const need = (key: 'op' | 'value' | 'field', on: boolean) => {
    if (on && c[key] === undefined)
      errors.push({
        field: `condition.${key}`,
        rule: 'isDefined',
        message: `${c.when} needs ${key}`,
      });
    if (!on && c[key] !== undefined)
      errors.push({
        field: `condition.${key}`,
        rule: 'notAllowed',
        message: `${c.when} takes no ${key}`,
      });
  };
  need('op', c.when !== 'rowsExist');
  need('value', c.when !== 'rowsExist');
  need('field', c.when === 'anyRow');
  if (c.when === 'rowCount' && c.value !== undefined && !Number.isInteger(c.value))
    errors.push({
      field: 'condition.value',
      rule: 'isInt',
      message: 'a row count is a whole number',
    });
  if (c.when === 'anyRow' && c.field !== undefined && !fields.includes(c.field))
    errors.push({
      field: 'condition.field',
      rule: 'unknownField',
      message: `${c.field} is not in the report's result; fields: ${fields.join(', ')}`,
    });
  return errors;
}

const numeric = (v: unknown): Money | null => {
  const raw = v && typeof v === 'object' && 'amount' in v ? v.amount : v;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)))
    return new Money(raw);
  return null;
};

/** Compares as numbers when both sides are (money by its amount), else as text. */
export function compare(left: unknown, op: ConditionOperator, right: unknown): boolean {
  if (left === null || left === undefined) return false;
  const a = numeric(left);
  const b = numeric(right);
  const order =
    a && b
      ? a.comparedTo(b)
      : String(left) < String(right)
        ? -1
        : String(left) > String(right)
          ? 1
          : 0;
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}
