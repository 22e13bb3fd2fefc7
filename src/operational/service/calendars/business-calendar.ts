import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';

// The package parses the holidays of every country when loaded (about 10 MB of heap): it is
// loaded the first time a calendar asks for a country's holidays, not at start.
const requireLazily = createRequire(import.meta.url);
let HolidaysClass: typeof Holidays | null = null;
function holidaysOf(country: string): Holidays {
  HolidaysClass ??= requireLazily('date-holidays') as typeof Holidays;
  return new HolidaysClass(country);
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of working time on one local day, `HH:MM` to `HH:MM` (the end after the start). */
export type WorkingSpan = readonly [from: string, to: string];

/** When a team works: hours per weekday in a time zone, less public holidays and extra days off. */
export interface CalendarSpec {
  /** IANA zone the hours are in, e.g. `Asia/Jakarta`. */
  readonly timeZone: string;
  /** Working spans per weekday; a weekday left out is a day off. */
  readonly hours: Readonly<Partial<Record<Weekday, readonly WorkingSpan[]>>>;
  /** Public holidays of a country (date-holidays code, e.g. `ID`), and further days off. */
  readonly holidays?: { readonly country?: string; readonly dates?: readonly string[] };
}

const MINUTE = 60_000;
/** A calendar with no working time in this many days is refused rather than looped over. */
const MAX_SEARCH_DAYS = 3_700;

interface Span {
  start: number;
  end: number;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Business time: adds working minutes to an instant and measures the working minutes between
 * two instants, in the calendar's zone (DST included), skipping weekends, holidays and days
 * off. SLA due times come from here, so the functions are exact and consistent with each
 * other: `minutesBetween(t, addMinutes(t, n)) === n`, and adding in steps equals adding at once.
 */
export class BusinessCalendar {
  private readonly parts: Intl.DateTimeFormat;
  private readonly days = new Map<string, Span[]>();
  private readonly holidayYears = new Map<number, Set<string>>();
  private readonly extraDaysOff: ReadonlySet<string>;
  private holidays: Holidays | null = null;

  constructor(readonly spec: CalendarSpec) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: spec.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    this.extraDaysOff = new Set(spec.holidays?.dates ?? []);
    if (!WEEKDAYS.some((d) => (spec.hours[d] ?? []).length > 0))
      throw new Error('a business calendar needs working hours on at least one weekday');
  }

  /** The instant `minutes` working minutes after `start` (`start` itself for 0). */
  addMinutes(start: Date, minutes: number): Date {
    if (minutes < 0) throw new RangeError('minutes must not be negative');
    let left = minutes * MINUTE;
    let at = start.getTime();
    if (left === 0) return new Date(at);
    let day = this.localDate(at);
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = nextDate(day)) {
      for (const s of this.spansOf(day)) {
        if (s.end <= at) continue;
        const from = Math.max(at, s.start);
        if (from + left <= s.end) return new Date(from + left);
        left -= s.end - from;
        at = s.end;
      }
    }
    throw new Error(`no working time within ${MAX_SEARCH_DAYS} days`);
  }

  /** Working milliseconds from `a` to `b` (negative when `b` is earlier). */
  msBetween(a: Date, b: Date): number {
    const from = a.getTime();
    const to = b.getTime();
    if (to < from) return -this.msBetween(b, a);
    let total = 0;
    for (let day = this.localDate(from); ; day = nextDate(day)) {
      const spans = this.spansOf(day);
      for (const s of spans) total += Math.max(0, Math.min(to, s.end) - Math.max(from, s.start));
      if (this.dayStart(nextDate(day)) >= to) return total;
    }
  }

  /** Whole working minutes from `a` to `b`. */
  minutesBetween(a: Date, b: Date): number {
    const ms = this.msBetween(a, b);
    return Math.sign(ms) * Math.floor(Math.abs(ms) / MINUTE);
  }

  /** Whether the instant lies in working time (the end of a span counts as in it). */
  isWorking(instant: Date): boolean {
    const t = instant.getTime();
    return this.spansOf(this.localDate(t)).some((s) => t >= s.start && t <= s.end);
  }

  /** The working spans of a local day as instants, sorted and non-overlapping. */
  spansOf(day: string): Span[] {
    let spans = this.days.get(day);
    if (spans) return spans;
    spans = [];
    if (!this.isDayOff(day)) {
      const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
      let last = -Infinity;
      for (const [from, to] of [...(this.spec.hours[weekday] ?? [])].sort((x, y) =>
        x[0].localeCompare(y[0]),
      )) {
        // Wall times a DST change skips or repeats still give ordered, disjoint spans.
        const start = Math.max(this.instantOf(day, minutesOf(from)), last);
        const end = Math.max(this.instantOf(day, minutesOf(to)), start);
        if (end > start) spans.push({ start, end });
        last = end;
      }
    }
    if (this.days.size > 20_000) this.days.clear();
    this.days.set(day, spans);
    return spans;
  }

  private isDayOff(day: string): boolean {
    if (this.extraDaysOff.has(day)) return true;
    const country = this.spec.holidays?.country;
    if (!country) return false;
    this.holidays ??= holidaysOf(country);
    const year = Number(day.slice(0, 4));
    let set = this.holidayYears.get(year);
    if (!set) {
      set = new Set(
        this.holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      this.holidayYears.set(year, set);
    }
    return set.has(day);
  }

  /** The local calendar date (YYYY-MM-DD) of an instant in the calendar's zone. */
  localDate(t: number): string {
    const p = this.fields(t);
    return `${p.year}-${p.month}-${p.day}`;
  }

  private dayStart(day: string): number {
    return this.instantOf(day, 0);
  }

  private fields(t: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.parts.formatToParts(new Date(t))) out[p.type] = p.value;
    return out;
  }

  /** Offset of the zone from UTC at an instant, in milliseconds. */
  private offsetAt(t: number): number {
    const p = this.fields(t);
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - Math.floor(t / 1000) * 1000;
  }

  /** The instant of a local wall time; a skipped wall time falls forward, a repeated one takes the first. */
  private instantOf(day: string, minuteOfDay: number): number {
    const [y, m, d] = day.split('-').map(Number);
    const wall = Date.UTC(y, m - 1, d, 0, minuteOfDay);
    const first = wall - this.offsetAt(wall);
    const second = wall - this.offsetAt(first);
    if (first === second) return first;
    const candidates = [first, second].filter((c) => c + this.offsetAt(c) === wall);
    return candidates.length ? Math.min(...candidates) : Math.max(first, second);
  }
}

function nextDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
