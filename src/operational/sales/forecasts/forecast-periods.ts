export const PERIOD_KINDS = ['month', 'quarter'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A calendar month (`2026-03`) or quarter (`2026-Q1`), its first and last day inclusive. */
export interface Period {
  key: string;
  start: string;
  end: string;
}

const MONTHS_PER = { month: 1, quarter: 3 } as const;

/** Periods are numbered from year 0 so that neighbours differ by one. */
function indexOf(kind: PeriodKind, day: string): number {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1;
  return kind === 'month' ? year * 12 + month : year * 4 + Math.floor(month / 3);
}

/** YYYY-MM-DD of a day given by year, month (0-based, may overflow) and day; any year 0-9999. */
function isoDay(year: number, month: number, day: number): string {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${d.toISOString().slice(5, 10)}`;
}

function periodAt(kind: PeriodKind, index: number): Period {
  const perYear = 12 / MONTHS_PER[kind];
  const year = Math.floor(index / perYear);
  const within = index - year * perYear;
  const firstMonth = within * MONTHS_PER[kind];
  const start = isoDay(year, firstMonth, 1);
  const key = kind === 'month' ? start.slice(0, 7) : `${start.slice(0, 4)}-Q${within + 1}`;
  return { key, start, end: isoDay(year, firstMonth + MONTHS_PER[kind], 0) };
}

/** The period a day (YYYY-MM-DD) falls in. */
export function periodOf(kind: PeriodKind, day: string): Period {
  return periodAt(kind, indexOf(kind, day));
}

/** How many periods from..to touches, both ends included. */
export function periodCount(kind: PeriodKind, from: string, to: string): number {
  return indexOf(kind, to) - indexOf(kind, from) + 1;
}

/** The periods from..to touches, the first and last cut to the range. */
export function periodsBetween(kind: PeriodKind, from: string, to: string): Period[] {
  const first = indexOf(kind, from);
  return Array.from({ length: periodCount(kind, from, to) }, (_, i) => {
    const p = periodAt(kind, first + i);
    return { ...p, start: p.start < from ? from : p.start, end: p.end > to ? to : p.end };
  });
}

/** The `n` whole periods before the one `day` falls in, oldest first. */
export function periodsBefore(kind: PeriodKind, day: string, n: number): Period[] {
  const current = indexOf(kind, day);
  return Array.from({ length: n }, (_, i) => periodAt(kind, current - n + i));
}

/** The `n` periods after `period`, oldest first. */
export function periodsAfter(kind: PeriodKind, period: Period, n: number): Period[] {
  const last = indexOf(kind, period.start);
  return Array.from({ length: n }, (_, i) => periodAt(kind, last + 1 + i));
}

/** Today's date (YYYY-MM-DD) in a time zone: a forecast's "now" is the organization's. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
