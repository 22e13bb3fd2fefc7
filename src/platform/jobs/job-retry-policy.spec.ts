import { jobRetryPolicy, MAX_RETRY_DELAY_MS } from './job-retry-policy.js';

const none = () => 0;

describe('job retry policy', () => {
  it('doubles from the base, caps at an hour, adds at most 10 % jitter', () => {
    const policy = jobRetryPolicy(50, 1000);
    expect([1, 2, 3, 4].map((a) => policy.delayAfter(a, 0, none))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(policy.delayAfter(40, 0, none)).toBe(MAX_RETRY_DELAY_MS);
    expect(policy.delayAfter(1, 0, () => 0.999)).toBeLessThanOrEqual(1100);
    expect(policy.delayAfter(1, 0, () => 0.999)).toBeGreaterThan(1000);
  });

  it('dead-letters after the retry limit: the first run and that many retries', () => {
    const policy = jobRetryPolicy(3, 200);
    expect([1, 2, 3, 4].map((a) => policy.delayAfter(a, 0, none))).toEqual([200, 400, 800, null]);
    expect(jobRetryPolicy(0, 200).delayAfter(1)).toBeNull();
  });

  it('waits an hour at most even when the first delay asked for is longer', () => {
    expect(jobRetryPolicy(2, 5 * MAX_RETRY_DELAY_MS).delayAfter(1, 0, none)).toBe(
      MAX_RETRY_DELAY_MS,
    );
  });
});
