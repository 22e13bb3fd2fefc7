import fc from 'fast-check';
import { RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';

const options: fc.Arbitrary<RetryPolicyOptions> = fc.record({
  baseMs: fc.integer({ min: 0, max: 60_000 }),
  growth: fc.oneof(
    fc.double({ min: 1, max: 4, noNaN: true }),
    fc
      .array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 })
      .map((multiples) => multiples.sort((a, b) => a - b)),
  ),
  // Below the base too: a job's own first delay may be longer than the queue's cap.
  capMs: fc.option(fc.integer({ min: 0, max: 10 * 3_600_000 }), { nil: undefined }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  maxAttempts: fc.integer({ min: 1, max: 30 }),
  maxAgeMs: fc.option(fc.integer({ min: 1, max: 48 * 3_600_000 }), { nil: undefined }),
});

const randomValue = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const never = () => 0;

describe('retry policy', () => {
  it('waits longer (or as long) for each later retry, up to the cap', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 40 }), (o, retry) => {
        const policy = new RetryPolicy(o);
        const wait = policy.delayMs(retry, never);
        expect(policy.delayMs(retry + 1, never)).toBeGreaterThanOrEqual(wait);
        expect(wait).toBeGreaterThanOrEqual(Math.min(o.baseMs, o.capMs ?? Infinity));
        if (o.capMs !== undefined) expect(wait).toBeLessThanOrEqual(o.capMs);
      }),
    );
  });

  it('adds no more jitter than its fraction of the wait', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 40 }), randomValue, (o, retry, r) => {
        const policy = new RetryPolicy(o);
        const plain = policy.delayMs(retry, never);
        const jittered = policy.delayMs(retry, () => r);
        expect(jittered).toBeGreaterThanOrEqual(plain);
        expect(jittered).toBeLessThanOrEqual(Math.ceil(plain * (1 + o.jitter)) + 1);
      }),
    );
  });

  it('never retries past its attempts or its age', () => {
    fc.assert(
      fc.property(
        options,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 72 * 3_600_000 }),
        randomValue,
        (o, attempt, elapsedMs, r) => {
          const delay = new RetryPolicy(o).delayAfter(attempt, elapsedMs, () => r);
          if (attempt >= o.maxAttempts) expect(delay).toBeNull();
          if (delay !== null && o.maxAgeMs !== undefined)
            expect(elapsedMs + delay).toBeLessThanOrEqual(o.maxAgeMs);
        },
      ),
    );
  });

  it('retries every attempt before the last while time is left', () => {
    const policy = new RetryPolicy({ baseMs: 1000, growth: 2, jitter: 0, maxAttempts: 4 });
    expect([1, 2, 3, 4].map((a) => policy.delayAfter(a))).toEqual([1000, 2000, 4000, null]);
  });

  it('repeats the last of written-out multiples', () => {
    const policy = new RetryPolicy({ baseMs: 10, growth: [1, 5, 20], jitter: 0, maxAttempts: 9 });
    expect([1, 2, 3, 4, 8].map((r) => policy.delayMs(r))).toEqual([10, 50, 200, 200, 200]);
  });

  it('refuses options that cannot make a schedule', () => {
    expect(() => new RetryPolicy({ baseMs: -1, growth: 2, jitter: 0, maxAttempts: 1 })).toThrow(
      'baseMs',
    );
    expect(() => new RetryPolicy({ baseMs: 1, growth: [], jitter: 2, maxAttempts: 0 })).toThrow(
      /multiples.*jitter.*maxAttempts/,
    );
  });
});
