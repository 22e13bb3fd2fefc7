import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseEnv } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { accessFactories } from '../support/access-factories.js';
import { freshDatabase, startServer } from '../support/test-server.js';

// The queue logs retries and dead letters; the assertions below say what matters.
Logger.overrideLogger(['error']);

async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The queue as a feature module uses it, on a database of its own (no HTTP server). */
async function queueOn(databaseUrl: string, vars: Record<string, string> = {}) {
  const env = parseEnv({ CRM_JOB_POLL_MS: '100', CRM_SHUTDOWN_TIMEOUT_MS: '2000', ...vars });
  const dataSource = new DataSource(dataSourceOptions(env, databaseUrl));
  await dataSource.initialize();
  const db = new DatabaseService(dataSource);
  const jobs = new JobsService(db, dataSource, env);
  return {
    db,
    jobs,
    async close() {
      await jobs.stop();
      await dataSource.destroy();
    },
  };
}

describe('durable jobs on PostgreSQL', () => {
  it('enqueues in the caller’s transaction: a rollback leaves no job, a commit leaves one', async () => {
    const q = await queueOn(await freshDatabase());
    try {
      const ctx = RequestContext.system();
      await expect(
        q.db.transaction(ctx, async (tx) => {
          await q.jobs.enqueue(tx, 'test.tx', { n: 1 });
          await q.db.query(tx, `SELECT 1`);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const count = async () =>
        (
          await q.db.query<{ n: number }>(
            ctx,
            `SELECT count(*)::int AS n FROM jobs WHERE queue = 'test.tx'`,
          )
        )[0].n;
      expect(await count()).toBe(0);

      const id = await q.db.transaction(ctx, (tx) => q.jobs.enqueue(tx, 'test.tx', { n: 2 }));
      expect(id).toEqual(expect.any(String));
      expect(await count()).toBe(1);

      // A singleton key makes a repeated enqueue a no-op.
      expect(await q.jobs.enqueue(ctx, 'test.tx', {}, { singletonKey: 'k1' })).toEqual(
        expect.any(String),
      );
      expect(await q.jobs.enqueue(ctx, 'test.tx', {}, { singletonKey: 'k1' })).toBeNull();
      expect(await count()).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('retries a failing job with exponential backoff, dead-letters it, and lets an admin see and retry it', async () => {
    const databaseUrl = await freshDatabase();
    const q = await queueOn(databaseUrl);
    const runs: number[] = [];
    q.jobs.work('test.failing', async (job) => {
      runs.push(Date.now());
      throw new Error(`boom on attempt ${job.attempt}`);
    });
    let id: string | null;
    try {
      await q.jobs.start();
      id = await q.jobs.enqueue(
        RequestContext.system(),
        'test.failing',
        { what: 'always fails' },
        { retryLimit: 3, retryDelayMs: 200 },
      );
      const row = await waitFor(
        async () =>
          (
            await q.db.query<{ state: string; attempts: number; last_error: string }>(
              RequestContext.system(),
              `SELECT state, attempts, last_error FROM jobs WHERE id = $1`,
              [id],
            )
          )[0],
        (r) => r.state === 'failed',
      );
      expect(row).toEqual({ state: 'failed', attempts: 4, last_error: 'boom on attempt 4' });
      expect(runs).toHaveLength(4);
      const gaps = runs.slice(1).map((t, i) => t - runs[i]);
      // 200 ms, then 400, then 800 (plus up to 10 % jitter and the poll/claim latency, which
      // on a busy machine can be as long as the first delay: so each gap is checked against
      // its own window rather than against the others).
      gaps.forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(200 * 2 ** i - 20);
        expect(gap).toBeLessThan(200 * 2 ** i * 1.1 + 2000);
      });
    } finally {
      await q.close();
    }

    // The dead letter is kept and visible to admins; a retry re-queues it with fresh attempts.
    const server = await startServer({ databaseUrl });
    try {
      const token = await server.login();
      const auth = { authorization: `Bearer ${token}` };
      const list = await server.http
        .get('/api/v1/jobs?filter[state][eq]=failed&filter[queue][eq]=test.failing')
        .set(auth)
        .expect(200);
      expect(list.body.data).toEqual([
        expect.objectContaining({
          id,
          queue: 'test.failing',
          state: 'failed',
          attempts: 4,
          retryLimit: 3,
          payload: { what: 'always fails' },
          lastError: 'boom on attempt 4',
          failedAt: expect.any(String),
        }),
      ]);
      const ready = await server.http.get('/health/ready').expect(200);
      expect(ready.body.queue).toMatchObject({ status: 'up', workers: 'running', failed: 1 });

      await server.http.get(`/api/v1/jobs/${id}`).set(auth).expect(200);
      const retried = await server.http.post(`/api/v1/jobs/${id}/retry`).set(auth).expect(200);
      expect(retried.body).toMatchObject({ id, state: 'pending', attempts: 0, failedAt: null });
      const again = await server.http.post(`/api/v1/jobs/${id}/retry`).set(auth).expect(409);
      expect(again.body.code).toBe('job_not_retryable');

      await server.http.get('/api/v1/jobs/not-a-uuid').set(auth).expect(400);
      await server.http
        .get('/api/v1/jobs/0192f000-0000-7000-8000-00000000abcd')
        .set(auth)
        .expect(404);
      const badFilter = await server.http
        .get('/api/v1/jobs?filter[state][eq]=exploded')
        .set(auth)
        .expect(400);
      expect(badFilter.body.code).toBe('invalid_query');
      const rep = await accessFactories(server, token).userWithToken('sales_rep');
      await server.http.get('/api/v1/jobs').set(rep.auth).expect(403);
      await server.http.post(`/api/v1/jobs/${id}/retry`).set(rep.auth).expect(403);
    } finally {
      await server.stop();
    }
  });

  it('keeps a job across a restart: enqueued while no worker runs, done by the next process', async () => {
    const databaseUrl = await freshDatabase();
    const first = await queueOn(databaseUrl);
    const id = await first.jobs.enqueue(RequestContext.system(), 'test.later', { n: 7 });
    await first.close();

    const second = await queueOn(databaseUrl);
    const seen: unknown[] = [];
    second.jobs.work('test.later', async (job) => {
      seen.push(job.payload);
    });
    try {
      await second.jobs.start();
      const row = await waitFor(
        async () =>
          (
            await second.db.query<{ state: string }>(
              RequestContext.system(),
              `SELECT state FROM jobs WHERE id = $1`,
              [id],
            )
          )[0],
        (r) => r.state === 'completed',
      );
      expect(row.state).toBe('completed');
      expect(seen).toEqual([{ n: 7 }]);
    } finally {
      await second.close();
    }
  });

  it('hands a job whose worker stopped heartbeating to another worker after the lock timeout', async () => {
    const databaseUrl = await freshDatabase();
    const vars = { CRM_JOB_LOCK_TIMEOUT_MS: '1000' };
    const crashed = await queueOn(databaseUrl, vars);
    let claimed!: () => void;
    const running = new Promise<void>((r) => (claimed = r));
    crashed.jobs.work('test.crash', async () => {
      claimed();
      await new Promise(() => undefined); // hangs like a process that died mid-job
    });
    await crashed.jobs.start();
    const id = await crashed.jobs.enqueue(RequestContext.system(), 'test.crash', {});
    await running;
    // The process "dies": no grace period, and the handler never returns, so its heartbeat
    // stops while the job stays claimed by it.
    await crashed.jobs.stop(0);

    const survivor = await queueOn(databaseUrl, vars);
    const attempts: number[] = [];
    survivor.jobs.work('test.crash', async (job) => {
      attempts.push(job.attempt);
    });
    try {
      await survivor.jobs.start();
      const row = await waitFor(
        async () =>
          (
            await survivor.db.query<{ state: string; attempts: number }>(
              RequestContext.system(),
              `SELECT state, attempts FROM jobs WHERE id = $1`,
              [id],
            )
          )[0],
        (r) => r.state === 'completed',
      );
      expect(row).toEqual({ state: 'completed', attempts: 2 });
      expect(attempts).toEqual([2]);
    } finally {
      await survivor.close();
      await crashed.close();
    }
  });

  it('fires a cron schedule once per slot with two server processes on one database', async () => {
    const databaseUrl = await freshDatabase();
    // Every second, so that a few slots pass during the test.
    const env = { CRM_JOB_CLEANUP_CRON: '* * * * * *', CRM_JOB_POLL_MS: '300' };
    const servers = await Promise.all([
      startServer({ databaseUrl, env }),
      startServer({ databaseUrl, env }),
    ]);
    try {
      const started = Date.now();
      await new Promise((r) => setTimeout(r, 4500));
      const elapsedSeconds = (Date.now() - started) / 1000;
      const { rows } = await servers[0].db.query<{
        singleton_key: string;
        state: string;
        attempts: number;
        locked_by: string;
      }>(
        `SELECT singleton_key, state, attempts, locked_by FROM jobs WHERE queue = 'jobs.cleanup' ORDER BY singleton_key`,
      );
      const slots = rows.map((r) => r.singleton_key.split('@')[1]);
      expect(new Set(slots).size).toBe(slots.length);
      expect(slots.length).toBeGreaterThanOrEqual(3);
      // Never more than one job per elapsed second (plus the slot in progress at each end).
      expect(slots.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
      const settled = rows.filter((r) => r.state === 'completed');
      expect(settled.length).toBeGreaterThanOrEqual(slots.length - 1);
      expect(settled.every((r) => r.attempts === 1)).toBe(true);
      const schedule = await servers[0].db.query(
        `SELECT last_run_at, next_run_at FROM job_schedules WHERE name = 'jobs.cleanup'`,
      );
      expect(schedule.rows[0].next_run_at.getTime()).toBeGreaterThan(
        schedule.rows[0].last_run_at.getTime(),
      );
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('runs the jobs in a separate worker process (`npm run worker`) while the API runs none', async () => {
    const databaseUrl = await freshDatabase();
    const env = { CRM_JOB_CLEANUP_CRON: '* * * * * *', CRM_JOB_POLL_MS: '300' };
    const api = await startServer({ databaseUrl, env: { ...env, CRM_RUN_WORKERS: 'false' } });
    const count = async () =>
      (
        await api.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE queue = 'jobs.cleanup' AND state = 'completed'`,
        )
      ).rows[0].n;
    try {
      const ready = await api.http.get('/health/ready').expect(200);
      expect(ready.body.queue).toMatchObject({ status: 'up', workers: 'off' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await count()).toBe(0);

      const worker = spawn(process.execPath, [join(process.cwd(), 'dist/src/worker.js')], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: databaseUrl,
          CRM_LOG_LEVEL: 'warn',
          CRM_DB_POOL_SIZE: '3',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      worker.stdout.on('data', (c: Buffer) => (output += c.toString()));
      worker.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
      try {
        expect(await waitFor(count, (n) => n >= 2)).toBeGreaterThanOrEqual(2);
        const ran = await api.db.query<{ locked_by: string }>(
          `SELECT DISTINCT locked_by FROM jobs WHERE queue = 'jobs.cleanup' AND state = 'completed'`,
        );
        expect(ran.rows.map((r) => r.locked_by)).toEqual([
          expect.stringMatching(`:${worker.pid}$`),
        ]);
      } finally {
        worker.kill('SIGTERM');
      }
      expect({ code: await exited, output }).toEqual({ code: 0, output });
    } finally {
      await api.stop();
    }
  });
});
