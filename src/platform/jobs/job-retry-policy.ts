import { RetryPolicy } from '#platform/retry/retry-policy.js';

/** Longest wait between two attempts of a job, however many retries it has had. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * The retries of one job, from what it was enqueued with: `retryDelayMs` before the first
 * retry, doubled for each later one up to an hour, plus up to 10 % jitter so that jobs that
 * failed together (a receiver or a database blip) do not all come back in the same instant;
 * after `retryLimit` retries the job is dead-lettered.
 */
export function jobRetryPolicy(retryLimit: number, retryDelayMs: number): RetryPolicy {
  return new RetryPolicy({
    baseMs: Math.max(0, retryDelayMs),
    growth: 2,
    capMs: MAX_RETRY_DELAY_MS,
    jitter: 0.1,
    maxAttempts: Math.max(0, Math.floor(retryLimit)) + 1,
  });
}
