import { AppError } from '#platform/http/index.js';
import { registerProblems } from '#platform/http/problem-catalog.js';
import { checkDateTrigger, customFieldProblem } from './automation-date-trigger.js';
import { AUTOMATION_PROBLEMS } from './automations.errors.js';

beforeAll(() => registerProblems(AUTOMATION_PROBLEMS));

const pointerOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.extensions.pointer;
    throw e;
  }
  return null;
};

describe('date triggers', () => {
  it('reads a birthday from birthdate unless told another field', () => {
    expect(checkDateTrigger('contact.birthday', undefined)).toEqual({ field: 'birthdate' });
    expect(checkDateTrigger('contact.birthday', { field: 'customFields.born' })).toEqual({
      field: 'customFields.born',
    });
  });

  it('needs field, days and direction for a date reached', () => {
    expect(
      checkDateTrigger('contact.date_reached', {
        field: 'firstOrderAt',
        days: 30,
        direction: 'after',
      }),
    ).toEqual({ field: 'firstOrderAt', days: 30, direction: 'after' });
    const reached = (t: unknown) => pointerOf(() => checkDateTrigger('contact.date_reached', t));
    expect(reached(undefined)).toBe('/dateTrigger');
    expect(reached({ field: 'firstOrderAt', days: 1.5, direction: 'after' })).toBe(
      '/dateTrigger/days',
    );
    expect(reached({ field: 'customFields.Bad', days: 1, direction: 'after' })).toBe(
      '/dateTrigger/field',
    );
    expect(reached({ field: 'birthdate', days: 1 })).toBe('/dateTrigger/direction');
  });

  it('refuses a date trigger on an event trigger, and a custom field that is no date', () => {
    expect(pointerOf(() => checkDateTrigger('lead.created', { field: 'birthdate' }))).toBe(
      '/dateTrigger',
    );
    expect(checkDateTrigger('lead.created', null)).toBeNull();
    const fields = [
      { code: 'renewal', type: 'date' },
      { code: 'tier', type: 'picklist' },
    ] as never[];
    expect(customFieldProblem({ field: 'customFields.renewal' }, fields)).toBeNull();
    expect(customFieldProblem({ field: 'customFields.tier' }, fields)).toContain('not a date');
    expect(customFieldProblem({ field: 'customFields.gone' }, fields)).toContain('no custom field');
    expect(customFieldProblem({ field: 'birthdate' }, fields)).toBeNull();
  });
});
