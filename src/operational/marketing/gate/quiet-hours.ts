import type { QuietHoursConfig } from '../marketing.config.js';

const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `HH:MM` as minutes after local midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The wall-clock minute of the day an instant shows in a time zone. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const p of formatterFor(timeZone).formatToParts(at)) {
    if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return hour * 60 + minute;
}

/** Whether a local minute lies in the window; a window whose end is before its start spans midnight. */
function inWindow(minute: number, start: number, end: number): boolean {
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export function isQuiet(at: Date, window: QuietHoursConfig, timeZone: string): boolean {
  return inWindow(localMinuteOfDay(at, timeZone), minutesOf(window.start), minutesOf(window.end));
}

/**
 * The first moment at or after `at` outside the quiet hours, or null when `at` is outside
 * already. Found by walking the wall-clock distance to the window's end and correcting for the
 * offset changes (DST) in between: a local end time that a clock change skips ends the window
 * when the clock jumps past it, and one that occurs twice ends it the first time.
 */
export function quietUntil(at: Date, window: QuietHoursConfig, timeZone: string): Date | null {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (!inWindow(localMinuteOfDay(at, timeZone), start, end)) return null;
  const quiet = (t: number) => inWindow(localMinuteOfDay(new Date(t), timeZone), start, end);
  // The minute `at` is in, so every candidate lies on a whole minute.
  const base = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const wallDistance = (end - localMinuteOfDay(at, timeZone) + 1440) % 1440 || 1440;
  let t = base + wallDistance * MINUTE;
  // A clock change in between shows `t` at a wall time off the end by the change (a forward
  // change can even land it inside the next window); step back by that difference first.
  const drift = ((localMinuteOfDay(new Date(t), timeZone) - end + 1440 + 720) % 1440) - 720;
  t -= drift * MINUTE;
  if (t <= at.getTime()) t = base + MINUTE;
  // A skipped end leaves `t` still quiet: walk on until the clock has jumped past it.
  for (let i = 0; i < 24 * 60 && quiet(t); i += 15) t += 15 * MINUTE;
  for (let i = 0; i < 24 * 60 && t - MINUTE > at.getTime() && !quiet(t - MINUTE); i++) t -= MINUTE;
  while (quiet(t)) t += MINUTE;
  return new Date(t);
}
