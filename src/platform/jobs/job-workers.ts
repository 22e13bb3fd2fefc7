import type { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { RequestContext } from '#platform/context/request-context.js';
import { metricsRegistry } from '#platform/observability/metrics.js';
import { jobRetryPolicy } from './job-retry-policy.js';
import type { Job, JobHandler, WorkOptions } from './job.types.js';
import type { ClaimedJobRow, JobsRepository } from './jobs.repository.js';

const jobsTotal = new Counter({
  name: 'relasi_jobs_total',
  help: 'Finished job runs by queue and outcome (completed, retried, failed = dead-lettered, released)',
  labelNames: ['queue', 'outcome'] as const,
  registers: [metricsRegistry],
});

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

export interface JobWorkerSettings {
  /** Names this process in the jobs it holds, for the admin view and the reaper's message. */
  workerId: string;
  lockTimeoutMs: number;
  pollMs: number;
}

/**
 * The handlers of this process and the jobs they run: claiming due jobs with room to spare,
 * keeping a heartbeat on the running ones, and recording how each run ended (completed,
 * released when stopping, retried later or dead-lettered by the job's retry policy).
 */
export class JobWorkers {
  private readonly workers = new Map<string, QueueWorker>();
  /** Jobs this process runs now, with the lock token of their claim. */
  private readonly inFlight = new Map<string, { token: string; done: Promise<void> }>();
  private abort = new AbortController();
  private active = false;

  constructor(
    private readonly repo: JobsRepository,
    private readonly logger: Logger,
    private readonly settings: JobWorkerSettings,
  ) {}

  register<T>(queue: string, handler: JobHandler<T>, options: WorkOptions): void {
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
    if (this.active) this.wake(worker);
  }

  begin(): void {
    this.active = true;
    this.abort = new AbortController();
  }

  /** Claims for every queue, or for one named by a notification. */
  wakeAll(): void {
    for (const worker of this.workers.values()) this.wake(worker);
  }

  wakeQueue(queue: string): void {
    const worker = this.workers.get(queue);
    if (worker) this.wake(worker);
  }

  /** Stops claiming; the jobs in flight keep running. */
  stopClaiming(): void {
    this.active = false;
    for (const worker of this.workers.values()) if (worker.timer) clearTimeout(worker.timer);
  }

  /**
   * Gives running jobs `graceMs` to finish; the rest are told to stop (their signal aborts)
   * and go back to the queue. A handler that ignores the signal leaves its job to the lock
   * timeout, as a crash would.
   */
  async drain(graceMs: number): Promise<void> {
    const settled = () => Promise.allSettled([...this.inFlight.values()].map((j) => j.done));
    if (this.inFlight.size > 0 && !(await within(settled(), graceMs))) {
      this.logger.warn(`stopping: handing ${this.inFlight.size} running job(s) back to the queue`);
      this.abort.abort();
      await within(settled(), 2000);
    }
  }

  /** Keeps the locks of running jobs fresh; a process that stops heartbeating loses them. */
  async heartbeat(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const claims = [...this.inFlight].map(([id, { token }]) => ({ id, token }));
    await this.repo.extendLocks(RequestContext.system(), claims, this.settings.lockTimeoutMs);
  }

  /** Claims as many due jobs as the worker has room for, now or right after the current claim. */
  private wake(worker: QueueWorker): void {
    if (!this.active) return;
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
    const { workerId, lockTimeoutMs } = this.settings;
    const claimed = await this.repo.claim(
      RequestContext.system(),
      worker.queue,
      room,
      workerId,
      lockTimeoutMs,
    );
    for (const row of claimed) this.run(worker, row);
    // A full claim may have left due jobs behind: a finishing job wakes the worker again.
    if (claimed.length < room) await this.armTimer(worker);
  }

  /** Polling finds delayed jobs too, but a retry due in 100 ms should not wait for the poll. */
  private async armTimer(worker: QueueWorker): Promise<void> {
    const ms = await this.repo.nextDueInMs(RequestContext.system(), worker.queue);
    if (ms === null || ms >= this.settings.pollMs) return;
    if (worker.timer) clearTimeout(worker.timer);
    worker.timer = setTimeout(
      () => {
        worker.timer = null;
        this.wake(worker);
      },
      Math.max(0, Math.ceil(ms)) + 5,
    );
  }

  private run(worker: QueueWorker, row: ClaimedJobRow): void {
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
  private async settle(row: ClaimedJobRow, failure: unknown): Promise<void> {
    const ctx = RequestContext.system();
    if (failure === null) {
      const completed = await this.repo.complete(ctx, row.id, row.lock_token);
      return this.count(row.queue, completed ? 'completed' : 'lost');
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    if (this.abort.signal.aborted) {
      // Not a failure of the job: the process is going away. It goes back untouched.
      await this.repo.release(ctx, row.id, row.lock_token);
      return this.count(row.queue, 'released');
    }
    const retryInMs = jobRetryPolicy(row.retry_limit, row.retry_delay_ms).delayAfter(row.attempts);
    const state = await this.repo.fail(ctx, row.id, row.lock_token, retryInMs, message);
    if (state === null) return this.count(row.queue, 'lost');
    if (state === 'failed') {
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
