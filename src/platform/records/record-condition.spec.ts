import {
  allConditionsHold,
  conditionHolds,
  conditionValueProblems,
  conditionValues,
  valueAtPath,
  type RecordCondition,
} from './record-condition.js';

const account = {
  industry: 'Retail',
  company: 'PT Sinar Jaya',
  rating: null,
  email: '',
  address: { city: ' Jakarta ', country: 'ID' },
  customFields: {
    employees: 750,
    budget: { amount: '1250000.50', currency: 'IDR' },
    revenue: '900.5',
    interests: ['erp', 'crm'],
    vip: true,
  },
};

const holds = (field: string, op: RecordCondition['op'], value?: unknown) =>
  conditionHolds(account, { field, op, value });

describe('conditionHolds', () => {
  it('reads attributes, parts of objects and custom fields by path', () => {
    expect(valueAtPath(account, 'address.country')).toBe('ID');
    expect(valueAtPath(account, 'customFields.budget.amount')).toBe('1250000.50');
    expect(valueAtPath(account, 'address.country.code')).toBeUndefined();
    expect(valueAtPath(account, 'nothing.here')).toBeUndefined();
  });

  it('eq and ne compare strings trimmed and case-insensitively', () => {
    expect(holds('industry', 'eq', 'retail')).toBe(true);
    expect(holds('address.city', 'eq', 'JAKARTA')).toBe(true);
    expect(holds('industry', 'ne', 'retail')).toBe(false);
    expect(holds('industry', 'ne', 'banking')).toBe(true);
    // A missing value equals nothing, so it is "not equal" to anything.
    expect(holds('rating', 'eq', 'hot')).toBe(false);
    expect(holds('rating', 'ne', 'hot')).toBe(true);
  });

  it('in and nin test membership; a list field matches when any value does', () => {
    expect(holds('address.country', 'in', ['SG', 'id'])).toBe(true);
    expect(holds('address.country', 'nin', ['SG', 'MY'])).toBe(true);
    expect(holds('customFields.interests', 'in', ['crm'])).toBe(true);
    expect(holds('customFields.interests', 'nin', ['crm'])).toBe(false);
    expect(holds('customFields.interests', 'eq', 'ERP')).toBe(true);
    expect(holds('rating', 'in', ['hot'])).toBe(false);
    expect(holds('rating', 'nin', ['hot'])).toBe(true);
  });

  it('orders numbers numerically, decimal strings included, and other text as text', () => {
    expect(holds('customFields.employees', 'gte', 750)).toBe(true);
    expect(holds('customFields.employees', 'gt', 750)).toBe(false);
    expect(holds('customFields.employees', 'lt', '1000')).toBe(true);
    expect(holds('customFields.revenue', 'gt', 1000)).toBe(false);
    expect(holds('customFields.revenue', 'gt', 90)).toBe(true);
    expect(holds('customFields.budget.amount', 'gte', 1_000_000)).toBe(true);
    expect(holds('company', 'gt', 'PT A')).toBe(true);
    // Nothing to compare: never true.
    expect(holds('rating', 'gt', 1)).toBe(false);
    expect(holds('customFields.vip', 'gt', 1)).toBe(false);
    const dates = { closeDate: '2026-03-01' };
    expect(conditionHolds(dates, { field: 'closeDate', op: 'lt', value: '2026-03-15' })).toBe(true);
  });

  it('isNull treats empty text and empty lists as null; false asks for a value', () => {
    expect(holds('rating', 'isNull')).toBe(true);
    expect(holds('email', 'isNull', true)).toBe(true);
    expect(holds('industry', 'isNull', false)).toBe(true);
    expect(holds('missing', 'isNull', false)).toBe(false);
    expect(conditionHolds({ tags: [] }, { field: 'tags', op: 'isNull' })).toBe(true);
  });

  it('contains finds text in text and a value in a list', () => {
    expect(holds('company', 'contains', 'sinar')).toBe(true);
    expect(holds('company', 'contains', 'bulan')).toBe(false);
    expect(holds('customFields.interests', 'contains', 'CRM')).toBe(true);
    expect(holds('rating', 'contains', 'x')).toBe(false);
  });

  it('booleans equal booleans only', () => {
    expect(holds('customFields.vip', 'eq', true)).toBe(true);
    expect(holds('customFields.vip', 'eq', 'true')).toBe(false);
  });

  it('all conditions must hold; none at all always holds', () => {
    expect(allConditionsHold(account, undefined)).toBe(true);
    expect(allConditionsHold(account, [])).toBe(true);
    expect(
      allConditionsHold(account, [
        { field: 'industry', op: 'eq', value: 'retail' },
        { field: 'address.country', op: 'eq', value: 'ID' },
      ]),
    ).toBe(true);
    expect(
      allConditionsHold(account, [
        { field: 'industry', op: 'eq', value: 'retail' },
        { field: 'address.country', op: 'eq', value: 'SG' },
      ]),
    ).toBe(false);
  });
});

describe('conditionValueProblems', () => {
  it.each<[RecordCondition, string | null]>([
    [{ field: 'f', op: 'in', value: ['a', 1] }, null],
    [{ field: 'f', op: 'in', value: 'a' }, '"in" needs a non-empty list of values'],
    [{ field: 'f', op: 'nin', value: [] }, '"nin" needs a non-empty list of values'],
    [{ field: 'f', op: 'in', value: [{ a: 1 }] }, '"in" needs a non-empty list of values'],
    [{ field: 'f', op: 'isNull' }, null],
    [{ field: 'f', op: 'isNull', value: 'yes' }, '"isNull" takes true, false or no value'],
    [{ field: 'f', op: 'gte', value: '2026-01-01' }, null],
    [{ field: 'f', op: 'lt', value: [1] }, '"lt" needs a number or a date'],
    [{ field: 'f', op: 'eq', value: null }, '"eq" needs one value'],
    [{ field: 'f', op: 'contains' }, '"contains" needs one value'],
  ])('%j → %s', (condition, problem) => {
    const problems = conditionValueProblems(condition);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems[0]).toContain(problem);
  });

  it('lists the values a condition compares with', () => {
    expect(conditionValues({ field: 'f', op: 'in', value: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(conditionValues({ field: 'f', op: 'eq', value: 'a' })).toEqual(['a']);
    expect(conditionValues({ field: 'f', op: 'contains', value: 'a' })).toEqual([]);
  });
});
