/**
 * The CSV part of `npm run bench`: importing contacts through the API against COPY of the
 * same rows into the same table, exporting them with the server's memory watched, and one
 * large import with the server's heap capped.
 *
 * One run starts a throw-away embedded PostgreSQL and the real server (`node
 * dist/src/main.js`) as a child process, then:
 *  1. COPY: BENCH_IMPORT_ROWS (100,000 × BENCH_SCALE) contacts, as the import would store
 *     them (derived keys included), are copied into `contacts` with COPY … FROM STDIN; the
 *     table is emptied again.
 *  2. Import: the same contacts as a CSV file are uploaded to POST /api/v1/imports and
 *     followed to completion (validation, duplicate matching, history, events included). The
 *     rate is compared with COPY's; the target is at least 40 %.
 *  3. Export: GET /api/v1/contacts/export streams them back while the server's RSS is sampled
 *     from /proc; the target is less than 100 MB of growth.
 *  4. Large import: BENCH_IMPORT_LARGE (1,000,000 × BENCH_SCALE; 0 skips it) narrow rows
 *     into a server started with --max-old-space-size=BENCH_LARGE_HEAP_MB (256), reporting
 *     its peak RSS.
 *
 * Prints a table and writes bench/results/import-export.json. A missed target is reported,
 * not an error: the exit code is non-zero only when the run fails.
 */
import 'reflect-metadata';
import { copyFileSync, mkdirSync, openAsBlob, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { nameKey } from '#operational/customers/dto/contact-points.dto.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import {
  login,
  runBench,
  startMigratedDatabase,
  startRelasi,
  writeResults,
  type BenchRun,
} from './bench-env.js';
import { ADMIN_EMAIL, log, RESULTS, scaled, setting, sleep } from './bench-support.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.js';
import { rssOf, watchRss, type Child } from './http-load.js';

const TARGET_IMPORT_RATIO = 0.4;
const TARGET_EXPORT_RSS_MB = 100;

const config = {
  importRows: scaled('BENCH_IMPORT_ROWS', 100_000, 0),
  largeRows: scaled('BENCH_IMPORT_LARGE', 1_000_000, 0),
  largeHeapMb: setting('BENCH_LARGE_HEAP_MB', 256, 0),
  poolSize: setting('BENCH_POOL_SIZE', 10, 0),
  /** Lists the statements PostgreSQL spent the import's time on (pg_stat_statements). */
  statementProfile: setting('BENCH_PG_PROFILE', 0, 0) > 0,
  cpuProfile: ['1', 'true', 'yes'].includes(process.env.BENCH_CPU_PROF ?? ''),
};

/** A running server and the admin's token for it. */
type Server = Child & { token: string };

const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used (`withReapedChildren`: plus those of its ended children), from /proc. */
function cpuSecondsOf(pid: number, withReapedChildren = false): number {
  // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are 14–17.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return (utime + stime + (withReapedChildren ? cutime + cstime : 0)) / TICKS_PER_SECOND;
}

/** CPU seconds of PostgreSQL: the postmaster, its ended backends, and those still running. */
function databaseCpuSeconds(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuSecondsOf(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1].split(' ')[1]) === postmaster)
        total += cpuSecondsOf(Number(entry));
    } catch {
      // the process ended meanwhile; its time is in the postmaster's reaped children
    }
  }
  return total;
}

/** Relasi as the import needs it: jobs picked up quickly, and the admin signed in. */
async function startServer(run: BenchRun, databaseUrl: string, nodeArgs: string[] = []) {
  const relasi = await startRelasi(run, databaseUrl, {
    poolSize: config.poolSize,
    nodeArgs,
    env: { CRM_JOB_POLL_MS: '200' },
  });
  return { ...relasi, token: await login(relasi.url) } satisfies Server;
}

const FIRST = ['Sari', 'Budi', 'Dewi', 'Agus', 'Rina', 'Andi', 'Putu', 'Made', 'Siti', 'Ahmad'];
const LAST = ['Wijaya', 'Santoso', 'Susanto', 'Halim', 'Gunawan', 'Tanoto', 'Hartono', 'Kusuma'];
const TITLES = ['Director', 'Head of Procurement', 'Finance Manager', 'Owner', 'Engineer'];
const DEPARTMENTS = ['Procurement', 'Finance', 'Operations', 'IT', 'Marketing'];
const STAGES = ['lead', 'lead', 'customer', 'subscriber', 'opportunity'];

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  department: string;
  lifecycleStage: string;
  preferredLanguage: string;
}

function person(i: number): Person {
  const firstName = FIRST[i % FIRST.length];
  const lastName = `${LAST[(i * 7) % LAST.length]} ${i}`;
  const n = String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0');
  return {
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}.${i}@bench-${i % 97}.co.id`,
    phone: `+62 8${11 + (i % 48)}-${n.slice(0, 4)}-${n.slice(4)}`,
    title: TITLES[i % TITLES.length],
    department: DEPARTMENTS[(i * 3) % DEPARTMENTS.length],
    lifecycleStage: STAGES[i % STAGES.length],
    preferredLanguage: i % 3 === 0 ? 'en' : 'id',
  };
}

const CSV_HEADER =
  'firstName,lastName,email,phones.number,title,department,lifecycleStage,preferredLanguage\r\n';

function csvRow(p: Person): string {
  return `${p.firstName},${p.lastName},${p.email},${p.phone},${p.title},${p.department},${p.lifecycleStage},${p.preferredLanguage}\r\n`;
}

/** The contact as the import stores it, as a line of COPY text. */
function copyRow(p: Person, ownerId: string): string {
  const phones = JSON.stringify([{ number: p.phone }]);
  const digits = p.phone.replace(/\D/g, '');
  return [
    uuidv7(),
    p.firstName,
    p.lastName,
    p.email,
    phones,
    p.title,
    p.department,
    p.preferredLanguage,
    p.lifecycleStage,
    ownerId,
    '{}',
    nameKey(p.firstName, p.lastName),
    `{${p.email.toLowerCase()}}`,
    `{${digits}}`,
    ownerId,
    ownerId,
  ].join('\t');
}

async function writeFile(path: string, rows: number, line: (i: number) => string, header: string) {
  await pipeline(
    Readable.from(
      (function* () {
        yield header;
        const chunk: string[] = [];
        for (let i = 1; i <= rows; i++) {
          chunk.push(line(i));
          if (chunk.length === 10_000) yield chunk.splice(0).join('');
        }
        if (chunk.length) yield chunk.join('');
      })(),
    ),
    (await import('node:fs')).createWriteStream(path),
  );
}

interface ImportResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  uploadSeconds: number;
  status: string;
  created: number;
  failed: number;
  peakRssMb: number;
  /** CPU seconds the server and PostgreSQL spent on the import. */
  cpuSeconds: { server: number; database: number };
}

/** Uploads a file (streamed from disk) and follows the import to its end. */
async function runImport(
  server: Server,
  dataDir: string,
  file: string,
  rows: number,
): Promise<ImportResult> {
  const form = new FormData();
  form.set('entity', 'contacts');
  form.set('file', await openAsBlob(file, { type: 'text/csv' }), 'contacts.csv');
  const rss = watchRss(server.pid);
  const serverCpu = cpuSecondsOf(server.pid);
  const databaseCpu = databaseCpuSeconds(dataDir);
  const started = Date.now();
  const res = await fetch(`${server.url}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
    body: form,
  });
  const uploaded = Date.now();
  const created = (await res.json()) as { id: string; status: string };
  if (res.status !== 202)
    throw new Error(`import upload → ${res.status} ${JSON.stringify(created)}`);
  let state: { status: string; created: number; failed: number };
  for (;;) {
    const poll = await fetch(`${server.url}/api/v1/imports/${created.id}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    state = (await poll.json()) as typeof state;
    if (['completed', 'failed', 'cancelled'].includes(state.status)) break;
    await sleep(100);
  }
  const seconds = (Date.now() - started) / 1000;
  const peak = rss.stop();
  const cpuSeconds = {
    server: Number((cpuSecondsOf(server.pid) - serverCpu).toFixed(1)),
    database: Number((databaseCpuSeconds(dataDir) - databaseCpu).toFixed(1)),
  };
  if (state.status !== 'completed' || state.created !== rows)
    throw new Error(`import ended ${JSON.stringify(state)}`);
  return {
    rows,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(rows / seconds),
    uploadSeconds: Number(((uploaded - started) / 1000).toFixed(2)),
    status: state.status,
    created: state.created,
    failed: state.failed,
    peakRssMb: Math.round(peak / 2 ** 20),
    cpuSeconds,
  };
}

/** The statements that took most of PostgreSQL's time since the last reset. */
async function printStatementProfile(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ ms: string; calls: string; rows: string; q: string }>(
    `SELECT round(total_exec_time) AS ms, calls, rows,
            left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS q
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
  );
  log('statements by database time during the import (ms, calls, rows, statement):');
  for (const r of rows) log(`  ${r.ms}\t${r.calls}\t${r.rows}\t${r.q}`);
}

runBench('csv', async (run) => {
  const work = run.work;
  const db = await startMigratedDatabase(
    run,
    config.statementProfile
      ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
      : undefined,
  );
  const clusterDir = db.clusterDir;
  log('starting Relasi');
  const profileDir = join(work, 'profile');
  const relasi = await startServer(
    run,
    db.url,
    config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  run.onStop(() => client.end());
  const { rows: admins } = await client.query<{ id: string }>(
    'SELECT id FROM users WHERE email_normalized = $1',
    [ADMIN_EMAIL],
  );
  const ownerId = admins[0].id;
  const n = config.importRows;

  log(`writing ${n} contacts as CSV and as COPY text`);
  const csvFile = join(work, 'contacts.csv');
  await writeFile(csvFile, n, (i) => csvRow(person(i)), CSV_HEADER);
  const copyText = Array.from({ length: n }, (_, i) => `${copyRow(person(i + 1), ownerId)}\n`).join(
    '',
  );

  const copyColumns = `id, first_name, last_name, email, phones, title, department, preferred_language,
      lifecycle_stage, owner_id, custom_fields, name_key, email_keys, phone_keys, created_by_id, updated_by_id`;
  /** COPY of the rows into the emptied table; the table is emptied again afterwards. */
  const copyOnce = async (): Promise<number> => {
    await client.query('TRUNCATE contacts CASCADE');
    await client.query('VACUUM ANALYZE contacts');
    const started = Date.now();
    await pipeline(
      Readable.from([copyText]),
      client.query(copyFrom(`COPY contacts (${copyColumns}) FROM STDIN`)),
    );
    const seconds = (Date.now() - started) / 1000;
    const { rows: copied } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM contacts',
    );
    if (copied[0].n !== n) throw new Error(`COPY wrote ${copied[0].n} rows`);
    await client.query('TRUNCATE contacts CASCADE');
    await client.query('VACUUM ANALYZE contacts');
    return seconds;
  };
  // COPY is timed before and after the import and averaged, so that a burst of other
  // work on the shared CPUs weighs on both sides of the comparison.
  log('COPY into contacts');
  const copyBefore = await copyOnce();
  log('importing the same contacts through the API');
  if (config.statementProfile) {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  }
  const imported = await runImport(relasi, clusterDir, csvFile, n);
  if (config.statementProfile) await printStatementProfile(client);
  const { rows: check } = await client.query<{ n: number; h: number }>(
    `SELECT (SELECT count(*)::int FROM contacts) AS n,
              (SELECT count(*)::int FROM record_history WHERE entity = 'contacts') AS h`,
  );
  if (check[0].n !== n || check[0].h !== n)
    throw new Error(`after the import: ${check[0].n} contacts, ${check[0].h} history entries`);

  log('exporting them');
  await sleep(1000);
  const before = rssOf(relasi.pid);
  const rss = watchRss(relasi.pid);
  const exportStarted = Date.now();
  const res = await fetch(`${relasi.url}/api/v1/contacts/export`, {
    headers: { authorization: `Bearer ${relasi.token}` },
  });
  if (res.status !== 200) throw new Error(`export → ${res.status} ${await res.text()}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const exportSeconds = (Date.now() - exportStarted) / 1000;
  const peak = rss.stop();
  if (lines !== n + 1) throw new Error(`export wrote ${lines} lines for ${n} contacts`);
  const growthMb = (peak - before) / 2 ** 20;

  log('COPY into contacts again');
  const copyAfter = await copyOnce();
  const copySeconds = (copyBefore + copyAfter) / 2;
  const copyRate = n / copySeconds;
  const ratio = imported.rowsPerSecond / copyRate;

  let profile: ProfileSummary | null = null;
  if (config.cpuProfile) {
    await relasi.stop();
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      mkdirSync(RESULTS, { recursive: true });
      const target = join(RESULTS, 'relasi-csv.cpuprofile');
      copyFileSync(join(profileDir, file), target);
      profile = summarizeProfile(target);
      process.stdout.write(
        [
          `\nRelasi CPU profile (${profile.busyMs} ms busy of ${profile.totalMs} ms), self time:`,
          ...profile.topSelf.map(
            (f) => `  ${`${f.percentOfBusy} %`.padStart(7)}  ${f.function}  ${f.where}`,
          ),
          'time with the package on the stack:',
          ...profile.packagesInclusive.map(
            (p) => `  ${`${p.percentOfBusy} %`.padStart(7)}  ${p.package}`,
          ),
          '',
        ].join('\n'),
      );
    }
  }

  let large: (ImportResult & { heapMb: number }) | null = null;
  if (config.largeRows > 0) {
    log(
      `large import: ${config.largeRows} narrow rows, server heap capped at ${config.largeHeapMb} MB`,
    );
    await relasi.stop();
    await client.query('TRUNCATE contacts CASCADE');
    await client.query('TRUNCATE record_history, domain_events CASCADE');
    const capped = await startServer(run, db.url, [`--max-old-space-size=${config.largeHeapMb}`]);
    const largeFile = join(work, 'large.csv');
    await writeFile(
      largeFile,
      config.largeRows,
      (i) => `Large ${i},large.${i}@bench.test\r\n`,
      'lastName,email\r\n',
    );
    large = {
      ...(await runImport(capped, clusterDir, largeFile, config.largeRows)),
      heapMb: config.largeHeapMb,
    };
  }

  const targets = {
    importVsCopy: {
      target: `>= ${TARGET_IMPORT_RATIO * 100} % of COPY's rows/s`,
      value: Number(ratio.toFixed(3)),
      met: ratio >= TARGET_IMPORT_RATIO,
    },
    exportRssGrowthMb: {
      target: `< ${TARGET_EXPORT_RSS_MB} MB`,
      value: Number(growthMb.toFixed(1)),
      met: growthMb < TARGET_EXPORT_RSS_MB,
    },
  };
  const results = {
    copy: {
      rows: n,
      seconds: Number(copySeconds.toFixed(2)),
      runs: [Number(copyBefore.toFixed(2)), Number(copyAfter.toFixed(2))],
      rowsPerSecond: Math.round(copyRate),
    },
    import: imported,
    export: {
      rows: n,
      seconds: Number(exportSeconds.toFixed(2)),
      rowsPerSecond: Math.round(n / exportSeconds),
      megabytes: Number((bytes / 2 ** 20).toFixed(1)),
      rssBeforeMb: Math.round(before / 2 ** 20),
      rssPeakMb: Math.round(peak / 2 ** 20),
      rssGrowthMb: Number(growthMb.toFixed(1)),
    },
    large,
  };
  process.stdout.write(
    [
      '',
      `CSV import and export: ${n.toLocaleString('en')} contacts, ${cpus().length} CPUs shared by PostgreSQL, the server and the bench.`,
      '',
      `COPY into contacts        ${results.copy.rowsPerSecond.toLocaleString('en').padStart(9)} rows/s  (${results.copy.seconds} s, mean of ${copyBefore.toFixed(2)} s before and ${copyAfter.toFixed(2)} s after the import)`,
      `import through the API    ${imported.rowsPerSecond.toLocaleString('en').padStart(9)} rows/s  (${imported.seconds} s, upload ${imported.uploadSeconds} s, peak RSS ${imported.peakRssMb} MB, CPU ${imported.cpuSeconds.server} s server + ${imported.cpuSeconds.database} s PostgreSQL)`,
      `export through the API    ${results.export.rowsPerSecond.toLocaleString('en').padStart(9)} rows/s  (${results.export.seconds} s, ${results.export.megabytes} MB, RSS ${results.export.rssBeforeMb} → ${results.export.rssPeakMb} MB)`,
      ...(large
        ? [
            `large import, heap ${large.heapMb} MB ${large.rowsPerSecond.toLocaleString('en').padStart(9)} rows/s  (${large.rows.toLocaleString('en')} rows in ${large.seconds} s, peak RSS ${large.peakRssMb} MB)`,
          ]
        : []),
      '',
      `target import >= ${TARGET_IMPORT_RATIO * 100} % of COPY: ${(ratio * 100).toFixed(0)} % (${targets.importVsCopy.met ? 'met' : 'MISSED'})`,
      `target export RSS growth < ${TARGET_EXPORT_RSS_MB} MB: ${growthMb.toFixed(1)} MB (${targets.exportRssGrowthMb.met ? 'met' : 'MISSED'})`,
      '',
    ].join('\n'),
  );
  writeResults('import-export.json', { config, results, targets, profile });
});
