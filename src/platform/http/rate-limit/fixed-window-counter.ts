/** What one request left of its caller's quota. */
export interface QuotaState {
  allowed: boolean;
  remaining: number;
  /** Seconds until the caller's window ends and the quota is whole again (at least 1). */
  resetSeconds: number;
}

interface Window {
  endsAt: number;
  used: number;
}

/**
 * Counts requests per key in fixed windows held in process memory: a Map lookup per request,
 * no I/O. Each key's window starts with its first request, so callers do not all get their
 * quota back at the same instant. Ended windows are swept once per window length, which
 * keeps memory bounded by the keys seen in one window.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private nextSweep: number;

  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweep = now() + windowSeconds * 1000;
  }

  /** Counts one request of `key`; past the limit it is refused and not counted further. */
  take(key: string): QuotaState {
    const now = this.now();
    const window = this.current(key, now);
    if (window.used < this.limit) window.used++;
    else return this.state(window, now, false);
    return this.state(window, now, true);
  }

  /** The key's state without counting: whether a request now would still be allowed. */
  peek(key: string): QuotaState {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now)
      return { allowed: true, remaining: this.limit, resetSeconds: this.windowSeconds };
    return this.state(window, now, window.used < this.limit);
  }

  private current(key: string, now: number): Window {
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + this.windowSeconds * 1000, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private state(window: Window, now: number, allowed: boolean): QuotaState {
    return {
      allowed,
      remaining: this.limit - window.used,
      resetSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    this.nextSweep = now + this.windowSeconds * 1000;
  }

  /** Keys with a window in memory (ended ones included until the next sweep). */
  get size(): number {
    return this.windows.size;
  }
}
