import { RetryPolicy } from '#platform/retry/retry-policy.js';

/** Nothing is retried later than this after the event's first attempt. */
const RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * Waits between automatic attempts, in multiples of the base delay (CRM_WEBHOOK_RETRY_BASE_MS,
 * 30 s by default): 30 s, 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 8 h, 8 h. Ten attempts in all,
 * the last about 23 h 22 min after the first, so a receiver that is down for most of a day
 * still gets the event and nothing is retried for longer than 24 h. No jitter: each webhook's
 * attempts are already spread by the events that caused them.
 */
export function webhookRetryPolicy(baseMs: number): RetryPolicy {
  return new RetryPolicy({
    baseMs,
    growth: [1, 2, 10, 30, 120, 240, 480, 960],
    jitter: 0,
    maxAttempts: 10,
    maxAgeMs: RETRY_WINDOW_MS,
  });
}
