/**
 * `npm run bench`: Relasi against a bare node:http + pg server on the same data and the same
 * SQL, for a read by id and a filtered, sorted page of 50, on 100,000 seeded contacts. Both
 * run under full load (BENCH_CONNECTIONS), and the list also one request at a time, which
 * shows its latency without queueing.
 *
 * One run starts a throw-away embedded PostgreSQL, migrates it, starts the real server
 * (`node dist/src/main.js`) and the baseline as child processes, seeds the contacts with SQL,
 * measures each request on each server with autocannon, prints a table and writes
 * bench/results/latest.json. Everything it started is stopped and removed at the end. A
 * missed target is reported, not an error: the exit code is non-zero only when the run fails.
 *
 * Settings (environment): BENCH_CONTACTS (100000), BENCH_ACCOUNTS (500), BENCH_CONNECTIONS
 * (10), BENCH_DURATION seconds per server and request (10) split into BENCH_ROUNDS
 * alternating rounds (5), BENCH_WARMUP seconds (3), BENCH_POOL_SIZE database connections of
 * each server (10, Relasi's default), and BENCH_CPU_PROF=1 to write a V8 CPU profile of the
 * Relasi process to bench/results/relasi.cpuprofile and print where its time went.
 */
import 'reflect-metadata';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CONTACT_DEFINITION } from '#operational/customers/contacts/contact.definition.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { Principal } from '#platform/context/principal.js';
import { buildListQuery } from '#platform/query/list-query-builder.js';
import { parseListQuery } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import { querySchemaOf } from '#platform/records/resource-definition.js';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { ADMIN_EMAIL, freePort, log, RESULTS, ROOT, setting } from './bench-support.js';
import { summarizeProfile } from './cpu-profile.js';
import {
  cannon,
  getJson,
  latencySummary,
  startChild,
  type Child,
  type Tally,
} from './http-load.js';
import { seedContacts, type SeedResult } from './seed-contacts.js';

const LIST_LIMIT = 50;
const TARGET_GET_RATIO = 0.5;
const TARGET_LIST_P99_MS = 50;

const config = {
  contacts: setting('BENCH_CONTACTS', 100_000),
  accounts: setting('BENCH_ACCOUNTS', 500),
  connections: setting('BENCH_CONNECTIONS', 10),
  durationSeconds: setting('BENCH_DURATION', 10),
  warmupSeconds: setting('BENCH_WARMUP', 3),
  rounds: setting('BENCH_ROUNDS', 5),
  poolSize: setting('BENCH_POOL_SIZE', 10),
  cpuProfile: ['1', 'true', 'yes'].includes(process.env.BENCH_CPU_PROF ?? ''),
};

/** The list statement exactly as Relasi builds it for an admin (scope TRUE). */
function listStatement(lastName: string): { sql: string; params: unknown[] } {
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
    { 'filter[lastName][eq]': lastName, sort: '-createdAt', limit: String(LIST_LIMIT) },
    { defaultLimit: LIST_LIMIT, maxLimit: 500 },
  );
  const compiled = buildListQuery(
    querySchemaOf(CONTACT_DEFINITION),
    request,
    new PermissionEvaluator().queryAccess(admin),
    new SqlParams(),
  );
  // The baseline binds the last name as its only parameter.
  if (compiled.params.length !== 1 || compiled.params[0] !== lastName)
    throw new Error(`the list statement now takes other parameters: ${compiled.sql}`);
  return { sql: compiled.sql, params: compiled.params };
}

interface Measurement {
  request: 'get-by-id' | 'list';
  server: 'relasi' | 'baseline';
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  total: number;
  seconds: number;
}

/**
 * Measures one request on both servers in alternating rounds (R B, B R, R B, …), so that a
 * burst of other work on the shared CPUs falls on both rather than on one of them.
 */
async function measure(
  request: Measurement['request'],
  connections: number,
  servers: [Child, Child],
  token: string,
  paths: string[],
): Promise<Measurement[]> {
  let next = 0;
  const nextPath = () => paths[next++ % paths.length];
  const tallies = new Map<Child, Tally>(servers.map((s) => [s, { latencies: [], seconds: 0 }]));
  for (const server of servers)
    await cannon(server, token, nextPath, connections, config.warmupSeconds, null);
  // autocannon stops on whole seconds.
  const slice = Math.max(1, Math.round(config.durationSeconds / config.rounds));
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? servers : [servers[1], servers[0]];
    for (const server of order)
      await cannon(server, token, nextPath, connections, slice, tallies.get(server)!);
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
    };
  });
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function report(results: Measurement[], seed: SeedResult): Record<string, unknown> {
  const find = (request: string, server: string, connections = config.connections) =>
    results.find(
      (m) => m.request === request && m.server === server && m.connections === connections,
    )!;
  const lines = [
    '',
    `Relasi vs baseline: ${seed.contacts.toLocaleString('en')} contacts, ${config.durationSeconds} s per row in ${config.rounds} alternating rounds, pool ${config.poolSize}.`,
    `${cpus().length} CPUs shared by the load generator, both servers and PostgreSQL: under full load, latency is mostly queueing.`,
    '',
    `${pad('request', 12)} ${pad('conns', 5, true)} ${pad('server', 9)} ${pad('req/s', 8, true)} ${pad('p50 ms', 7, true)} ${pad('p99 ms', 7, true)} ${pad('Relasi/baseline', 16, true)}`,
  ];
  for (const m of results) {
    const base = find(m.request, 'baseline', m.connections);
    const ratio =
      m.server === 'relasi'
        ? `${((100 * m.requestsPerSecond) / base.requestsPerSecond).toFixed(0)} %`
        : '';
    lines.push(
      `${pad(m.request, 12)} ${pad(String(m.connections), 5, true)} ${pad(m.server, 9)} ${pad(m.requestsPerSecond.toFixed(0), 8, true)} ${pad(String(m.latencyMs.p50), 7, true)} ${pad(String(m.latencyMs.p99), 7, true)} ${pad(ratio, 16, true)}`,
    );
  }
  const getRatio =
    find('get-by-id', 'relasi').requestsPerSecond / find('get-by-id', 'baseline').requestsPerSecond;
  const listP99 = find('list', 'relasi').latencyMs.p99;
  const targets = {
    getByIdRatio: {
      target: `>= ${TARGET_GET_RATIO * 100} % of baseline req/s at ${config.connections} connections`,
      value: Number(getRatio.toFixed(3)),
      met: getRatio >= TARGET_GET_RATIO,
    },
    listP99Ms: {
      target: `< ${TARGET_LIST_P99_MS} ms at ${config.connections} connections`,
      value: listP99,
      met: listP99 < TARGET_LIST_P99_MS,
    },
  };
  lines.push(
    '',
    `target GET by id >= ${TARGET_GET_RATIO * 100} % of baseline req/s: ${(getRatio * 100).toFixed(0)} % (${targets.getByIdRatio.met ? 'met' : 'MISSED'})`,
    `target list p99 < ${TARGET_LIST_P99_MS} ms at ${config.connections} connections: ${listP99} ms (${targets.listP99Ms.met ? 'met' : 'MISSED'}); with 1 connection: ${find('list', 'relasi', 1).latencyMs.p99} ms`,
    `list filter: lastName = ${seed.commonLastName} (${seed.commonLastNameCount.toLocaleString('en')} of ${seed.contacts.toLocaleString('en')} contacts), sort -createdAt, limit ${LIST_LIMIT}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  return targets;
}

runBench('contacts', async (run) => {
  const db = await startMigratedDatabase(run);
  if (config.cpuProfile) mkdirSync(RESULTS, { recursive: true });
  const profileDir = join(run.work, 'profile');
  log('starting Relasi');
  const relasi = await startRelasi(run, db.url, {
    poolSize: config.poolSize,
    nodeArgs: config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const token = await login(relasi.url);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let seed: SeedResult;
  let ids: string[];
  try {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM users WHERE email_normalized = $1',
      [ADMIN_EMAIL],
    );
    log(`seeding ${config.contacts} contacts and ${config.accounts} accounts`);
    seed = await seedContacts(client, {
      contacts: config.contacts,
      accounts: config.accounts,
      ownerId: rows[0].id,
    });
    log(`seeded in ${seed.seconds.toFixed(1)} s`);
    await client.query('SELECT setseed(0.17)');
    ids = (
      await client.query<{ id: string }>('SELECT id FROM contacts ORDER BY random() LIMIT 5000')
    ).rows.map((r) => r.id);
  } finally {
    await client.end();
  }

  const list = listStatement(seed.commonLastName);
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
      BENCH_LIST_LIMIT: String(LIST_LIMIT),
    },
    basePort,
    '/health',
    run.work,
  );
  run.onStop(() => baseline.stop());

  // Both servers must answer the same records before their speed means anything.
  const listPath = `/api/v1/contacts?filter[lastName][eq]=${encodeURIComponent(seed.commonLastName)}&sort=-createdAt&limit=${LIST_LIMIT}`;
  const idsOf = (page: Record<string, unknown>) =>
    JSON.stringify([(page.data as { id: string }[]).map((r) => r.id), page.meta]);
  const [a, b] = await Promise.all([
    getJson(relasi.url + listPath, token),
    getJson(baseline.url + listPath),
  ]);
  if (idsOf(a) !== idsOf(b)) throw new Error('Relasi and the baseline list different contacts');
  const [x, y] = await Promise.all([
    getJson(`${relasi.url}/api/v1/contacts/${ids[0]}`, token),
    getJson(`${baseline.url}/api/v1/contacts/${ids[0]}`),
  ]);
  if (x.id !== ids[0] || y.id !== ids[0]) throw new Error('GET by id answered another record');

  const byId = ids.map((id) => `/api/v1/contacts/${id}`);
  const results: Measurement[] = [];
  const plan = [
    ['get-by-id', config.connections, byId],
    ['list', config.connections, [listPath]],
    // Latency without queueing: one request at a time.
    ['list', 1, [listPath]],
  ] as const;
  for (const [request, connections, paths] of plan) {
    log(`measuring ${request} with ${connections} connection(s)`);
    results.push(...(await measure(request, connections, [relasi, baseline], token, [...paths])));
  }

  const targets = report(results, seed);
  let profile: unknown = null;
  if (config.cpuProfile) {
    await relasi.stop();
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const target = join(RESULTS, 'relasi.cpuprofile');
      copyFileSync(join(profileDir, file), target);
      const summary = summarizeProfile(target);
      profile = summary;
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
    }
  }

  writeResults('latest.json', {
    config,
    seed,
    statements: {
      getById: 'SELECT c.* FROM contacts c WHERE c.id = $1 AND c.deleted_at IS NULL AND TRUE',
      list: list.sql,
    },
    results,
    targets,
    profile,
  });
});
