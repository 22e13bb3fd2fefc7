import fc from 'fast-check';
import { capDecision, capWindowMs, type FrequencyCap } from './frequency-cap.js';
import { isQuiet, localMinuteOfDay, quietUntil } from './quiet-hours.js';

const ZONES = [
  'UTC',
  'Asia/Jakarta',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/New_York',
  'America/St_Johns',
  'Europe/London',
  'Europe/Berlin',
  'Pacific/Chatham',
  'Pacific/Apia',
];
const MINUTE = 60_000;
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const window = fc
  .tuple(hhmm, hhmm)
  .filter(([a, b]) => a !== b)
  .map(([start, end]) => ({ start, end }));
// 2020-2030, so every DST change of those years is in range.
const anyInstant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((t) => new Date(t));
// Half the cases within four days of a clock change of one of those zones, where bugs live.
const clockChangeWeeks = [
  Date.UTC(2020, 9, 2), // Lord Howe, Sydney: first Sunday of October
  Date.UTC(2026, 2, 6), // North America: second Sunday of March
  Date.UTC(2026, 2, 27), // Europe: last Sunday of March
  Date.UTC(2026, 3, 3), // Lord Howe, Chatham, Apia: first Sunday of April
  Date.UTC(2026, 8, 25), // Chatham, Apia: last Sunday of September
  Date.UTC(2026, 9, 23), // Europe: last Sunday of October
  Date.UTC(2026, 9, 30), // North America: first Sunday of November
];
const nearClockChange = fc
  .tuple(fc.constantFrom(...clockChangeWeeks), fc.integer({ min: 0, max: 4 * 86_400_000 }))
  .map(([week, offset]) => new Date(week + offset));
const instant = fc.oneof(anyInstant, nearClockChange);

describe('quiet hours', () => {
  it('reads the local wall clock of a zone', () => {
    const at = new Date('2026-06-01T15:30:00Z');
    expect(localMinuteOfDay(at, 'Asia/Jakarta')).toBe(22 * 60 + 30);
    expect(localMinuteOfDay(at, 'Asia/Kolkata')).toBe(21 * 60);
    expect(isQuiet(at, { start: '22:00', end: '07:00' }, 'Asia/Jakarta')).toBe(true);
    expect(isQuiet(at, { start: '22:00', end: '07:00' }, 'UTC')).toBe(false);
    expect(quietUntil(at, { start: '22:00', end: '07:00' }, 'Asia/Jakarta')?.toISOString()).toBe(
      '2026-06-02T00:00:00.000Z',
    );
  });

  it('ends a window whose end the spring-forward skips when the clock jumps past it', () => {
    // 2026-03-08 in New York: 02:00 EST jumps to 03:00 EDT, so 02:30 never happens.
    const at = new Date('2026-03-08T06:30:00Z'); // 01:30 EST
    const next = quietUntil(at, { start: '23:00', end: '02:30' }, 'America/New_York');
    expect(next?.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
  });

  it('ends a window on the day a half-hour clock change moves its end earlier', () => {
    // Lord Howe moves from +10:30 to +11:00 at 02:00 on 2020-10-04; 03:30 then comes at 16:30Z.
    const at = new Date('2020-10-02T17:30:00Z'); // 04:00 local, the window's first minute
    const next = quietUntil(at, { start: '04:00', end: '03:30' }, 'Australia/Lord_Howe');
    expect(next?.toISOString()).toBe('2020-10-03T16:30:00.000Z');
  });

  it('waits for the next day when a clock change skips the whole of the open time', () => {
    // Open only 02:00-02:01 in New York; on 2026-03-08 the clock jumps from 02:00 EST to 03:00 EDT.
    const at = new Date('2026-03-07T07:01:00Z'); // 02:01 EST, the window's first minute
    const next = quietUntil(at, { start: '02:01', end: '02:00' }, 'America/New_York');
    expect(next?.toISOString()).toBe('2026-03-09T06:00:00.000Z'); // 02:00 EDT the day after
  });

  it('is held back exactly until the first minute outside the window, in any zone', () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...ZONES), (at, w, zone) => {
        const next = quietUntil(at, w, zone);
        if (!isQuiet(at, w, zone)) return next === null;
        if (next === null) return false;
        const waited = next.getTime() - at.getTime();
        return (
          waited > 0 &&
          // A day plus a clock change, or two when the change skips the whole open time.
          waited <= 49 * 60 * MINUTE &&
          next.getTime() % MINUTE === 0 &&
          !isQuiet(next, w, zone) &&
          (next.getTime() - MINUTE <= at.getTime() ||
            isQuiet(new Date(next.getTime() - MINUTE), w, zone))
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('holds back every minute between the decision and the next allowed time', () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...ZONES), (at, w, zone) => {
        const next = quietUntil(at, w, zone);
        if (next === null) return true;
        for (let t = at.getTime(); t < next.getTime(); t += 7 * MINUTE)
          if (!isQuiet(new Date(t), w, zone)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('frequency cap', () => {
  const cap = fc.record({
    max: fc.integer({ min: 1, max: 10 }),
    per: fc.constantFrom<FrequencyCap['per']>('week', 'month'),
  });
  // Ages of earlier messages, up to two months back.
  const ages = fc.array(fc.integer({ min: 0, max: 60 * 86_400_000 }), { maxLength: 30 });

  it('allows a message exactly when fewer than the cap went out in the rolling window', () => {
    fc.assert(
      fc.property(instant, cap, ages, (at, c, agos) => {
        const sent = agos.map((ago) => new Date(at.getTime() - ago));
        const recent = agos.filter((ago) => ago < capWindowMs(c.per)).length;
        return capDecision(sent, c, at).allowed === recent < c.max;
      }),
      { numRuns: 1000 },
    );
  });

  it('names the first moment the cap allows one more, and not a moment earlier', () => {
    fc.assert(
      fc.property(instant, cap, (at, c) => {
        const sent = Array.from(
          { length: c.max + 3 },
          (_, i) => new Date(at.getTime() - i * 3_600_000),
        );
        const decision = capDecision(sent, c, at);
        if (decision.allowed) return false;
        const next = decision.nextAllowedAt;
        return (
          next > at &&
          capDecision(sent, c, next).allowed &&
          !capDecision(sent, c, new Date(next.getTime() - 1)).allowed
        );
      }),
      { numRuns: 500 },
    );
  });
});
