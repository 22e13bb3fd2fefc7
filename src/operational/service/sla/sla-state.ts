import type { BusinessCalendar } from '../calendars/business-calendar.js';
import type { SlaStatus } from '../cases/case.definition.js';
import type { SlaTarget } from '../service.events.js';

const MINUTE = 60_000;

/** A case's SLA clock as stored on it; instants as Dates. */
export interface SlaState {
  policy: string | null;
  calendar: string | null;
  startedAt: Date | null;
  firstResponseTarget: number | null;
  resolutionTarget: number | null;
  warnBefore: number;
  pausedAt: Date | null;
  pausedMinutes: number;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  firstResponseWarnedAt: Date | null;
  resolutionWarnedAt: Date | null;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
}

/** A target still running: its due time and whether it was warned about or breached. */
export interface PendingTarget {
  target: SlaTarget;
  dueAt: Date;
  warnAt: Date;
  warned: boolean;
  breached: boolean;
}

/** The targets that still run: first response until answered, resolution until resolved. */
export function pendingTargets(s: SlaState): PendingTarget[] {
  if (!s.policy || s.pausedAt || s.resolvedAt) return [];
  const out: PendingTarget[] = [];
  const add = (target: SlaTarget, due: Date | null, warned: Date | null, breached: Date | null) => {
    if (due)
      out.push({
        target,
        dueAt: due,
        warnAt: new Date(due.getTime() - s.warnBefore * MINUTE),
        warned: warned !== null,
        breached: breached !== null,
      });
  };
  if (!s.firstRespondedAt)
    add('first_response', s.firstResponseDueAt, s.firstResponseWarnedAt, s.firstResponseBreachedAt);
  add('resolution', s.resolutionDueAt, s.resolutionWarnedAt, s.resolutionBreachedAt);
  return out;
}

/** Due times from the start, the targets and the minutes the clock stood still. */
export function withDueTimes(s: SlaState, cal: BusinessCalendar): SlaState {
  if (!s.startedAt || s.firstResponseTarget === null || s.resolutionTarget === null) return s;
  return {
    ...s,
    firstResponseDueAt: cal.addMinutes(s.startedAt, s.firstResponseTarget + s.pausedMinutes),
    resolutionDueAt: cal.addMinutes(s.startedAt, s.resolutionTarget + s.pausedMinutes),
  };
}

/** Stops the clock at `now`, or starts it again adding the business minutes it stood still. */
export function paused(s: SlaState, stop: boolean, now: Date, cal: BusinessCalendar): SlaState {
  if (stop && !s.pausedAt) return { ...s, pausedAt: now };
  if (!stop && s.pausedAt)
    return withDueTimes(
      {
        ...s,
        pausedMinutes: s.pausedMinutes + Math.max(0, cal.minutesBetween(s.pausedAt, now)),
        pausedAt: null,
      },
      cal,
    );
  return s;
}

/**
 * Where the case stands against its targets at `now`, and when the scheduled check must
 * look again (the next warning or due time of a running target; null when none runs).
 */
export function slaStanding(
  s: SlaState,
  now: Date,
): { status: SlaStatus | null; nextCheckAt: Date | null } {
  if (!s.policy) return { status: null, nextCheckAt: null };
  const late = (at: Date | null, due: Date | null) => !!at && !!due && at > due;
  const everBreached =
    !!s.firstResponseBreachedAt ||
    !!s.resolutionBreachedAt ||
    late(s.firstRespondedAt, s.firstResponseDueAt);
  if (s.resolvedAt)
    return {
      status: everBreached || late(s.resolvedAt, s.resolutionDueAt) ? 'breached' : 'met',
      nextCheckAt: null,
    };
  const pending = pendingTargets(s);
  const t = now.getTime();
  const next = pending
    .filter((p) => !p.breached)
    .map((p) => (!p.warned && t < p.warnAt.getTime() ? p.warnAt : p.dueAt).getTime());
  const nextCheckAt = next.length ? new Date(Math.min(...next)) : null;
  if (everBreached || pending.some((p) => p.dueAt.getTime() <= t))
    return { status: 'breached', nextCheckAt };
  if (s.pausedAt) return { status: 'paused', nextCheckAt: null };
  if (pending.some((p) => p.warnAt.getTime() <= t)) return { status: 'at_risk', nextCheckAt };
  return { status: 'on_track', nextCheckAt };
}
