/**
 * How long a piece of work that failed waits before it is tried again, and when it stops being
 * tried. The event dispatcher, the job queue and webhook deliveries each configure one; the
 * mechanism is this one.
 */
export interface RetryPolicyOptions {
  /** Wait before the first retry. */
  readonly baseMs: number;
  /**
   * How later waits grow: a factor per retry (2 doubles each time), or the multiples of
   * `baseMs` for each retry in turn, the last one repeating, for a schedule written out for
   * people to read.
   */
  readonly growth: number | readonly number[];
  /** Longest wait before jitter, even when `baseMs` is longer; none when absent. */
  readonly capMs?: number;
  /**
   * Up to this fraction of the wait is added at random (0.1: up to 10 % longer), so that work
   * that failed together, in a receiver's or the database's outage, does not all come back in
   * the same instant.
   */
  readonly jitter: number;
  /** Attempts in all, the first one included: nothing is retried after the last. */
  readonly maxAttempts: number;
  /** No retry is scheduled later than this after the first attempt. */
  readonly maxAgeMs?: number;
}

export class RetryPolicy {
  constructor(readonly options: RetryPolicyOptions) {
    const { baseMs, growth, capMs, jitter, maxAttempts, maxAgeMs } = options;
    const problems = [
      !(baseMs >= 0) && 'baseMs must not be negative',
      typeof growth === 'number' && !(growth >= 1) && 'a growth factor must be at least 1',
      typeof growth !== 'number' &&
        (growth.length === 0 || growth.some((m) => !(m > 0))) &&
        'growth multiples must be positive and at least one',
      capMs !== undefined && !(capMs >= 0) && 'capMs must not be negative',
      !(jitter >= 0 && jitter <= 1) && 'jitter must be between 0 and 1',
      !(Number.isInteger(maxAttempts) && maxAttempts >= 1) && 'maxAttempts must be 1 or more',
      maxAgeMs !== undefined && !(maxAgeMs > 0) && 'maxAgeMs must be positive',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length) throw new Error(`Invalid retry policy: ${problems.join('; ')}`);
  }

  /**
   * Wait before retry number `retry` (1 = the first retry), whatever the limits: the grown
   * base, capped, then lengthened by the jitter. `random` returns a number in [0, 1).
   */
  delayMs(retry: number, random: () => number = Math.random): number {
    const { baseMs, growth, capMs = Infinity, jitter } = this.options;
    const n = Math.max(1, Math.floor(retry));
    const multiple =
      typeof growth === 'number' ? growth ** (n - 1) : growth[Math.min(n, growth.length) - 1];
    const wait = Math.min(capMs, baseMs * multiple);
    return Math.round(jitter === 0 ? wait : wait * (1 + jitter * random()));
  }

  /**
   * Wait before trying again after attempt number `attempt` (1 = the first) failed, or null
   * when it was the last one: out of attempts, or the retry would fall more than `maxAgeMs`
   * after the first attempt, which was `elapsedMs` before this one. The caller adds the wait
   * to its database's clock, so that processes whose clocks disagree still agree on when work
   * is due.
   */
  delayAfter(attempt: number, elapsedMs = 0, random: () => number = Math.random): number | null {
    if (attempt >= this.options.maxAttempts) return null;
    const delay = this.delayMs(attempt, random);
    const { maxAgeMs } = this.options;
    if (maxAgeMs !== undefined && elapsedMs + delay > maxAgeMs) return null;
    return delay;
  }
}
