/**
 * Waits between automatic attempts, in multiples of the base delay (CRM_WEBHOOK_RETRY_BASE_MS,
 * 30 s by default): 30 s, 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 8 h, 8 h. Ten attempts in all,
 * the last about 23 h 22 min after the first, so a receiver that is down for most of a day
 * still gets the event and nothing is retried for longer than 24 h.
 */
const STEPS = [1, 2, 10, 30, 120, 240, 480, 960, 960];

export const MAX_AUTOMATIC_ATTEMPTS = STEPS.length + 1;

/** Delay before the next automatic attempt after `attemptsSoFar` of them, or null when done. */
export function nextRetryDelayMs(attemptsSoFar: number, baseMs: number): number | null {
  const step = STEPS[attemptsSoFar - 1];
  return step === undefined ? null : step * baseMs;
}
