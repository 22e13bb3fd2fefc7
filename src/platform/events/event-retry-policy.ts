import { RetryPolicy } from '#platform/retry/retry-policy.js';

/**
 * Retries of an event whose subscribers failed: 2 s, 4 s, 8 s, … up to an hour between
 * attempts; after the tenth the event is kept as failed, with its last error, for an
 * operator to see. No jitter: events are claimed in batches, in order, by one pass at a time.
 */
export const EVENT_RETRIES = new RetryPolicy({
  baseMs: 2000,
  growth: 2,
  capMs: 3_600_000,
  jitter: 0,
  maxAttempts: 10,
});
