import { retryDelayMs } from '#platform/jobs/job-backoff.js';
import { MAX_AUTOMATIC_ATTEMPTS, nextRetryDelayMs } from './webhook-retry-schedule.js';

describe('webhook retry schedule', () => {
  it('backs off from 30 s and ends within 24 h of the first attempt', () => {
    const delays: number[] = [];
    for (let n = 1; ; n++) {
      const d = nextRetryDelayMs(n, 30_000);
      if (d === null) break;
      delays.push(d);
    }
    expect(delays.slice(0, 5)).toEqual([30_000, 60_000, 300_000, 900_000, 3_600_000]);
    expect(delays.length + 1).toBe(MAX_AUTOMATIC_ATTEMPTS);
    const lastAfterMs = delays.reduce((a, b) => a + b, 0);
    expect(lastAfterMs).toBeLessThanOrEqual(24 * 3_600_000);
    expect(lastAfterMs).toBeGreaterThan(20 * 3_600_000);
  });

  it('scales with the base delay', () => {
    expect(nextRetryDelayMs(1, 100)).toBe(100);
    expect(nextRetryDelayMs(3, 100)).toBe(1000);
  });
});

describe('job retry backoff', () => {
  it('doubles from the base, caps at an hour, adds at most 10 % jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4].map((a) => retryDelayMs(1000, a, none))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(1000, 40, none)).toBe(3_600_000);
    expect(retryDelayMs(1000, 1, () => 0.999)).toBeLessThanOrEqual(1100);
  });
});
