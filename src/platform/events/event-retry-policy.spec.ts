import { EVENT_RETRIES } from './event-retry-policy.js';

describe('event retry policy', () => {
  it('doubles from 2 s and stops after the tenth attempt', () => {
    const waits = Array.from({ length: 10 }, (_, i) => EVENT_RETRIES.delayAfter(i + 1));
    expect(waits).toEqual([
      2000,
      4000,
      8000,
      16_000,
      32_000,
      64_000,
      128_000,
      256_000,
      512_000,
      null,
    ]);
  });

  it('never waits more than an hour', () => {
    expect(EVENT_RETRIES.delayMs(30)).toBe(3_600_000);
  });
});
