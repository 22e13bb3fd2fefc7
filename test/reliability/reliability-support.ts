import { randomUUID } from 'node:crypto';

/** `RELASI_RELIABILITY=full` (npm run test:reliability) runs the loads longer and wider. */
export const FULL = process.env.RELASI_RELIABILITY === 'full';

/** How long a load runs before the fault, and how many clients write at once. */
export const LOAD = FULL ? { seconds: 20, clients: 16 } : { seconds: 2, clients: 6 };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request of a load and how it ended. */
export interface Outcome {
  email: string;
  status: number | null;
  id: string | null;
  error: string | null;
  ms: number;
  connection: string | null;
  startedAt: number;
}

/**
 * Clients creating contacts as fast as the server answers, each with a unique e-mail under
 * `tag`, until stopped. Every request has a deadline, so a server that hangs shows up as a
 * timeout instead of stalling the test. Node's fetch keeps connections alive, as browsers and
 * most API clients do.
 */
export class WriteLoad {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private n = 0;

  constructor(
    private readonly url: () => string,
    private readonly token: string,
    readonly tag: string,
    clients: number,
    private readonly timeoutMs = 10_000,
  ) {
    for (let i = 0; i < clients; i++) this.loops.push(this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const email = `${this.tag}.${this.n++}.${randomUUID().slice(0, 8)}@reliability.test`;
      const startedAt = Date.now();
      const outcome: Outcome = {
        email,
        status: null,
        id: null,
        error: null,
        ms: 0,
        connection: null,
        startedAt,
      };
      try {
        const res = await fetch(`${this.url()}/api/v1/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ lastName: this.tag, email }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        outcome.status = res.status;
        outcome.connection = res.headers.get('connection');
        const body = (await res.json().catch(() => null)) as { id?: string } | null;
        outcome.id = body?.id ?? null;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        outcome.error = cause?.code ?? (err as Error).name;
        // A refused connection: the server is down; do not spin.
        await sleep(20);
      }
      outcome.ms = Date.now() - startedAt;
      this.outcomes.push(outcome);
    }
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  acknowledged(): Outcome[] {
    return this.outcomes.filter((o) => o.status === 201);
  }
}

/** Waits until `check` holds, polling; answers the last value. */
export async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > end) return v;
    await sleep(100);
  }
}
