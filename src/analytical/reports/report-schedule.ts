import { Cron } from 'croner';

/** The next slot of a report's cron after `from`, in its time zone; null when there is none. */
export function nextSlot(schedule: string, timeZone: string, from: Date = new Date()): Date | null {
  return new Cron(schedule, { paused: true, timezone: timeZone, mode: '5-or-6-parts' }).nextRun(
    from,
  );
}
