/** Longest wait between two attempts of a job, however many retries it has had. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Delay before retry number `attempt` (1 = the first retry): the base doubled for each
 * earlier retry, capped at an hour, plus up to 10 % jitter so jobs that failed together
 * (a receiver or a database blip) do not all come back in the same instant.
 */
export function retryDelayMs(baseMs: number, attempt: number, random: () => number = Math.random) {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 + 0.1 * random()));
}
