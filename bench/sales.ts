/**
 * `npm run bench:sales`: the pipeline board and a contact's timeline page, through the API and
 * as the same SQL run directly on a pool of the same size, on 200,000 leads, 100,000
 * opportunities and 1,000,000 activities (with the ~2,000,000 timeline entries they make), for
 * an admin (everything in scope) and a sales rep (their team's share). Each is measured under
 * load (BENCH_CONNECTIONS) and one request at a time, in alternating rounds, and reported as
 * p50/p99 with the API/SQL ratio of p99. Results go to bench/results/sales.json.
 *
 * The direct SQL is built by the same functions the API uses (boardStatement,
 * timelineStatement), and both answers are compared before anything is timed. The API also
 * reads the contact once per timeline request to check it exists and is in scope; the direct
 * run does not, so that read is part of the measured difference.
 *
 * Settings (environment): BENCH_SCALE (1) multiplies the sizes BENCH_LEADS (200000),
 * BENCH_OPPORTUNITIES (100000), BENCH_ACTIVITIES (1000000), BENCH_CONTACTS (50000) and
 * BENCH_ACCOUNTS (2000), each of which can also be set itself; BENCH_TEAMS (4),
 * BENCH_REPS_PER_TEAM (5), BENCH_CONNECTIONS (10), BENCH_DURATION seconds per side and
 * scenario (10) in BENCH_ROUNDS rounds (5), BENCH_WARMUP (3), BENCH_POOL_SIZE (10).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ACTIVITY_DEFINITION } from '#operational/activities/activity.definition.js';
import { ACCOUNT_DEFINITION } from '#operational/customers/accounts/account.definition.js';
import { CONTACT_DEFINITION } from '#operational/customers/contacts/contact.definition.js';
import { LEAD_DEFINITION } from '#operational/sales/leads/lead.definition.js';
import { boardStatement } from '#operational/sales/opportunities/opportunity-board.service.js';
import { OPPORTUNITY_DEFINITION } from '#operational/sales/opportunities/opportunity.definition.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { Principal } from '#platform/context/principal.js';
import { parseListQuery } from '#platform/query/list-request.js';
import { timelineStatement } from '#platform/timeline/timeline.service.js';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { ADMIN_EMAIL, log, scaled, setting } from './bench-support.js';
import { cannon, getJson, latencySummary, type Child, type Tally } from './http-load.js';
import { seedContacts } from './seed-contacts.js';
import { seedSales, type SalesSeed } from './seed-sales.js';

const PAGE = 50;
const PIPELINE = 'sales';
/** The record types whose entries a timeline may show, as the server registers them. */
const SOURCES = [
  ACCOUNT_DEFINITION,
  CONTACT_DEFINITION,
  OPPORTUNITY_DEFINITION,
  LEAD_DEFINITION,
  ACTIVITY_DEFINITION,
];

const config = {
  leads: scaled('BENCH_LEADS', 200_000),
  opportunities: scaled('BENCH_OPPORTUNITIES', 100_000),
  activities: scaled('BENCH_ACTIVITIES', 1_000_000),
  contacts: scaled('BENCH_CONTACTS', 50_000),
  accounts: scaled('BENCH_ACCOUNTS', 2_000),
  teams: setting('BENCH_TEAMS', 4),
  repsPerTeam: setting('BENCH_REPS_PER_TEAM', 5),
  connections: setting('BENCH_CONNECTIONS', 10),
  durationSeconds: setting('BENCH_DURATION', 10),
  warmupSeconds: setting('BENCH_WARMUP', 3),
  rounds: setting('BENCH_ROUNDS', 5),
  poolSize: setting('BENCH_POOL_SIZE', 10),
};

interface Statement {
  sql: string;
  params: unknown[];
}

/** One thing measured: API paths and the SQL statements that answer them, pairwise. */
interface Scenario {
  name: string;
  token: string;
  paths: string[];
  statements: Statement[];
}

interface Result {
  scenario: string;
  connections: number;
  api: ReturnType<typeof latencySummary> & { requestsPerSecond: number };
  sql: ReturnType<typeof latencySummary> & { requestsPerSecond: number };
  p99Ratio: number;
}

/** Runs statements on the pool from `connections` loops for `seconds`, timing each. */
async function sqlLoad(
  pool: pg.Pool,
  next: () => Statement,
  connections: number,
  seconds: number,
  tally: Tally | null,
): Promise<void> {
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const s = next();
        const t0 = performance.now();
        await pool.query(s.sql, s.params);
        tally?.latencies.push(performance.now() - t0);
      }
    }),
  );
  if (tally) tally.seconds += seconds;
}

/** Both sides of one scenario in alternating rounds, so bursts of other work hit both. */
async function measure(
  scenario: Scenario,
  connections: number,
  relasi: Child,
  pool: pg.Pool,
): Promise<Result> {
  let p = 0;
  let q = 0;
  const nextPath = () => scenario.paths[p++ % scenario.paths.length];
  const nextStatement = () => scenario.statements[q++ % scenario.statements.length];
  const api: Tally = { latencies: [], seconds: 0 };
  const sql: Tally = { latencies: [], seconds: 0 };
  await cannon(relasi, scenario.token, nextPath, connections, config.warmupSeconds, null);
  await sqlLoad(pool, nextStatement, connections, config.warmupSeconds, null);
  const slice = Math.max(1, Math.round(config.durationSeconds / config.rounds));
  for (let round = 0; round < config.rounds; round++) {
    const runApi = () => cannon(relasi, scenario.token, nextPath, connections, slice, api);
    const runSql = () => sqlLoad(pool, nextStatement, connections, slice, sql);
    if (round % 2 === 0) {
      await runApi();
      await runSql();
    } else {
      await runSql();
      await runApi();
    }
  }
  const side = (t: Tally) => ({
    ...latencySummary(t.latencies),
    requestsPerSecond: Math.round(t.latencies.length / t.seconds),
  });
  const a = side(api);
  const s = side(sql);
  return {
    scenario: scenario.name,
    connections,
    api: a,
    sql: s,
    p99Ratio: Number((a.p99 / Math.max(s.p99, 0.1)).toFixed(2)),
  };
}

/** The principal the server would build for a user (role, teams, teammates). */
async function principalOf(client: pg.Client, email: string): Promise<Principal> {
  const { rows } = await client.query<{
    id: string;
    role_id: string;
    role_name: string;
    permissions: Principal['permissions'];
    team_ids: string[];
    teammate_ids: string[];
  }>(
    `SELECT u.id, u.role_id, r.name AS role_name, r.permissions,
            coalesce(array(SELECT team_id FROM team_members WHERE user_id = u.id ORDER BY team_id), '{}') AS team_ids,
            coalesce(array(SELECT DISTINCT o.user_id FROM team_members mine
                             JOIN team_members o ON o.team_id = mine.team_id WHERE mine.user_id = u.id), '{}') AS teammate_ids
       FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email_normalized = $1`,
    [email],
  );
  const u = rows[0];
  return {
    userId: u.id,
    email,
    roleId: u.role_id,
    roleName: u.role_name,
    permissions: u.permissions,
    teamIds: u.team_ids,
    teammateIds: u.teammate_ids.length ? u.teammate_ids : [u.id],
    apiKeyId: null,
  };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function report(results: Result[], seed: SalesSeed): void {
  const lines = [
    '',
    `Sales: ${seed.leads.toLocaleString('en')} leads, ${seed.opportunities.toLocaleString('en')} opportunities, ` +
      `${seed.activities.toLocaleString('en')} activities, ${seed.timelineEntries.toLocaleString('en')} timeline entries; ` +
      `${config.durationSeconds} s per side in ${config.rounds} alternating rounds, pool ${config.poolSize}.`,
    `${pad('scenario', 20)} ${pad('conns', 5, true)}  ${pad('API p50', 8, true)} ${pad('API p99', 8, true)} ${pad('API r/s', 8, true)}  ${pad('SQL p50', 8, true)} ${pad('SQL p99', 8, true)} ${pad('SQL r/s', 8, true)}  ${pad('p99 API/SQL', 11, true)}`,
    ...results.map(
      (r) =>
        `${pad(r.scenario, 20)} ${pad(String(r.connections), 5, true)}  ${pad(`${r.api.p50} ms`, 8, true)} ${pad(`${r.api.p99} ms`, 8, true)} ${pad(String(r.api.requestsPerSecond), 8, true)}  ${pad(`${r.sql.p50} ms`, 8, true)} ${pad(`${r.sql.p99} ms`, 8, true)} ${pad(String(r.sql.requestsPerSecond), 8, true)}  ${pad(`${r.p99Ratio}×`, 11, true)}`,
    ),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

runBench('sales', async (run) => {
  const db = await startMigratedDatabase(run);
  log('starting Relasi');
  const relasi = await startRelasi(run, db.url, { poolSize: config.poolSize });
  const adminToken = await login(relasi.url);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let seed: SalesSeed;
  let admin: Principal;
  let rep: Principal;
  let repEmail: string;
  let adminContacts: string[];
  let repContacts: string[];
  try {
    const adminId = (
      await client.query<{ id: string }>('SELECT id FROM users WHERE email_normalized = $1', [
        ADMIN_EMAIL,
      ])
    ).rows[0].id;
    log(`seeding ${config.contacts} contacts and ${config.accounts} accounts`);
    await seedContacts(client, {
      contacts: config.contacts,
      accounts: config.accounts,
      ownerId: adminId,
    });
    log(
      `seeding ${config.leads} leads, ${config.opportunities} opportunities, ${config.activities} activities`,
    );
    seed = await seedSales(client, { ...config, adminId });
    log(`seeded in ${seed.seconds.toFixed(1)} s`);
    repEmail = (
      await client.query<{ email: string }>(
        `SELECT email FROM users WHERE email LIKE 'rep%' ORDER BY email LIMIT 1`,
      )
    ).rows[0].email;
    admin = await principalOf(client, ADMIN_EMAIL);
    rep = await principalOf(client, repEmail);
    await client.query('SELECT setseed(0.31)');
    const sample = async (teamIds: string[] | null) =>
      (
        await client.query<{ id: string }>(
          `SELECT id FROM contacts c
              WHERE ($1::uuid[] IS NULL OR c.team_id = ANY($1::uuid[]))
                AND EXISTS (SELECT 1 FROM timeline_entries t WHERE t.subject_entity = 'contacts' AND t.subject_id = c.id)
              ORDER BY random() LIMIT 2000`,
          [teamIds],
        )
      ).rows.map((r) => r.id);
    adminContacts = await sample(null);
    repContacts = await sample(rep.teamIds);
  } finally {
    await client.end();
  }
  const repToken = await login(relasi.url, repEmail);

  const pe = new PermissionEvaluator();
  const page = parseListQuery({ limit: String(PAGE) }, { defaultLimit: PAGE, maxLimit: 500 });
  const timeline = (who: Principal, id: string): Statement =>
    timelineStatement(pe, who, SOURCES, [], { entity: 'contacts', id }, page);
  const board = (who: Principal): Statement =>
    boardStatement(pe, who, pe.grant(who, 'opportunities').read, PIPELINE, {});
  const scenarios: Scenario[] = [
    {
      name: 'board (admin)',
      token: adminToken,
      paths: [`/api/v1/pipelines/${PIPELINE}/board`],
      statements: [board(admin)],
    },
    {
      name: 'board (rep)',
      token: repToken,
      paths: [`/api/v1/pipelines/${PIPELINE}/board`],
      statements: [board(rep)],
    },
    {
      name: 'timeline (admin)',
      token: adminToken,
      paths: adminContacts.map((id) => `/api/v1/contacts/${id}/timeline?limit=${PAGE}`),
      statements: adminContacts.map((id) => timeline(admin, id)),
    },
    {
      name: 'timeline (rep)',
      token: repToken,
      paths: repContacts.map((id) => `/api/v1/contacts/${id}/timeline?limit=${PAGE}`),
      statements: repContacts.map((id) => timeline(rep, id)),
    },
  ];

  const pool = new pg.Pool({ connectionString: db.url, max: config.poolSize });
  run.onStop(() => pool.end());
  // Both sides must give the same answer before their speed means anything.
  for (const s of scenarios) {
    for (let i = 0; i < Math.min(20, s.paths.length); i++) {
      const viaApi = await getJson(relasi.url + s.paths[i], s.token);
      const { rows } = await pool.query(s.statements[i].sql, s.statements[i].params);
      const same = s.name.startsWith('board')
        ? (viaApi.count as number) ===
          rows.filter((r) => r.stage === null).reduce((n, r) => n + (r.n as number), 0)
        : JSON.stringify((viaApi.data as { id: string }[]).map((e) => e.id)) ===
          JSON.stringify(rows.slice(0, PAGE).map((r) => r.id as string));
      if (!same) throw new Error(`${s.name}: the API and the SQL answer differently`);
    }
  }

  // Plans go to the results file: where the time of each statement goes, for the record.
  const plans: Record<string, string> = {};
  for (const s of scenarios) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${s.statements[0].sql}`,
      s.statements[0].params,
    );
    plans[s.name] = rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  const results: Result[] = [];
  for (const s of scenarios) {
    for (const connections of [config.connections, 1]) {
      log(`measuring ${s.name} with ${connections} connection(s)`);
      results.push(await measure(s, connections, relasi, pool));
    }
  }
  report(results, seed);
  writeResults('sales.json', {
    config,
    seed,
    statements: {
      boardAdmin: scenarios[0].statements[0].sql,
      boardRep: scenarios[1].statements[0].sql,
      timelineRep: scenarios[3].statements[0]?.sql ?? null,
    },
    results,
    plans,
  });
});
