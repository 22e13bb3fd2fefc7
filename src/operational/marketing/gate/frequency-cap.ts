/** At most `max` marketing messages in any rolling `per` (7 days, or 30 days for a month). */
export interface FrequencyCap {
  max: number;
  per: 'week' | 'month';
}

const DAY = 86_400_000;

export function capWindowMs(per: FrequencyCap['per']): number {
  return per === 'week' ? 7 * DAY : 30 * DAY;
}

/**
 * Whether one more message at `at` stays within the cap, given the times earlier messages went
 * out; when it does not, the moment enough of them have aged out of the window. A rolling
 * window rather than calendar weeks, so that no burst across a week boundary doubles the cap.
 */
export function capDecision(
  sentAt: readonly Date[],
  cap: FrequencyCap,
  at: Date,
): { allowed: true } | { allowed: false; nextAllowedAt: Date } {
  const windowMs = capWindowMs(cap.per);
  const inWindow = sentAt
    .map((d) => d.getTime())
    .filter((t) => t > at.getTime() - windowMs && t <= at.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < cap.max) return { allowed: true };
  // The oldest (count - max + 1) messages must leave the window before one more fits.
  const leaving = inWindow[inWindow.length - cap.max];
  return { allowed: false, nextAllowedAt: new Date(leaving + windowMs) };
}
