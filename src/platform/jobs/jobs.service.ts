import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import type { ChannelListener } from '#platform/database/channel-listener.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { JobScheduler } from './job-scheduler.js';
import { JobWorkers } from './job-workers.js';
import type {
  EnqueueOptions,
  JobHandler,
  JobState,
  QueueStats,
  ScheduleOptions,
  WorkOptions,
} from './job.types.js';
import { JOBS_CHANNEL, JobsRepository } from './jobs.repository.js';
import { RunKicker } from './run-kicker.js';

export { cronProblem } from './job-scheduler.js';

const DEFAULT_RETRY_LIMIT = 5;
const DEFAULT_RETRY_DELAY_MS = 10_000;
const QUEUE_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;

/**
 * The durable job queue, in PostgreSQL next to the data it works on: a job enqueued inside a
 * transaction exists exactly when that transaction commits. Workers claim due jobs with
 * FOR UPDATE SKIP LOCKED, so any number of processes share a queue without handing a job
 * out twice at once, and keep a heartbeat on the jobs they run; a job whose process died is
 * handed out again once its lock times out. A failed run is retried on the job's retry
 * policy (exponential backoff with jitter) and, after its retry limit, kept in the `failed`
 * (dead-letter) state for an admin to see and retry. Cron schedules fire once per slot across
 * all processes. Delivery is at least once: a handler must tolerate running again after a
 * crash. JobWorkers runs the handlers of this process, JobScheduler its schedules; this
 * service holds them together with the poll, the reaper and the notifications.
 */
@Injectable()
export class JobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly repo: JobsRepository;
  private readonly workers: JobWorkers;
  private readonly scheduler: JobScheduler;
  private listener: ChannelListener | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private started = false;

  constructor(
    private readonly db: DatabaseService,
    private readonly dataSource: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.repo = new JobsRepository(db);
    this.workers = new JobWorkers(this.repo, this.logger, {
      workerId: `${hostname()}:${process.pid}`,
      lockTimeoutMs: env.jobLockTimeoutMs,
      pollMs: env.jobPollMs,
    });
    this.scheduler = new JobScheduler(
      db,
      this.logger,
      env.jobPollMs,
      (tx, queue, payload, singletonKey) => this.enqueue(tx, queue, payload, { singletonKey }),
      () => this.tick(),
    );
  }

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
      const id = await this.repo.insert(tx, {
        queue,
        payload,
        runAt: options.runAt ?? null,
        delayMs: options.delayMs ?? 0,
        retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
        retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
        singletonKey: options.singletonKey ?? null,
      });
      if (id !== null) await this.repo.notify(tx, queue);
      return id;
    });
  }

  /**
   * Registers the handler of a queue. It runs once workers are started (the API process with
   * CRM_RUN_WORKERS=true, or `npm run worker`); registering alone runs nothing.
   */
  work<T>(queue: string, handler: JobHandler<T>, options: WorkOptions = {}): void {
    if (!QUEUE_NAME.test(queue)) throw new Error(`Invalid queue name "${queue}"`);
    this.workers.register(queue, handler, options);
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
    const definition = this.scheduler.add(name, cron, queue, payload, options);
    if (this.started) this.scheduler.saveLater(definition);
  }

  /** State and last error of each of the jobs `ids` that is still kept, by job id. */
  async states(
    ctx: RequestContext,
    ids: string[],
  ): Promise<Map<string, { state: JobState; lastError: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.repo.states(ctx, ids);
    return new Map(rows.map((j) => [j.id, { state: j.state, lastError: j.last_error }]));
  }

  /** Asks for runs of `queue` now rather than at its next scheduled slot (see RunKicker). */
  kicker(queue: string): RunKicker {
    if (!QUEUE_NAME.test(queue)) throw new Error(`Invalid queue name "${queue}"`);
    return new RunKicker(this.db, this, queue);
  }

  get running(): boolean {
    return this.started;
  }

  /** Starts the workers, the heartbeat, the reaper and the scheduler of this process. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.workers.begin();
    await this.scheduler.saveAll();
    this.listener = this.notifications();
    await this.listener?.ensure();
    this.pollTimer = setInterval(() => this.tick(), this.env.jobPollMs);
    this.heartbeatTimer = setInterval(
      () =>
        void this.workers
          .heartbeat()
          .catch((err: unknown) =>
            this.logger.warn(`job heartbeat failed: ${(err as Error).message}`),
          ),
      Math.max(100, Math.floor(this.env.jobLockTimeoutMs / 3)),
    );
    this.tick();
  }

  /**
   * Stops claiming, then gives running jobs half the shutdown timeout to finish; the rest are
   * told to stop and go back to the queue.
   */
  async stop(graceMs = Math.floor(this.env.shutdownTimeoutMs / 2)): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.scheduler.stop();
    this.workers.stopClaiming();
    await this.listener?.close();
    this.listener = null;
    await this.workers.drain(graceMs);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    await this.ticking;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Counts for /health/ready, capped so that the probe stays cheap. */
  async stats(ctx: RequestContext): Promise<QueueStats> {
    const counts = await this.repo.counts(ctx);
    return {
      status: 'up',
      workers: this.started ? 'running' : 'off',
      pending: counts.pending,
      active: counts.active,
      failed: counts.failed,
      oldestDueSeconds: Math.max(0, Math.round(counts.oldestDueSeconds ?? 0)),
    };
  }

  // ---- periodic work: reaper, schedules, polling ------------------------------------------

  private tick(): void {
    if (!this.started || this.ticking) return;
    this.ticking = (async () => {
      await this.listener?.ensure();
      await this.reap();
      await this.scheduler.fireDue(this.started);
      this.workers.wakeAll();
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
    for (const r of await this.repo.reapExpired(RequestContext.system()))
      this.logger.warn(`job ${r.queue} ${r.id} lost its worker; now ${r.state}`);
  }

  /**
   * NOTIFY starts a new job at once instead of at the next poll. When the session drops,
   * polling carries on and the next tick reconnects.
   */
  private notifications(): ChannelListener | null {
    // Tools that build the app without a database (the API document) have nothing to hear.
    if (!(this.dataSource.options as { url?: string }).url) return null;
    return this.db.channelListener({
      name: 'relasi-jobs',
      channel: JOBS_CHANNEL,
      onNotify: (queue) => {
        if (queue) this.workers.wakeQueue(queue);
      },
      logger: this.logger,
    });
  }
}
