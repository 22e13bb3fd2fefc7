import {
  periodCount,
  periodOf,
  periodsAfter,
  periodsBefore,
  periodsBetween,
} from './forecast-periods.js';

describe('forecast periods', () => {
  it('names months and quarters and knows their last day, leap years included', () => {
    expect(periodOf('month', '2028-02-14')).toEqual({
      key: '2028-02',
      start: '2028-02-01',
      end: '2028-02-29',
    });
    expect(periodOf('month', '2026-02-14').end).toBe('2026-02-28');
    expect(periodOf('quarter', '2026-05-31')).toEqual({
      key: '2026-Q2',
      start: '2026-04-01',
      end: '2026-06-30',
    });
    expect(periodOf('quarter', '2026-12-31').key).toBe('2026-Q4');
  });

  it('counts and lists the periods of a range, cutting the ends to it', () => {
    expect(periodCount('month', '2026-01-15', '2026-03-10')).toBe(3);
    expect(periodCount('quarter', '2025-12-31', '2026-01-01')).toBe(2);
    expect(periodsBetween('month', '2026-01-15', '2026-03-10')).toEqual([
      { key: '2026-01', start: '2026-01-15', end: '2026-01-31' },
      { key: '2026-02', start: '2026-02-01', end: '2026-02-28' },
      { key: '2026-03', start: '2026-03-01', end: '2026-03-10' },
    ]);
    expect(periodsBetween('quarter', '2025-11-01', '2026-03-31').map((p) => p.key)).toEqual([
      '2025-Q4',
      '2026-Q1',
    ]);
  });

  it('steps back and forward across years', () => {
    expect(periodsBefore('month', '2026-02-10', 3).map((p) => p.key)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
    ]);
    expect(periodsBefore('quarter', '2026-02-10', 2)).toEqual([
      { key: '2025-Q3', start: '2025-07-01', end: '2025-09-30' },
      { key: '2025-Q4', start: '2025-10-01', end: '2025-12-31' },
    ]);
    expect(periodsAfter('quarter', periodOf('quarter', '2026-11-01'), 2).map((p) => p.key)).toEqual(
      ['2027-Q1', '2027-Q2'],
    );
  });
});
