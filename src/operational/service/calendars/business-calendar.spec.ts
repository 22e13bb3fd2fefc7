import fc from 'fast-check';
import { BusinessCalendar, type CalendarSpec } from './business-calendar.js';

const OFFICE: CalendarSpec['hours'] = {
  mon: [
    ['08:00', '12:00'],
    ['13:00', '17:00'],
  ],
  tue: [['08:00', '17:00']],
  wed: [['08:00', '17:00']],
  thu: [['08:00', '17:00']],
  fri: [['08:00', '16:30']],
};

const jakarta = new BusinessCalendar({
  timeZone: 'Asia/Jakarta',
  hours: OFFICE,
  holidays: { country: 'ID', dates: ['2026-12-24'] },
});
// Zones with DST, and working hours across the wall times the changes skip or repeat.
const berlin = new BusinessCalendar({
  timeZone: 'Europe/Berlin',
  hours: { ...OFFICE, sun: [['01:00', '04:00']], sat: [['00:30', '03:30']] },
});
const newYork = new BusinessCalendar({
  timeZone: 'America/New_York',
  hours: { sun: [['00:00', '23:59']], mon: [['01:30', '02:45']], fri: [['09:00', '17:00']] },
});
const calendars = [jakarta, berlin, newYork];

const calendar = fc.constantFrom(...calendars);
// 2025–2027 covers several DST changes in both directions.
const instant = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) })
  .map((t) => new Date(t));
const minutes = fc.integer({ min: 0, max: 20_000 });

describe('BusinessCalendar', () => {
  it('adds working minutes across a lunch break, a weekend and a public holiday', () => {
    // Friday 2026-08-14 16:00 WIB; Monday 17 August is Independence Day.
    const friday = new Date('2026-08-14T09:00:00Z');
    expect(jakarta.addMinutes(friday, 30).toISOString()).toBe('2026-08-14T09:30:00.000Z');
    // 30 minutes left on Friday, then Tuesday 08:00 + 30.
    expect(jakarta.addMinutes(friday, 60).toISOString()).toBe('2026-08-18T01:30:00.000Z');
    // Monday 10:00: two hours to the lunch break, then on from 13:00.
    const monday = new Date('2026-08-10T03:00:00Z');
    expect(jakarta.addMinutes(monday, 120).toISOString()).toBe('2026-08-10T05:00:00.000Z');
    expect(jakarta.addMinutes(monday, 180).toISOString()).toBe('2026-08-10T07:00:00.000Z');
    expect(jakarta.minutesBetween(monday, new Date('2026-08-10T07:00:00Z'))).toBe(180);
    // Outside hours the clock starts at the next opening.
    expect(jakarta.addMinutes(new Date('2026-08-15T02:00:00Z'), 1).toISOString()).toBe(
      '2026-08-18T01:01:00.000Z',
    );
    // Wednesday 16:00 + 90: the 24th is an extra day off, the 25th Christmas, then a weekend.
    expect(jakarta.addMinutes(new Date('2026-12-23T09:00:00Z'), 90).toISOString()).toBe(
      '2026-12-28T01:30:00.000Z',
    );
  });

  it('counts a DST day by its real length', () => {
    // Sunday 2026-03-29 in Berlin: 02:00 does not exist, so 01:00–04:00 is two hours.
    const day = berlin.spansOf('2026-03-29');
    expect(day.reduce((n, s) => n + (s.end - s.start), 0)).toBe(2 * 3_600_000);
    // Sunday 2026-10-25: 02:00–03:00 happens twice, so 01:00–04:00 is four hours.
    const autumn = berlin.spansOf('2026-10-25');
    expect(autumn.reduce((n, s) => n + (s.end - s.start), 0)).toBe(4 * 3_600_000);
  });

  it('measures back exactly what it added', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, t, n) => {
        expect(cal.minutesBetween(t, cal.addMinutes(t, n))).toBe(n);
      }),
    );
  });

  it('is monotone: more minutes never give an earlier instant', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, t, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.addMinutes(t, lo).getTime()).toBeLessThanOrEqual(
          cal.addMinutes(t, hi).getTime(),
        );
      }),
    );
    fc.assert(
      fc.property(calendar, instant, instant, minutes, (cal, a, b, n) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.addMinutes(lo, n).getTime()).toBeLessThanOrEqual(
          cal.addMinutes(hi, n).getTime(),
        );
      }),
    );
  });

  it('is additive: adding in two steps is adding at once, and spans add up', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, t, a, b) => {
        expect(cal.addMinutes(cal.addMinutes(t, a), b).getTime()).toBe(
          cal.addMinutes(t, a + b).getTime(),
        );
      }),
    );
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        expect(cal.msBetween(a, c)).toBe(cal.msBetween(a, b) + cal.msBetween(b, c));
      }),
      // Each run walks up to three years day by day.
      { numRuns: 40 },
    );
  });

  it('never lands outside working hours', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 20_000 }), (cal, t, n) => {
        expect(cal.isWorking(cal.addMinutes(t, n))).toBe(true);
      }),
    );
  });

  it('refuses a calendar without working hours and negative minutes', () => {
    expect(() => new BusinessCalendar({ timeZone: 'UTC', hours: {} })).toThrow();
    expect(() => jakarta.addMinutes(new Date(), -1)).toThrow(RangeError);
  });
});
