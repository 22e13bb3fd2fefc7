import { webhookRetryPolicy } from './webhook-retry-policy.js';

/** Waits after each failed attempt until the policy stops, for an event first tried just now. */
function waits(baseMs: number): number[] {
  const policy = webhookRetryPolicy(baseMs);
  const delays: number[] = [];
  for (let attempt = 1, elapsed = 0; ; attempt++) {
    const d = policy.delayAfter(attempt, elapsed);
    if (d === null) return delays;
    delays.push(d);
    elapsed += d;
  }
}

describe('webhook retry policy', () => {
  it('backs off from 30 s over ten attempts, the last within 24 h of the first', () => {
    const delays = waits(30_000);
    expect(delays).toEqual([
      30_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
    ]);
    const lastAfterMs = delays.reduce((a, b) => a + b, 0);
    expect(lastAfterMs).toBeLessThanOrEqual(24 * 3_600_000);
    expect(lastAfterMs).toBeGreaterThan(20 * 3_600_000);
  });

  it('scales with the base delay', () => {
    expect(waits(100).slice(0, 3)).toEqual([100, 200, 1000]);
  });

  it('stops at 24 h when a long base delay would retry later than that', () => {
    const delays = waits(60_000);
    expect(delays.length).toBeLessThan(9);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(24 * 3_600_000);
  });
});
