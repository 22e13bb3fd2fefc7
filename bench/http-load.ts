/**
 * Load helpers the benchmarks share: real servers started as child processes, autocannon
 * runs collecting every response time, and percentiles.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sleep } from './bench-support.js';

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux the kernel ABI allows. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Child {
  name: string;
  url: string;
  pid: number;
  /** Milliseconds from spawning the process until `readyPath` first answered 200. */
  readyMs: number;
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
  const spawned = performance.now();
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
    await sleep(20);
  }
  const readyMs = Math.round(performance.now() - spawned);
  return {
    name,
    url,
    pid: child.pid!,
    readyMs,
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

/** The next request of a load: a path to GET, or a path and the JSON to POST there. */
export type NextRequest = () => string | { path: string; body: string };

/**
 * Runs autocannon against one server for `seconds`, adding each response time to `tally`;
 * with `body`, each request is a POST of that JSON, and a request `next` gives with a body of
 * its own is a POST of that.
 */
export function cannon(
  server: Child,
  token: string,
  next: NextRequest,
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
            setupRequest: (req) => {
              const r = next();
              return typeof r === 'string'
                ? { ...req, path: r }
                : {
                    ...req,
                    method: 'POST',
                    path: r.path,
                    body: r.body,
                    headers: { ...req.headers, 'content-type': 'application/json' },
                  };
            },
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

/**
 * An open load: requests leave at an even `rate` a second for `seconds` over at most
 * `connections` kept-alive sockets, whether or not earlier ones have been answered, and each
 * response time counts from when its request was due, so a stall shows in every request it
 * held up (autocannon's rate option sends each second's quota in a burst instead).
 */
export async function paced(
  server: Child,
  token: string,
  next: NextRequest,
  connections: number,
  seconds: number,
  rate: number,
  tally: Tally | null,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = (r: ReturnType<NextRequest>) =>
    new Promise<void>((done, fail) => {
      const post = typeof r !== 'string';
      const req = httpRequest(
        `${server.url}${post ? r.path : r}`,
        {
          agent,
          method: post ? 'POST' : 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(post ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode! < 300 ? done() : fail(new Error(`${server.name}: ${res.statusCode}`)),
          );
        },
      );
      req.on('error', fail);
      req.end(post ? r.body : undefined);
    });
  const start = performance.now();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < Math.floor(seconds * rate); i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    sent.push(send(next()).then(() => void tally?.latencies.push(performance.now() - due)));
  }
  try {
    await Promise.all(sent);
  } finally {
    agent.destroy();
  }
  if (tally) tally.seconds += seconds;
}

/** NaN (null in the results) when nothing answered, so one dead row does not end a long run. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
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
    mean: list.length ? Number((list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)) : NaN,
  };
}

/**
 * CPU seconds (user and system) a process has used so far, from /proc: divided by the requests
 * it answered meanwhile, the cost of a request on its own, which the CPUs' other tenants
 * (the load generator, PostgreSQL, the other server) do not blur as they blur requests/s.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name, in parentheses, may hold spaces: the fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size of a process in bytes, from /proc. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak in bytes. */
export function watchRss(pid: number, everyMs = 25): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
