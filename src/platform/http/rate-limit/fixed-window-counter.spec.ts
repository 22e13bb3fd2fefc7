import { FixedWindowCounter } from './fixed-window-counter.js';

describe('FixedWindowCounter', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('counts each key in its own window and refuses past the limit until the window ends', () => {
    const counter = new FixedWindowCounter(2, 10, clock);
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 1, resetSeconds: 10 });
    now += 4_500;
    expect(counter.take('b')).toEqual({ allowed: true, remaining: 1, resetSeconds: 10 });
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 0, resetSeconds: 6 });
    expect(counter.take('a')).toEqual({ allowed: false, remaining: 0, resetSeconds: 6 });
    expect(counter.peek('a').allowed).toBe(false);
    now += 5_500;
    expect(counter.peek('a')).toEqual({ allowed: true, remaining: 2, resetSeconds: 10 });
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 1, resetSeconds: 10 });
  });

  it('forgets ended windows, so memory holds only the keys of one window', () => {
    const counter = new FixedWindowCounter(5, 1, clock);
    for (let i = 0; i < 100; i++) counter.take(`k${i}`);
    expect(counter.size).toBe(100);
    now += 1_000;
    counter.take('fresh');
    expect(counter.size).toBe(1);
  });
});
