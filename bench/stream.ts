/**
 * `npm run bench:stream`: live updates to many open connections. BENCH_CONNECTIONS SSE
 * connections (500) of BENCH_USERS staff users (50, so each holds several, as a user with a
 * few tabs would) stay open on one server process; all the users take part in one thread.
 * The bench admin then posts BENCH_MESSAGES messages (200) to it, BENCH_POSTERS at a time
 * (4). Every connection must receive every message. Reports the delivery latency from the
 * start of the POST to the arrival on each connection (p50 … p99, max) and the fan-out rate
 * (deliveries per second over the run). Results go to bench/results/stream.json.
 *
 * Settings (environment): BENCH_CONNECTIONS, BENCH_USERS, BENCH_MESSAGES, BENCH_POSTERS,
 * BENCH_POOL_SIZE (10).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { ADMIN_EMAIL, log, setting, sleep } from './bench-support.js';
import { latencySummary } from './http-load.js';

const config = {
  connections: setting('BENCH_CONNECTIONS', 500),
  users: setting('BENCH_USERS', 50),
  messages: setting('BENCH_MESSAGES', 200),
  posters: setting('BENCH_POSTERS', 4),
  poolSize: setting('BENCH_POOL_SIZE', 10),
};
const SALES_MANAGER_ROLE = '0192f000-0000-7000-8000-000000000002';

/** Post start times by message text (an event may arrive before its POST answers). */
const postedAt = new Map<string, number>();
const latencies: number[] = [];
let delivered = 0;
let lastArrival = 0;

function connect(url: string, token: string): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/api/v1/stream`,
      { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent: false },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block);
            if (!data || !block.includes('event: message.posted')) continue;
            const preview = (JSON.parse(data[1]) as { preview: string }).preview;
            const started = postedAt.get(preview);
            if (started === undefined) continue;
            latencies.push(now - started);
            delivered++;
            lastArrival = now;
          }
        });
        resolve(req);
      },
    );
    req.on('error', reject);
  });
}

runBench('stream', async (run) => {
  const { url: databaseUrl } = await startMigratedDatabase(run);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  run.onStop(() => db.end());
  const relasi = await startRelasi(run, databaseUrl, { poolSize: config.poolSize });
  const adminToken = await login(relasi.url);
  const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [
    ADMIN_EMAIL,
  ]);
  await db.query(
    `INSERT INTO users (id, email, email_normalized, last_name, password_hash, role_id)
     SELECT gen_random_uuid(), 'listener' || g || '@bench.example', 'listener' || g || '@bench.example',
            'Listener ' || g, (SELECT password_hash FROM users WHERE id = $1), $2
       FROM generate_series(1, $3::int) g`,
    [admin.rows[0].id, SALES_MANAGER_ROLE, config.users],
  );
  const users = await db.query<{ id: string; email: string }>(
    `SELECT id, email FROM users WHERE email LIKE 'listener%@bench.example' ORDER BY email`,
  );
  log(`logging in ${users.rows.length} users`);
  const tokens: string[] = [];
  for (const u of users.rows) tokens.push(await login(relasi.url, u.email));

  const created = await fetch(`${relasi.url}/api/v1/threads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      subject: 'Bench thread',
      participants: users.rows.map((u) => ({ kind: 'user', id: u.id })),
    }),
  });
  if (created.status !== 201) throw new Error(`thread: ${created.status} ${await created.text()}`);
  const threadId = ((await created.json()) as { id: string }).id;

  log(`opening ${config.connections} SSE connections`);
  const open: http.ClientRequest[] = [];
  for (let i = 0; i < config.connections; i++)
    open.push(await connect(relasi.url, tokens[i % tokens.length]));
  run.onStop(async () => {
    for (const r of open) r.destroy();
  });
  await sleep(1000);

  log(`posting ${config.messages} messages, ${config.posters} at a time`);
  const expected = config.messages * config.connections;
  const started = performance.now();
  let next = 0;
  const postLatencies: number[] = [];
  await Promise.all(
    Array.from({ length: config.posters }, async () => {
      while (next < config.messages) {
        const n = next++;
        const text = `Bench message ${n}`;
        const t0 = performance.now();
        postedAt.set(text, t0);
        const res = await fetch(`${relasi.url}/api/v1/threads/${threadId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: text }),
        });
        const body = (await res.json()) as { id: string };
        if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(body)}`);
        postLatencies.push(performance.now() - t0);
      }
    }),
  );
  const deadline = performance.now() + 60_000;
  while (delivered < expected && performance.now() < deadline) await sleep(100);
  const elapsedS = (lastArrival - started) / 1000;
  const result = {
    config,
    expectedDeliveries: expected,
    deliveries: delivered,
    missing: expected - delivered,
    deliveryLatencyMs: latencySummary(latencies),
    postLatencyMs: latencySummary(postLatencies),
    messagesPerSecondPosted: Number((config.messages / elapsedS).toFixed(1)),
    fanOutDeliveriesPerSecond: Math.round(delivered / elapsedS),
    elapsedSeconds: Number(elapsedS.toFixed(2)),
  };
  log(JSON.stringify(result, null, 2));
  writeResults('stream.json', result);
});
