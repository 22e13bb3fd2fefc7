/**
 * `npm run bench`: Relasi against a bare node:http + pg server (bench/baseline-server.ts,
 * whose header says what it does and does not do) on the same data and the same SQL, on a
 * seeded data set of 1,000,000 contacts, 200,000 accounts, 1,000,000 activities, 10,000,000
 * order lines and 1,000,000 cases (bench/seed-world.ts; BENCH_SCALE multiplies every size).
 * Measured, each beside the baseline in alternating rounds:
 *  - GET a contact by id, 10 connections (target: at least 70 % of the baseline's req/s),
 *    also against the framework floor (bench/framework-floor-server.ts: NestJS on Fastify
 *    with the same SELECT and nothing else), which splits the gap into the framework's share
 *    and Relasi's own;
 *  - a filtered, sorted page of 50 (`filter[lastName][eq]`, `sort=-createdAt`), 10
 *    connections (target: p99 under 20 ms), as fast as answers come and at an even
 *    BENCH_LIST_RATE requests a second (200) — at full speed the load generator, both
 *    servers and PostgreSQL share the CPUs, so p99 there is mostly the queue — and one
 *    request at a time;
 *  - a relation filter (`filter[account.industry][eq]`, `sort=-createdAt`, page of 50);
 *  - create a contact, `POST /api/v1/contacts`, a new e-mail each time (target: at least 60 %
 *    of the baseline's req/s);
 *  - bulk create of 1,000 contacts, `POST /api/v1/contacts/bulk`, against the baseline writing
 *    the same rows in one transaction with multi-row statements: rows/s, median of the runs;
 * Each row also gives the server's own CPU time per request answered (from /proc), which the
 * other processes on the shared CPUs do not blur as they blur requests/s;
 * and the server alone: the time from spawning `node dist/src/main.js` on the seeded database
 * until /health/ready answers 200 (median of BENCH_STARTS starts), its RSS when idle (after
 * ready and BENCH_IDLE_SECONDS) and the highest RSS sampled every 250 ms under the GET, list
 * and create load.
 *
 * One run starts a throw-away embedded PostgreSQL, migrates it, starts the real server once
 * so it creates its admin, seeds the data with SQL, then starts the server again and the
 * baseline as child processes, checks that both answer the same, measures each request with
 * autocannon, prints a table and writes bench/results/latest.json. Everything it started is
 * stopped and removed at the end. A missed target is reported, not an error: the exit code is
 * non-zero only when the run fails.
 *
 * Settings (environment): BENCH_SCALE (1) multiplies the sizes BENCH_CONTACTS (1,000,000),
 * BENCH_ACCOUNTS (200,000), BENCH_ACTIVITIES (1,000,000), BENCH_LEADS (100,000),
 * BENCH_OPPORTUNITIES (100,000), BENCH_ORDERS (4,000,000), BENCH_ORDER_LINES (10,000,000) and
 * BENCH_CASES (1,000,000), each of which can also be set itself; BENCH_CONNECTIONS (10),
 * BENCH_DURATION seconds per server and request (10) split into BENCH_ROUNDS alternating
 * rounds (5), BENCH_WARMUP seconds (3), BENCH_POOL_SIZE database connections of each server
 * (10, Relasi's default), BENCH_BULK_RUNS (5), BENCH_STARTS (3), BENCH_IDLE_SECONDS (5), and
 * BENCH_CPU_PROF=1 to write a V8 CPU profile of the Relasi process to
 * bench/results/relasi.cpuprofile and print where its time went. BENCH_REQUESTS (a comma list
 * of get-by-id, list, relation, create, bulk) measures only those, so that a profile shows
 * one request alone.
 */
import 'reflect-metadata';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { CONTACT_DEFINITION } from '#operational/customers/contacts/contact.definition.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { Principal } from '#platform/context/principal.js';
import { buildListQuery } from '#platform/query/list-query-builder.js';
import { parseListQuery } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { querySchemaOf } from '#platform/records/resource-definition.js';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import {
  ADMIN_EMAIL,
  freePort,
  log,
  RESULTS,
  ROOT,
  scaled,
  setting,
  sleep,
} from './bench-support.js';
import { summarizeProfile } from './cpu-profile.js';
import {
  cannon,
  cpuSecondsOf,
  getJson,
  latencySummary,
  paced,
  rssOf,
  startChild,
  watchRss,
  type Child,
  type NextRequest,
  type Tally,
} from './http-load.js';
import { seedWorld, type WorldSeed } from './seed-world.js';

const LIST_LIMIT = 50;
const BULK_SIZE = 1000;
const TARGET_GET_RATIO = 0.7;
const TARGET_LIST_P99_MS = 20;
const TARGET_CREATE_RATIO = 0.6;
const MB = 2 ** 20;

const config = {
  contacts: scaled('BENCH_CONTACTS', 1_000_000),
  accounts: scaled('BENCH_ACCOUNTS', 200_000),
  activities: scaled('BENCH_ACTIVITIES', 1_000_000),
  leads: scaled('BENCH_LEADS', 100_000),
  opportunities: scaled('BENCH_OPPORTUNITIES', 100_000),
  orders: scaled('BENCH_ORDERS', 4_000_000),
  orderLines: scaled('BENCH_ORDER_LINES', 10_000_000),
  cases: scaled('BENCH_CASES', 1_000_000),
  connections: setting('BENCH_CONNECTIONS', 10),
  durationSeconds: setting('BENCH_DURATION', 10),
  warmupSeconds: setting('BENCH_WARMUP', 3),
  rounds: setting('BENCH_ROUNDS', 5),
  poolSize: setting('BENCH_POOL_SIZE', 10),
  bulkRuns: setting('BENCH_BULK_RUNS', 5),
  starts: setting('BENCH_STARTS', 3),
  idleSeconds: setting('BENCH_IDLE_SECONDS', 5, 0),
  cpuProfile: ['1', 'true', 'yes'].includes(process.env.BENCH_CPU_PROF ?? ''),
  listRate: setting('BENCH_LIST_RATE', 200),
  requests: process.env.BENCH_REQUESTS ? new Set(process.env.BENCH_REQUESTS.split(',')) : null,
};

/** A list statement exactly as Relasi builds it for an admin (scope TRUE), one filter. */
function listStatement(field: string, value: string): { sql: string; params: unknown[] } {
  const admin: Principal = {
    userId: '00000000-0000-7000-8000-000000000000',
    email: ADMIN_EMAIL,
    roleId: '',
    roleName: 'Admin',
    teamIds: [],
    teammateIds: [],
    permissions: { admin: true, entities: {}, fields: {} },
    apiKeyId: null,
  };
  const request = parseListQuery(
    { [`filter[${field}][eq]`]: value, sort: '-createdAt', limit: String(LIST_LIMIT) },
    { defaultLimit: LIST_LIMIT, maxLimit: 500 },
  );
  const compiled = buildListQuery(
    querySchemaOf(CONTACT_DEFINITION),
    request,
    new PermissionEvaluator().queryAccess(admin),
    new SqlParams(),
  );
  // The baseline binds the filter value as its only parameter.
  if (compiled.params.length !== 1 || compiled.params[0] !== value)
    throw new Error(`the list statement now takes other parameters: ${compiled.sql}`);
  return { sql: compiled.sql, params: compiled.params };
}

interface Measurement {
  request: 'get-by-id' | 'list' | 'list-paced' | 'relation' | 'create';
  server: 'relasi' | 'baseline' | 'floor';
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  total: number;
  seconds: number;
  /** The server's own CPU time per request answered, in milliseconds. */
  cpuMsPerRequest: number;
}

/** As fast as answers come, or at an even rate (see `paced`). */
function load(
  server: Child,
  token: string,
  next: NextRequest,
  connections: number,
  seconds: number,
  tally: Tally | null,
  rate?: number,
): Promise<void> {
  return rate
    ? paced(server, token, next, connections, seconds, rate, tally)
    : cannon(server, token, next, connections, seconds, tally);
}

/**
 * Measures one request on both servers in alternating rounds (R B, B R, R B, …), so that a
 * burst of other work on the shared CPUs falls on both rather than on one of them.
 */
async function measure(
  request: Measurement['request'],
  connections: number,
  servers: Child[],
  token: string,
  next: NextRequest,
  rate?: number,
): Promise<Measurement[]> {
  const tallies = new Map<Child, Tally>(servers.map((s) => [s, { latencies: [], seconds: 0 }]));
  const cpuSeconds = new Map<Child, number>(servers.map((s) => [s, 0]));
  for (const server of servers)
    await load(server, token, next, connections, config.warmupSeconds, null, rate);
  // autocannon stops on whole seconds.
  const slice = Math.max(1, Math.round(config.durationSeconds / config.rounds));
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const cpuBefore = cpuSecondsOf(server.pid);
      await load(server, token, next, connections, slice, tallies.get(server)!, rate);
      cpuSeconds.set(server, cpuSeconds.get(server)! + cpuSecondsOf(server.pid) - cpuBefore);
    }
  }
  return servers.map((server) => {
    const { latencies, seconds } = tallies.get(server)!;
    return {
      request,
      server: server.name as Measurement['server'],
      connections,
      requestsPerSecond: Math.round(latencies.length / seconds),
      latencyMs: latencySummary(latencies),
      total: latencies.length,
      seconds: Number(seconds.toFixed(2)),
      cpuMsPerRequest: Number(((cpuSeconds.get(server)! * 1000) / latencies.length).toFixed(3)),
    };
  });
}

/** Cycles through a list of paths. */
function cycle(paths: string[]): NextRequest {
  let next = 0;
  return () => paths[next++ % paths.length];
}

/** A new contact with an e-mail no other has: request `n` of a run. */
function newContact(n: number, kind: string) {
  return {
    firstName: 'Sari',
    lastName: `${kind} ${n}`,
    email: `${kind.toLowerCase()}.${n}@bench-${kind.toLowerCase()}.test`,
    title: 'Director',
  };
}

interface BulkResult {
  server: 'relasi' | 'baseline';
  runsSeconds: number[];
  medianSeconds: number;
  rowsPerSecond: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Bulk creates of BULK_SIZE contacts on both servers, alternating, after one untimed each. */
async function measureBulk(servers: [Child, Child], token: string): Promise<BulkResult[]> {
  let n = 0;
  const bulk = async (server: Child): Promise<number> => {
    const items = Array.from({ length: BULK_SIZE }, () => newContact(n++, 'Bulk'));
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/contacts/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    const body = (await res.json()) as { results?: { status: number }[] };
    const seconds = (performance.now() - started) / 1000;
    const created = body.results?.filter((r) => r.status === 201).length ?? 0;
    if (res.status !== 200 || created !== BULK_SIZE)
      throw new Error(`${server.name} bulk → ${res.status}, ${created} of ${BULK_SIZE} created`);
    return seconds;
  };
  for (const server of servers) await bulk(server);
  const runs = new Map<Child, number[]>(servers.map((s) => [s, []]));
  for (let round = 0; round < config.bulkRuns; round++) {
    const order = round % 2 === 0 ? servers : [servers[1], servers[0]];
    for (const server of order) runs.get(server)!.push(await bulk(server));
  }
  return servers.map((server) => {
    const seconds = runs.get(server)!;
    return {
      server: server.name as BulkResult['server'],
      runsSeconds: seconds.map((x) => Number(x.toFixed(3))),
      medianSeconds: Number(median(seconds).toFixed(3)),
      rowsPerSecond: Math.round(BULK_SIZE / median(seconds)),
    };
  });
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

interface ServerFigures {
  readyMs: number[];
  idleRssMb: number;
  loadRssPeakMb: number;
}

function report(
  results: Measurement[],
  bulk: BulkResult[],
  server: ServerFigures,
  seed: WorldSeed,
): Record<string, unknown> {
  const find = (request: string, name: string, connections = config.connections) =>
    results.find(
      (m) => m.request === request && m.server === name && m.connections === connections,
    )!;
  const has = (request: string, connections = config.connections) =>
    results.some((m) => m.request === request && m.connections === connections);
  const ratioOf = (request: string) =>
    find(request, 'relasi').requestsPerSecond / find(request, 'baseline').requestsPerSecond;
  const n = (x: number) => x.toLocaleString('en');
  const lines = [
    '',
    `Relasi vs baseline: ${n(seed.contacts)} contacts, ${n(seed.accounts)} accounts, ${n(seed.activities)} activities, ` +
      `${n(seed.orders)} orders with ${n(seed.orderLines)} lines, ${n(seed.cases)} cases; ` +
      `${config.durationSeconds} s per row in ${config.rounds} alternating rounds, pool ${config.poolSize}.`,
    `${cpus().length} CPUs shared by the load generator, both servers and PostgreSQL: under full load, latency is mostly queueing.`,
    '',
    `${pad('request', 12)} ${pad('conns', 5, true)} ${pad('server', 9)} ${pad('req/s', 8, true)} ${pad('p50 ms', 7, true)} ${pad('p99 ms', 7, true)} ${pad('CPU ms/req', 10, true)} ${pad('Relasi/baseline', 16, true)}`,
  ];
  for (const m of results) {
    const base = find(m.request, 'baseline', m.connections);
    const ratio =
      m.server !== 'baseline' ? percent(m.requestsPerSecond / base.requestsPerSecond) : '';
    lines.push(
      `${pad(m.request, 12)} ${pad(String(m.connections), 5, true)} ${pad(m.server, 9)} ${pad(m.requestsPerSecond.toFixed(0), 8, true)} ${pad(String(m.latencyMs.p50), 7, true)} ${pad(String(m.latencyMs.p99), 7, true)} ${pad(m.cpuMsPerRequest.toFixed(3), 10, true)} ${pad(ratio, 16, true)}`,
    );
  }
  const [bulkRelasi, bulkBase] = bulk;
  for (const b of bulk)
    lines.push(
      `${pad(`bulk ${BULK_SIZE}`, 12)} ${pad('1', 5, true)} ${pad(b.server, 9)} ${pad(`${n(b.rowsPerSecond)} rows/s`, 16, true)} ${pad(`${b.medianSeconds} s`, 7, true)} ${pad('', 10, true)} ${pad(b.server === 'relasi' ? percent(bulkRelasi.rowsPerSecond / bulkBase.rowsPerSecond) : '', 16, true)}`,
    );
  const targets: Record<string, { target: string; value: number; met: boolean }> = {};
  const verdicts: string[] = [];
  if (has('get-by-id')) {
    const ratio = ratioOf('get-by-id');
    targets.getByIdRatio = {
      target: `>= ${TARGET_GET_RATIO * 100} % of baseline req/s at ${config.connections} connections`,
      value: Number(ratio.toFixed(3)),
      met: ratio >= TARGET_GET_RATIO,
    };
    verdicts.push(
      `target GET by id >= ${TARGET_GET_RATIO * 100} % of baseline req/s: ${percent(ratio)} (${verdict(targets.getByIdRatio.met)})`,
      `  the framework floor (NestJS on Fastify, the same SELECT, nothing else) makes ${percent(find('get-by-id', 'floor').requestsPerSecond / find('get-by-id', 'baseline').requestsPerSecond)} of the baseline; Relasi ${percent(find('get-by-id', 'relasi').requestsPerSecond / find('get-by-id', 'floor').requestsPerSecond)} of the floor`,
    );
  }
  if (has('list')) {
    const listP99 = find('list', 'relasi').latencyMs.p99;
    targets.listP99Ms = {
      target: `< ${TARGET_LIST_P99_MS} ms at ${config.connections} connections`,
      value: listP99,
      met: listP99 < TARGET_LIST_P99_MS,
    };
    verdicts.push(
      `target list p99 < ${TARGET_LIST_P99_MS} ms at ${config.connections} connections: ${listP99} ms (${verdict(targets.listP99Ms.met)})` +
        (has('list', 1)
          ? `; with 1 connection: ${find('list', 'relasi', 1).latencyMs.p99} ms`
          : ''),
    );
  }
  if (has('list-paced')) {
    const paced = find('list-paced', 'relasi').latencyMs.p99;
    targets.listPacedP99Ms = {
      target: `< ${TARGET_LIST_P99_MS} ms at ${config.connections} connections sending ${config.listRate} requests/s`,
      value: paced,
      met: paced < TARGET_LIST_P99_MS,
    };
    verdicts.push(
      `target list p99 < ${TARGET_LIST_P99_MS} ms at ${config.connections} connections, paced at ${config.listRate}/s: ${paced} ms (${verdict(targets.listPacedP99Ms.met)}); baseline ${find('list-paced', 'baseline').latencyMs.p99} ms`,
    );
  }
  if (has('create')) {
    const ratio = ratioOf('create');
    targets.createRatio = {
      target: `>= ${TARGET_CREATE_RATIO * 100} % of baseline req/s at ${config.connections} connections`,
      value: Number(ratio.toFixed(3)),
      met: ratio >= TARGET_CREATE_RATIO,
    };
    verdicts.push(
      `target create >= ${TARGET_CREATE_RATIO * 100} % of baseline req/s: ${percent(ratio)} (${verdict(targets.createRatio.met)})`,
    );
  }
  if (has('relation'))
    verdicts.push(
      `relation filter (no target): p99 ${find('relation', 'relasi').latencyMs.p99} ms, ${percent(ratioOf('relation'))} of the baseline's req/s`,
    );
  lines.push(
    '',
    ...(bulk.length
      ? [
          `bulk ${BULK_SIZE}: median of ${config.bulkRuns} runs each; both write them in one transaction, the baseline with multi-row statements, Relasi item by item.`,
        ]
      : []),
    `start to ready: ${median(server.readyMs)} ms (median of ${server.readyMs.join(', ')} ms); RSS idle ${server.idleRssMb} MB, under load up to ${server.loadRssPeakMb} MB`,
    '',
    ...verdicts,
    `list filter: lastName = ${seed.commonLastName} (${n(seed.commonLastNameCount)} of ${n(seed.contacts)} contacts), sort -createdAt, limit ${LIST_LIMIT}`,
    `relation filter: account.industry = ${seed.commonIndustry} (${n(seed.commonIndustryCount)} contacts), sort -createdAt, limit ${LIST_LIMIT}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  return targets;
}

/** Prints where the Relasi process spent its time, from its V8 CPU profile. */
function reportProfile(profileDir: string): unknown {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return null;
  mkdirSync(RESULTS, { recursive: true });
  const target = join(RESULTS, 'relasi.cpuprofile');
  copyFileSync(join(profileDir, file), target);
  const summary = summarizeProfile(target);
  process.stdout.write(
    [
      `\nRelasi CPU profile (${summary.busyMs} ms busy of ${summary.totalMs} ms), self time:`,
      ...summary.topSelf.map(
        (f) => `  ${pad(`${f.percentOfBusy} %`, 7, true)}  ${f.function}  ${f.where}`,
      ),
      'time with the package on the stack:',
      ...summary.packagesInclusive.map(
        (p) => `  ${pad(`${p.percentOfBusy} %`, 7, true)}  ${p.package}`,
      ),
      '',
    ].join('\n'),
  );
  log(`CPU profile written to ${target}`);
  return summary;
}

runBench('contacts', async (run) => {
  const db = await startMigratedDatabase(run);
  // The first start creates the admin; the measured starts come after the seeding.
  log('starting Relasi to create its admin');
  await (await startRelasi(run, db.url, { poolSize: config.poolSize })).stop();

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let seed: WorldSeed;
  let ids: string[];
  let adminId: string;
  try {
    adminId = (
      await client.query<{ id: string }>('SELECT id FROM users WHERE email_normalized = $1', [
        ADMIN_EMAIL,
      ])
    ).rows[0].id;
    seed = await seedWorld(client, config, adminId);
    log(`seeded in ${seed.seconds.toFixed(1)} s`);
    await client.query('SELECT setseed(0.17)');
    ids = (
      await client.query<{ id: string }>('SELECT id FROM contacts ORDER BY random() LIMIT 5000')
    ).rows.map((r) => r.id);
  } finally {
    await client.end();
  }

  const profileDir = join(run.work, 'profile');
  const readyMs: number[] = [];
  let relasi: Child | undefined;
  for (let i = 0; i < config.starts; i++) {
    await relasi?.stop();
    const last = i === config.starts - 1;
    relasi = await startRelasi(run, db.url, {
      poolSize: config.poolSize,
      nodeArgs: last && config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    readyMs.push(relasi.readyMs);
    log(`Relasi ready ${relasi.readyMs} ms after it was spawned`);
  }
  if (!relasi) throw new Error('BENCH_STARTS must be at least 1');
  await sleep(config.idleSeconds * 1000);
  const idleRss = rssOf(relasi.pid);
  const token = await login(relasi.url);

  const list = listStatement('lastName', seed.commonLastName);
  const relation = listStatement('account.industry', seed.commonIndustry);
  log('starting the baseline');
  const basePort = await freePort();
  const baseline = await startChild(
    'baseline',
    [join(ROOT, 'dist/bench/baseline-server.js')],
    {
      DATABASE_URL: db.url,
      PORT: String(basePort),
      BENCH_POOL_SIZE: String(config.poolSize),
      BENCH_LIST_SQL: list.sql,
      BENCH_RELATION_SQL: relation.sql,
      BENCH_LIST_LIMIT: String(LIST_LIMIT),
      BENCH_OWNER_ID: adminId,
    },
    basePort,
    '/health',
    run.work,
  );
  run.onStop(() => baseline.stop());
  log('starting the framework floor');
  const floorPort = await freePort();
  const floor = await startChild(
    'floor',
    [join(ROOT, 'dist/bench/framework-floor-server.js')],
    { DATABASE_URL: db.url, PORT: String(floorPort), BENCH_POOL_SIZE: String(config.poolSize) },
    floorPort,
    '/health',
    run.work,
  );
  run.onStop(() => floor.stop());

  // Both servers must answer the same records before their speed means anything.
  const listPath = `/api/v1/contacts?filter[lastName][eq]=${encodeURIComponent(seed.commonLastName)}&sort=-createdAt&limit=${LIST_LIMIT}`;
  const relationPath = `/api/v1/contacts?filter[account.industry][eq]=${encodeURIComponent(seed.commonIndustry)}&sort=-createdAt&limit=${LIST_LIMIT}`;
  const idsOf = (page: Record<string, unknown>) =>
    JSON.stringify([(page.data as { id: string }[]).map((r) => r.id), page.meta]);
  for (const path of [listPath, relationPath]) {
    const [a, b] = await Promise.all([
      getJson(relasi.url + path, token),
      getJson(baseline.url + path),
    ]);
    if (idsOf(a) !== idsOf(b) || (a.data as unknown[]).length === 0)
      throw new Error(`Relasi and the baseline list different contacts for ${path}`);
  }
  const [x, y] = await Promise.all([
    getJson(`${relasi.url}/api/v1/contacts/${ids[0]}`, token),
    getJson(`${baseline.url}/api/v1/contacts/${ids[0]}`),
  ]);
  const z = await getJson(`${floor.url}/api/v1/contacts/${ids[0]}`);
  if (x.id !== ids[0] || y.id !== ids[0] || z.id !== ids[0])
    throw new Error('GET by id answered another record');

  let created = 0;
  const create: NextRequest = () => ({
    path: '/api/v1/contacts',
    body: JSON.stringify(newContact(created++, 'Created')),
  });
  const results: Measurement[] = [];
  const plan: [Measurement['request'], number, NextRequest, number?][] = [
    ['get-by-id', config.connections, cycle(ids.map((id) => `/api/v1/contacts/${id}`))],
    ['list', config.connections, cycle([listPath])],
    ['list-paced', config.connections, cycle([listPath]), config.listRate],
    // Latency without queueing: one request at a time.
    ['list', 1, cycle([listPath])],
    ['relation', config.connections, cycle([relationPath])],
    ['create', config.connections, create],
  ];
  const rss = watchRss(relasi.pid, 250);
  const measured = (request: string) => !config.requests || config.requests.has(request);
  for (const [request, connections, next, rate] of plan.filter(([r]) => measured(r))) {
    log(`measuring ${request} with ${connections} connection(s)`);
    // The framework floor answers GET by id only.
    const servers = request === 'get-by-id' ? [relasi, baseline, floor] : [relasi, baseline];
    results.push(...(await measure(request, connections, servers, token, next, rate)));
  }
  const loadRss = rss.stop();
  // Every contact either server created must have its history and outbox rows.
  const check = new pg.Client({ connectionString: db.url });
  await check.connect();
  try {
    const { rows } = await check.query<{ c: number; h: number; e: number }>(
      `WITH c AS (SELECT id FROM contacts WHERE email LIKE '%@bench-created.test')
       SELECT (SELECT count(*)::int FROM c) AS c,
              (SELECT count(*)::int FROM record_history h JOIN c ON c.id = h.record_id
                WHERE h.entity = 'contacts' AND h.action = 'create') AS h,
              (SELECT count(*)::int FROM domain_events e JOIN c ON c.id = e.record_id
                WHERE e.type = 'contact.created') AS e`,
    );
    const { c, h, e } = rows[0];
    if ((measured('create') && c === 0) || c !== h || c !== e)
      throw new Error(`created contacts ${c}, history rows ${h}, events ${e}`);
  } finally {
    await check.end();
  }
  let bulk: BulkResult[] = [];
  if (measured('bulk')) {
    log(`measuring bulk create of ${BULK_SIZE}`);
    bulk = await measureBulk([relasi, baseline], token);
  }

  const server: ServerFigures = {
    readyMs,
    idleRssMb: Math.round(idleRss / MB),
    loadRssPeakMb: Math.round(loadRss / MB),
  };
  const targets = report(results, bulk, server, seed);
  let profile: unknown = null;
  if (config.cpuProfile) {
    await relasi.stop();
    profile = reportProfile(profileDir);
  }

  writeResults('latest.json', {
    config,
    seed,
    statements: {
      getById: 'SELECT c.* FROM contacts c WHERE c.id = $1 AND c.deleted_at IS NULL AND TRUE',
      list: list.sql,
      relation: relation.sql,
    },
    results,
    bulk,
    server: { ...server, readyMedianMs: median(readyMs) },
    targets,
    profile,
  });
});
