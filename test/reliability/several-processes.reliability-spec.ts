import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { writeSalesConfig } from '../support/sales-factories.js';
import { freshDatabase, JWT_SECRET, startServer, type TestServer } from '../support/test-server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { LOAD, sleep, WriteLoad } from './reliability-support.js';

const SLOW = 240_000;
const SECRET_KEY = 'test-secret-key-for-webhook-secrets-0123456789';

/**
 * Two API processes and a separate worker on one database, all three running background
 * work: a schedule firing every second runs once per slot, and the jobs and events the
 * writes to both APIs produce are handed out once — each webhook delivered exactly once.
 */
describe('two API processes and a worker on one database', () => {
  const servers: TestServer[] = [];
  let worker: ChildProcess | null = null;
  let receiver: WebhookReceiver | null = null;

  afterAll(async () => {
    worker?.kill('SIGTERM');
    for (const s of servers) await s.stop();
    await receiver?.close();
  });

  it(
    'fires each schedule slot once and hands out every job and event once',
    async () => {
      const databaseUrl = await freshDatabase();
      const env = {
        CRM_CONFIG: writeSalesConfig(
          'processes',
          `version: 1\nquotes: { expirySchedule: '* * * * * *' }\n`,
        ),
        CRM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        CRM_SECRET_KEY: SECRET_KEY,
        CRM_OUTBOX_POLL_MS: '100',
        CRM_JOB_POLL_MS: '100',
      };
      servers.push(await startServer({ databaseUrl, env }));
      servers.push(await startServer({ databaseUrl, env }));
      const [a, b] = servers;
      worker = spawn(process.execPath, [join(process.cwd(), 'dist/src/worker.js')], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: databaseUrl,
          CRM_JWT_SECRET: JWT_SECRET,
          CRM_LOG_LEVEL: 'warn',
          CRM_DB_POOL_SIZE: '5',
          ...env,
        },
        stdio: 'ignore',
      });

      receiver = await WebhookReceiver.start();
      const tokenA = await a.login();
      const tokenB = await b.login();
      const hook = await a.http
        .post('/api/v1/webhooks')
        .set('authorization', `Bearer ${tokenA}`)
        .send({ url: receiver.url('/contacts'), eventTypes: ['contact.created'] });
      expect(hook.status).toBe(201);

      const tag = `Procs${Date.now()}`;
      const started = Date.now();
      const loads = [
        new WriteLoad(() => a.url, tokenA, tag, Math.ceil(LOAD.clients / 2)),
        new WriteLoad(() => b.url, tokenB, tag, Math.ceil(LOAD.clients / 2)),
      ];
      await sleep(Math.max(LOAD.seconds, 4) * 1000);
      for (const load of loads) await load.stop();
      const acknowledged = loads.flatMap((l) => l.acknowledged());
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(loads.flatMap((l) => l.outcomes).filter((o) => o.status !== 201)).toEqual([]);

      // Every contact's creation reaches the receiver once, whichever process delivered it.
      const delivered = await receiver.waitFor('/contacts', acknowledged.length, 60_000);
      await sleep(1000);
      const byEvent = new Map<string, number>();
      for (const r of receiver.at('/contacts')) {
        const id = String(r.headers['webhook-id']);
        byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
      }
      expect([...byEvent.values()].filter((n) => n !== 1)).toEqual([]);
      const recordIds = new Set(
        delivered.map((r) => (JSON.parse(r.body) as { data: { recordId: string } }).data.recordId),
      );
      for (const o of acknowledged) expect(recordIds.has(o.id as string)).toBe(true);
      expect(receiver.at('/contacts')).toHaveLength(acknowledged.length);

      // The deliveries were handed out among the processes, each job taken once.
      const { rows: deliveries } = await a.db.query<{ attempts: number; locked_by: string | null }>(
        `SELECT attempts, locked_by FROM jobs WHERE queue = 'webhooks.deliver'`,
      );
      expect(deliveries.filter((d) => d.attempts !== 1)).toEqual([]);

      // The every-second schedule ran once per slot while the three processes competed for it.
      const { rows: slots } = await a.db.query<{ singleton_key: string; attempts: number }>(
        `SELECT singleton_key, attempts FROM jobs WHERE queue = 'quotes.expire' AND state = 'completed'`,
      );
      const seconds = (Date.now() - started) / 1000;
      expect(slots.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 2);
      expect(new Set(slots.map((s) => s.singleton_key)).size).toBe(slots.length);
      expect(slots.filter((s) => s.attempts !== 1)).toEqual([]);
      expect(worker.exitCode).toBeNull();
    },
    SLOW,
  );
});
