import { isCalendarDate } from './is-calendar-date.validator.js';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2028-02-29', '1999-12-31'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-1-1',
    '31/12/2026',
    '2026-12-31T00:00:00Z',
    ' 2026-12-31',
    '',
    20261231,
    null,
  ])('refuses %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});
