/**
 * Load helpers the benchmarks share: real servers started as child processes, autocannon
 * runs collecting every response time, and percentiles.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { sleep } from './bench-support.js';

export interface Child {
  name: string;
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a node child process and waits until `readyPath` answers 200. */
export async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  cwd: string,
): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(url + readyPath)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready:\n${output}`);
    }
    await sleep(100);
  }
  return {
    name,
    url,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

export async function getJson(url: string, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** What one server did over all rounds of one request. */
export interface Tally {
  latencies: number[];
  seconds: number;
}

/**
 * Runs autocannon against one server for `seconds`, adding each response time to `tally`;
 * with `body`, each request is a POST of that JSON.
 */
export function cannon(
  server: Child,
  token: string,
  nextPath: () => string,
  connections: number,
  seconds: number,
  tally: Tally | null,
  body?: string,
): Promise<void> {
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: server.url,
        connections,
        duration: seconds,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        requests: [
          {
            method: body ? 'POST' : 'GET',
            ...(body ? { body } : {}),
            setupRequest: (req) => ({ ...req, path: nextPath() }),
          },
        ],
      },
      (err: unknown, r: autocannon.Result) => {
        if (err) return fail(err instanceof Error ? err : new Error(String(err)));
        if (r.non2xx > 0 || r.errors > 0)
          return fail(
            new Error(
              `${server.name}: ${r.non2xx} non-2xx answers and ${r.errors} errors out of ${r.requests.total}`,
            ),
          );
        if (tally) tally.seconds += r.duration;
        done();
      },
    );
    if (tally)
      instance.on('response', (_client, _status, _bytes, ms: number) => tally.latencies.push(ms));
  });
}

export function percentile(sorted: number[], p: number): number {
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number(sorted[Math.max(0, at)].toFixed(1));
}

/** p50 … max and the mean of a list of response times, in milliseconds. */
export function latencySummary(latencies: number[]) {
  const list = Array.from(Float64Array.from(latencies).sort());
  return {
    p50: percentile(list, 50),
    p90: percentile(list, 90),
    p99: percentile(list, 99),
    max: percentile(list, 100),
    mean: Number((list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)),
  };
}
