/** The states a job moves through; `failed` is the dead-letter state, kept until retried or purged. */
export const JOB_STATES = ['pending', 'active', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One run of a job, as its handler sees it. */
export interface Job<T = Record<string, unknown>> {
  id: string;
  queue: string;
  payload: T;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Retries allowed after the first attempt. */
  retryLimit: number;
  createdAt: Date;
  /**
   * Aborted when the process stops and the job has not finished within the shutdown grace
   * period. A handler that gives up on it puts the job back in the queue at once instead of
   * leaving it to the lock timeout.
   */
  signal: AbortSignal;
}

/** Resolves when the work is done; a rejection retries the job with backoff, then dead-letters it. */
export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface EnqueueOptions {
  /** Not before this moment. */
  runAt?: Date;
  /** Not before this many milliseconds from now, measured by the database clock. */
  delayMs?: number;
  /** Retries after the first attempt (default 5); after the last one the job is dead-lettered. */
  retryLimit?: number;
  /** Delay before the first retry (default 10 s); each later one doubles, up to an hour. */
  retryDelayMs?: number;
  /**
   * At most one job with this key per queue while the job is kept: a second enqueue with the
   * same key changes nothing and returns null. Makes enqueueing from a retried step safe.
   */
  singletonKey?: string;
}

export interface WorkOptions {
  /** Jobs of this queue running at once in this process (default 1). */
  concurrency?: number;
}

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in (default UTC). */
  timeZone?: string;
}

/** What /health/ready and the admin list report about the queue. */
export interface QueueStats {
  status: 'up' | 'down';
  /** Whether this process runs workers (CRM_RUN_WORKERS or `npm run worker`). */
  workers: 'running' | 'off';
  pending: number;
  active: number;
  failed: number;
  /** Age of the oldest job that is due but not started: grows when workers fall behind. */
  oldestDueSeconds: number;
}
