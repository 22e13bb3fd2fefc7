import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from 'croner';
import pg from 'pg';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { metricsRegistry } from '#platform/observability/metrics.js';
import { retryDelayMs } from './job-backoff.js';
import type {
  EnqueueOptions,
  Job,
  JobHandler,
  QueueStats,
  ScheduleOptions,
  WorkOptions,
} from './job.types.js';

export const JOBS_CHANNEL = 'relasi_jobs';

const DEFAULT_RETRY_LIMIT = 5;
const DEFAULT_RETRY_DELAY_MS = 10_000;
const QUEUE_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;
/** Health counts stop here: readiness must stay cheap however long the queue grows. */
const COUNT_CAP = 10_000;

const jobsTotal = new Counter({
  name: 'relasi_jobs_total',
  help: 'Finished job runs by queue and outcome (completed, retried, failed = dead-lettered, released)',
  labelNames: ['queue', 'outcome'] as const,
  registers: [metricsRegistry],
});

interface ClaimedRow {
  id: string;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  retry_limit: number;
  retry_delay_ms: number;
  created_at: Date;
  lock_token: string;
}

interface QueueWorker {
  queue: string;
  handler: JobHandler<never>;
  concurrency: number;
  running: number;
  claiming: boolean;
  again: boolean;
  /** Wakes the worker when the next delayed job of its queue falls due. */
  timer: NodeJS.Timeout | null;
}

interface ScheduleDefinition {
  name: string;
  cron: string;
  timeZone: string;
  queue: string;
  payload: Record<string, unknown>;
}

interface ScheduleRow extends ScheduleDefinition {
  time_zone: string;
  next_run_at: Date;
  now: Date;
}

function cronOf(pattern: string, timeZone: string): Cron {
  return new Cron(pattern, { paused: true, timezone: timeZone, mode: '5-or-6-parts' });
}

/** Why a cron expression cannot be scheduled, or null when it can: for config checks at start. */
export function cronProblem(pattern: string, timeZone: string): string | null {
  try {
    cronOf(pattern, timeZone);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The durable job queue, in PostgreSQL next to the data it works on: a job enqueued inside a
 * transaction exists exactly when that transaction commits. Workers claim due jobs with
 * FOR UPDATE SKIP LOCKED, so any number of processes share a queue without handing a job
 * out twice at once, and keep a heartbeat on the jobs they run; a job whose process died is
 * handed out again once its lock times out. A failed run is retried with exponential backoff
 * and, after its retry limit, kept in the `failed` (dead-letter) state for an admin to see
 * and retry. Cron schedules fire once per slot across all processes: the slot is claimed by
 * locking the schedule row and the job it enqueues carries the slot as its singleton key.
 * Delivery is at least once: a handler must tolerate running again after a crash.
 */
@Injectable()
export class JobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly workers = new Map<string, QueueWorker>();
  private readonly schedules = new Map<string, ScheduleDefinition>();
  /** Jobs this process runs now, with the lock token of their claim. */
  private readonly inFlight = new Map<string, { token: string; done: Promise<void> }>();
  private readonly workerId = `${hostname()}:${process.pid}`;
  private abort = new AbortController();
  private listener: pg.Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private scheduleTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private started = false;
  /** Set while notifications are unavailable, so the warning is logged once, not every poll. */
  private listenFailing = false;

  constructor(
    private readonly db: DatabaseService,
    private readonly dataSource: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /**
   * Adds a job. With a context inside a transaction the job is part of that transaction:
   * rolled back with it, visible to workers only after commit. Returns the job id, or null
   * when a job with the same singleton key already exists.
   */
  async enqueue<T extends object>(
    ctx: RequestContext,
    queue: string,
    payload: T,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    if (!QUEUE_NAME.test(queue)) throw new Error(`Invalid queue name "${queue}"`);
    return this.db.transaction(ctx, async (tx) => {
      const [row] = await this.db.query<{ id: string }>(
        tx,
        `INSERT INTO jobs (id, queue, payload, run_at, retry_limit, retry_delay_ms, singleton_key)
         VALUES ($1, $2, $3, COALESCE($4::timestamptz, now() + make_interval(secs => $5::float8 / 1000)), $6, $7, $8)
         ON CONFLICT (queue, singleton_key) WHERE singleton_key IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          uuidv7(),
          queue,
          JSON.stringify(payload),
          options.runAt ?? null,
          options.delayMs ?? 0,
          options.retryLimit ?? DEFAULT_RETRY_LIMIT,
          options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
          options.singletonKey ?? null,
        ],
      );
      if (!row) return null;
      // Delivered on commit only, and folded into one per queue per transaction.
      await this.db.query(tx, `SELECT pg_notify($1, $2)`, [JOBS_CHANNEL, queue]);
      return row.id;
    });
  }

  /**
   * Registers the handler of a queue. It runs once workers are started (the API process with
   * CRM_RUN_WORKERS=true, or `npm run worker`); registering alone runs nothing.
   */
  work<T>(queue: string, handler: JobHandler<T>, options: WorkOptions = {}): void {
    if (!QUEUE_NAME.test(queue)) throw new Error(`Invalid queue name "${queue}"`);
    if (this.workers.has(queue)) throw new Error(`Queue "${queue}" has a worker already`);
    const worker: QueueWorker = {
      queue,
      handler,
      concurrency: Math.max(1, options.concurrency ?? 1),
      running: 0,
      claiming: false,
      again: false,
      timer: null,
    };
    this.workers.set(queue, worker);
    if (this.started) this.wake(worker);
  }

  /**
   * Enqueues `payload` on `queue` at every slot of a cron expression (5 fields, or 6 with
   * seconds first), once per slot however many processes run. Slots missed while no worker
   * ran are made up by a single run, not one per missed slot.
   */
  schedule(
    name: string,
    cron: string,
    queue: string,
    payload: Record<string, unknown> = {},
    options: ScheduleOptions = {},
  ): void {
    const timeZone = options.timeZone ?? 'UTC';
    cronOf(cron, timeZone); // throws on a bad expression or time zone, at registration
    if (this.schedules.has(name)) throw new Error(`Schedule "${name}" registered twice`);
    const definition = { name, cron, timeZone, queue, payload };
    this.schedules.set(name, definition);
    if (this.started)
      void this.saveSchedules([definition]).catch((err: unknown) =>
        this.logger.error(`cannot save schedule ${name}: ${(err as Error).message}`),
      );
  }

  get running(): boolean {
    return this.started;
  }

  /** Starts the workers, the heartbeat, the reaper and the scheduler of this process. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    await this.saveSchedules([...this.schedules.values()]);
    await this.listen();
    this.pollTimer = setInterval(() => this.tick(), this.env.jobPollMs);
    this.heartbeatTimer = setInterval(
      () =>
        void this.heartbeat().catch((err: unknown) =>
          this.logger.warn(`job heartbeat failed: ${(err as Error).message}`),
        ),
      Math.max(100, Math.floor(this.env.jobLockTimeoutMs / 3)),
    );
    this.tick();
  }

  /**
   * Stops claiming, then gives running jobs half the shutdown timeout to finish; the rest are
   * told to stop (their signal aborts) and go back to the queue. A handler that ignores the
   * signal leaves its job to the lock timeout, as a crash would.
   */
  async stop(graceMs = Math.floor(this.env.shutdownTimeoutMs / 2)): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    for (const worker of this.workers.values()) if (worker.timer) clearTimeout(worker.timer);
    this.pollTimer = this.scheduleTimer = null;
    await this.unlisten();
    const settled = () => Promise.allSettled([...this.inFlight.values()].map((j) => j.done));
    if (this.inFlight.size > 0 && !(await within(settled(), graceMs))) {
      this.logger.warn(`stopping: handing ${this.inFlight.size} running job(s) back to the queue`);
      this.abort.abort();
      await within(settled(), 2000);
    }
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    await this.ticking;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Counts for /health/ready, capped so that the probe stays cheap. */
  async stats(ctx: RequestContext): Promise<QueueStats> {
    const row = await this.db.one<{
      pending: number;
      active: number;
      failed: number;
      oldest: number | null;
    }>(
      ctx,
      `SELECT
         (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state = 'pending' LIMIT ${COUNT_CAP}) s)::int AS pending,
         (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state = 'active' LIMIT ${COUNT_CAP}) s)::int AS active,
         (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state = 'failed' LIMIT ${COUNT_CAP}) s)::int AS failed,
         (SELECT extract(epoch FROM now() - min(run_at))::float8 FROM jobs
           WHERE state = 'pending' AND run_at <= now()) AS oldest`,
    );
    return {
      status: 'up',
      workers: this.started ? 'running' : 'off',
      pending: row?.pending ?? 0,
      active: row?.active ?? 0,
      failed: row?.failed ?? 0,
      oldestDueSeconds: Math.max(0, Math.round(row?.oldest ?? 0)),
    };
  }

  // ---- running jobs -------------------------------------------------------------------

  /** Claims as many due jobs as the worker has room for, now or right after the current claim. */
  private wake(worker: QueueWorker): void {
    if (!this.started) return;
    if (worker.claiming) {
      worker.again = true;
      return;
    }
    worker.claiming = true;
    this.fill(worker)
      .catch((err: unknown) =>
        this.logger.warn(`claiming ${worker.queue} jobs failed: ${(err as Error).message}`),
      )
      .finally(() => {
        worker.claiming = false;
        if (worker.again) {
          worker.again = false;
          this.wake(worker);
        }
      });
  }

  private async fill(worker: QueueWorker): Promise<void> {
    const room = worker.concurrency - worker.running;
    if (room <= 0) return;
    const claimed = await this.claim(worker.queue, room);
    for (const row of claimed) this.run(worker, row);
    // A full claim may have left due jobs behind: a finishing job wakes the worker again.
    if (claimed.length < room) await this.armTimer(worker);
  }

  private async claim(queue: string, limit: number): Promise<ClaimedRow[]> {
    return this.db.query<ClaimedRow>(
      RequestContext.system(),
      `WITH next AS (
         SELECT id FROM jobs WHERE queue = $1 AND state = 'pending' AND run_at <= now()
          ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE jobs j SET state = 'active', attempts = j.attempts + 1, started_at = now(),
              lock_token = $3, locked_by = $4, updated_at = now(),
              locked_until = now() + make_interval(secs => $5::float8 / 1000)
         FROM next WHERE j.id = next.id
       RETURNING j.id, j.queue, j.payload, j.attempts, j.retry_limit, j.retry_delay_ms, j.created_at, j.lock_token`,
      [queue, limit, uuidv7(), this.workerId, this.env.jobLockTimeoutMs],
    );
  }

  /** Polling finds delayed jobs too, but a retry due in 100 ms should not wait for the poll. */
  private async armTimer(worker: QueueWorker): Promise<void> {
    const next = await this.db.one<{ ms: number | null }>(
      RequestContext.system(),
      `SELECT (extract(epoch FROM min(run_at) - now()) * 1000)::float8 AS ms FROM jobs
        WHERE queue = $1 AND state = 'pending'`,
      [worker.queue],
    );
    if (next?.ms === null || next?.ms === undefined || next.ms >= this.env.jobPollMs) return;
    if (worker.timer) clearTimeout(worker.timer);
    worker.timer = setTimeout(
      () => {
        worker.timer = null;
        this.wake(worker);
      },
      Math.max(0, Math.ceil(next.ms)) + 5,
    );
  }

  private run(worker: QueueWorker, row: ClaimedRow): void {
    worker.running++;
    const job: Job<never> = {
      id: row.id,
      queue: row.queue,
      payload: row.payload as never,
      attempt: row.attempts,
      retryLimit: row.retry_limit,
      createdAt: row.created_at,
      signal: this.abort.signal,
    };
    const done = (async () => {
      let failure: unknown = null;
      try {
        await worker.handler(job);
      } catch (err) {
        failure = err ?? new Error('job failed');
      }
      await this.settle(row, failure);
    })()
      .catch((err: unknown) =>
        this.logger.error(`job ${row.queue} ${row.id}: ${(err as Error).message}`),
      )
      .finally(() => {
        worker.running--;
        this.inFlight.delete(row.id);
        this.wake(worker);
      });
    this.inFlight.set(row.id, { token: row.lock_token, done });
  }

  /** Records how a run ended: completed, released (stopping), retried later or dead-lettered. */
  private async settle(row: ClaimedRow, failure: unknown): Promise<void> {
    const ctx = RequestContext.system();
    const guard = [row.id, row.lock_token];
    if (failure === null) {
      const done = await this.db.query(
        ctx,
        `UPDATE jobs SET state = 'completed', completed_at = now(), lock_token = NULL,
                locked_until = NULL, updated_at = now()
          WHERE id = $1 AND lock_token = $2 RETURNING id`,
        guard,
      );
      this.count(row.queue, done.length ? 'completed' : 'lost');
      return;
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    if (this.abort.signal.aborted) {
      // Not a failure of the job: the process is going away. It goes back untouched.
      await this.db.query(
        ctx,
        `UPDATE jobs SET state = 'pending', run_at = now(), attempts = greatest(attempts - 1, 0),
                lock_token = NULL, locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND lock_token = $2`,
        guard,
      );
      this.count(row.queue, 'released');
      return;
    }
    const [result] = await this.db.query<{ state: string }>(
      ctx,
      `UPDATE jobs SET
              state = CASE WHEN attempts > retry_limit THEN 'failed' ELSE 'pending' END,
              failed_at = CASE WHEN attempts > retry_limit THEN now() END,
              run_at = CASE WHEN attempts > retry_limit THEN run_at
                            ELSE now() + make_interval(secs => $3::float8 / 1000) END,
              last_error = $4, lock_token = NULL, locked_by = NULL, locked_until = NULL,
              updated_at = now()
        WHERE id = $1 AND lock_token = $2 RETURNING state`,
      [...guard, retryDelayMs(row.retry_delay_ms, row.attempts), message.slice(0, 2000)],
    );
    if (!result) return this.count(row.queue, 'lost');
    if (result.state === 'failed') {
      this.logger.warn(
        `job ${row.queue} ${row.id} failed after ${row.attempts} attempt(s), dead-lettered: ${message}`,
      );
      this.count(row.queue, 'failed');
    } else {
      this.logger.debug(`job ${row.queue} ${row.id} attempt ${row.attempts} failed: ${message}`);
      this.count(row.queue, 'retried');
    }
  }

  private count(queue: string, outcome: string): void {
    if (outcome === 'lost')
      this.logger.warn(`a ${queue} job finished after its lock had expired; another run owns it`);
    jobsTotal.inc({ queue, outcome });
  }

  /** Keeps the locks of running jobs fresh; a process that stops heartbeating loses them. */
  private async heartbeat(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const ids = [...this.inFlight.keys()];
    const tokens = ids.map((id) => this.inFlight.get(id)?.token ?? null);
    await this.db.query(
      RequestContext.system(),
      `UPDATE jobs j SET locked_until = now() + make_interval(secs => $3::float8 / 1000)
         FROM unnest($1::uuid[], $2::uuid[]) AS mine(id, token)
        WHERE j.id = mine.id AND j.lock_token = mine.token AND j.state = 'active'`,
      [ids, tokens, this.env.jobLockTimeoutMs],
    );
  }

  // ---- periodic work: reaper, schedules, polling ------------------------------------------

  private tick(): void {
    if (!this.started || this.ticking) return;
    this.ticking = (async () => {
      if (!this.listener) await this.listen();
      await this.reap();
      await this.runSchedules();
      for (const worker of this.workers.values()) this.wake(worker);
    })()
      .catch((err: unknown) => this.logger.warn(`job tick failed: ${(err as Error).message}`))
      .finally(() => {
        this.ticking = null;
      });
  }

  /**
   * Hands back jobs whose process stopped heartbeating (it died or lost the database). The
   * crashed run counts as an attempt, so a job that kills its process ends dead-lettered
   * instead of taking down every worker in turn.
   */
  private async reap(): Promise<void> {
    const reaped = await this.db.query<{ id: string; queue: string; state: string }>(
      RequestContext.system(),
      `WITH stale AS (
         SELECT id FROM jobs WHERE state = 'active' AND locked_until < now()
          ORDER BY locked_until LIMIT 100 FOR UPDATE SKIP LOCKED
       )
       UPDATE jobs j SET
              state = CASE WHEN j.attempts > j.retry_limit THEN 'failed' ELSE 'pending' END,
              failed_at = CASE WHEN j.attempts > j.retry_limit THEN now() END,
              run_at = now(),
              last_error = 'the worker running it stopped responding (' || coalesce(j.locked_by, '?') || ')',
              lock_token = NULL, locked_by = NULL, locked_until = NULL, updated_at = now()
         FROM stale WHERE j.id = stale.id
       RETURNING j.id, j.queue, j.state`,
    );
    for (const r of reaped)
      this.logger.warn(`job ${r.queue} ${r.id} lost its worker; now ${r.state}`);
  }

  private async saveSchedules(definitions: ScheduleDefinition[]): Promise<void> {
    if (definitions.length === 0) return;
    const ctx = RequestContext.system();
    await this.db.transaction(ctx, async (tx) => {
      const [{ now }] = await this.db.query<{ now: Date }>(tx, `SELECT now() AS now`);
      for (const s of definitions) {
        const next = cronOf(s.cron, s.timeZone).nextRun(now);
        if (!next) continue;
        // A changed expression starts over from now; an unchanged one keeps its next slot,
        // so a restart neither skips nor repeats a run.
        await this.db.query(
          tx,
          `INSERT INTO job_schedules (name, cron, time_zone, queue, payload, next_run_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (name) DO UPDATE SET
             queue = EXCLUDED.queue, payload = EXCLUDED.payload, updated_at = now(),
             next_run_at = CASE WHEN job_schedules.cron = EXCLUDED.cron
                                 AND job_schedules.time_zone = EXCLUDED.time_zone
                                THEN job_schedules.next_run_at ELSE EXCLUDED.next_run_at END,
             cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone`,
          [s.name, s.cron, s.timeZone, s.queue, JSON.stringify(s.payload), next],
        );
      }
    });
  }

  /**
   * Fires the due slots of this process's schedules. The row lock (SKIP LOCKED) lets one
   * process take a slot while the others pass by; the slot's singleton key would stop a
   * second job even if two processes disagreed about the clock.
   */
  private async runSchedules(): Promise<void> {
    const names = [...this.schedules.keys()];
    if (names.length === 0) return;
    const ctx = RequestContext.system();
    await this.db.transaction(ctx, async (tx) => {
      const due = await this.db.query<ScheduleRow>(
        tx,
        `SELECT name, cron, time_zone, queue, payload, next_run_at, now() AS now FROM job_schedules
          WHERE name = ANY($1) AND next_run_at <= now() FOR UPDATE SKIP LOCKED`,
        [names],
      );
      for (const s of due) {
        const slot = s.next_run_at.toISOString();
        await this.enqueue(tx, s.queue, s.payload, { singletonKey: `schedule:${s.name}@${slot}` });
        const next = cronOf(s.cron, s.time_zone).nextRun(s.now);
        await this.db.query(
          tx,
          `UPDATE job_schedules SET last_run_at = next_run_at, next_run_at = $2, updated_at = now() WHERE name = $1`,
          [s.name, next ?? new Date('9999-12-31T00:00:00Z')],
        );
      }
    });
    await this.armScheduleTimer(names);
  }

  /** Second-granularity schedules should not wait for the poll interval. */
  private async armScheduleTimer(names: string[]): Promise<void> {
    const next = await this.db.one<{ ms: number | null }>(
      RequestContext.system(),
      `SELECT (extract(epoch FROM min(next_run_at) - now()) * 1000)::float8 AS ms FROM job_schedules WHERE name = ANY($1)`,
      [names],
    );
    if (!this.started || next?.ms === null || next?.ms === undefined) return;
    if (next.ms >= this.env.jobPollMs) return;
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    this.scheduleTimer = setTimeout(
      () => {
        this.scheduleTimer = null;
        this.tick();
      },
      Math.max(0, Math.ceil(next.ms)) + 5,
    );
  }

  /**
   * A connection of its own (not from the pool) waits for NOTIFY, so a new job starts at once
   * instead of at the next poll. When it drops, polling carries on and the next tick reconnects.
   */
  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) return;
    const client = new pg.Client({ connectionString: url, application_name: 'relasi-jobs' });
    const lost = (reason: string) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.logger.warn(`job notifications lost (${reason}); polling until reconnected`);
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection closed'));
    client.on('notification', (message) => {
      const worker = message.payload ? this.workers.get(message.payload) : undefined;
      if (worker) this.wake(worker);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      this.listener = client;
      this.listenFailing = false;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (!this.listenFailing)
        this.logger.warn(`cannot listen for job notifications: ${(err as Error).message}`);
      this.listenFailing = true;
    }
  }

  private async unlisten(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
