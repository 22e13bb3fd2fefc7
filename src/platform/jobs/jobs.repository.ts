import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import type { JobState } from './job.types.js';

export const JOBS_CHANNEL = 'relasi_jobs';

/** Health counts stop here: readiness must stay cheap however long the queue grows. */
const COUNT_CAP = 10_000;

/** A job as a worker claimed it, with the lock token that proves the claim is still its own. */
export interface ClaimedJobRow {
  id: string;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  retry_limit: number;
  retry_delay_ms: number;
  created_at: Date;
  lock_token: string;
}

/** A job as the admin API shows it. */
export interface JobRow {
  id: string;
  queue: string;
  state: JobState;
  payload: Record<string, unknown>;
  attempts: number;
  retry_limit: number;
  run_at: Date;
  last_error: string | null;
  singleton_key: string | null;
  locked_by: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  failed_at: Date | null;
  updated_at: Date;
}

export interface NewJob {
  queue: string;
  payload: object;
  runAt: Date | null;
  delayMs: number;
  retryLimit: number;
  retryDelayMs: number;
  singletonKey: string | null;
}

/**
 * The SQL of the `jobs` table. Waits are added to the database's clock (`now()`), never to
 * this process's, so that processes whose clocks disagree still agree on when a job is due.
 * A plain class owned by the jobs services, not a provider, so no other module can inject it.
 */
export class JobsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The new job's id, or null when its singleton key is taken. */
  async insert(ctx: RequestContext, job: NewJob): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      ctx,
      `INSERT INTO jobs (id, queue, payload, run_at, retry_limit, retry_delay_ms, singleton_key)
       VALUES ($1, $2, $3, COALESCE($4::timestamptz, now() + make_interval(secs => $5::float8 / 1000)), $6, $7, $8)
       ON CONFLICT (queue, singleton_key) WHERE singleton_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        uuidv7(),
        job.queue,
        JSON.stringify(job.payload),
        job.runAt,
        job.delayMs,
        job.retryLimit,
        job.retryDelayMs,
        job.singletonKey,
      ],
    );
    return row?.id ?? null;
  }

  /** Wakes the workers of `queue`; delivered on commit only, and folded into one per transaction. */
  async notify(ctx: RequestContext, queue: string): Promise<void> {
    await this.db.query(ctx, `SELECT pg_notify($1, $2)`, [JOBS_CHANNEL, queue]);
  }

  /** Takes up to `limit` due jobs of `queue` for `workerId`, locked for `lockMs`. */
  async claim(
    ctx: RequestContext,
    queue: string,
    limit: number,
    workerId: string,
    lockMs: number,
  ): Promise<ClaimedJobRow[]> {
    return this.db.query<ClaimedJobRow>(
      ctx,
      `WITH next AS (
         SELECT id FROM jobs WHERE queue = $1 AND state = 'pending' AND run_at <= now()
          ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE jobs j SET state = 'active', attempts = j.attempts + 1, started_at = now(),
              lock_token = $3, locked_by = $4, updated_at = now(),
              locked_until = now() + make_interval(secs => $5::float8 / 1000)
         FROM next WHERE j.id = next.id
       RETURNING j.id, j.queue, j.payload, j.attempts, j.retry_limit, j.retry_delay_ms, j.created_at, j.lock_token`,
      [queue, limit, uuidv7(), workerId, lockMs],
    );
  }

  /** Milliseconds until the next pending job of `queue` is due (negative when overdue), or null. */
  async nextDueInMs(ctx: RequestContext, queue: string): Promise<number | null> {
    const next = await this.db.one<{ ms: number | null }>(
      ctx,
      `SELECT (extract(epoch FROM min(run_at) - now()) * 1000)::float8 AS ms FROM jobs
        WHERE queue = $1 AND state = 'pending'`,
      [queue],
    );
    return next?.ms ?? null;
  }

  /** Whether the claim still held, so that the run counts. */
  async complete(ctx: RequestContext, id: string, lockToken: string): Promise<boolean> {
    const done = await this.db.query(
      ctx,
      `UPDATE jobs SET state = 'completed', completed_at = now(), lock_token = NULL,
              locked_until = NULL, updated_at = now()
        WHERE id = $1 AND lock_token = $2 RETURNING id`,
      [id, lockToken],
    );
    return done.length > 0;
  }

  /** Puts a run back as if it had not started: its process is going away. */
  async release(ctx: RequestContext, id: string, lockToken: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE jobs SET state = 'pending', run_at = now(), attempts = greatest(attempts - 1, 0),
              lock_token = NULL, locked_by = NULL, locked_until = NULL, updated_at = now()
        WHERE id = $1 AND lock_token = $2`,
      [id, lockToken],
    );
  }

  /**
   * Records a failed run: due again in `retryInMs`, or dead-lettered when that is null.
   * Returns the new state, or null when the claim had been lost meanwhile.
   */
  async fail(
    ctx: RequestContext,
    id: string,
    lockToken: string,
    retryInMs: number | null,
    error: string,
  ): Promise<JobState | null> {
    const [result] = await this.db.query<{ state: JobState }>(
      ctx,
      `UPDATE jobs SET
              state = CASE WHEN $3::float8 IS NULL THEN 'failed' ELSE 'pending' END,
              failed_at = CASE WHEN $3::float8 IS NULL THEN now() END,
              run_at = coalesce(now() + make_interval(secs => $3::float8 / 1000), run_at),
              last_error = $4, lock_token = NULL, locked_by = NULL, locked_until = NULL,
              updated_at = now()
        WHERE id = $1 AND lock_token = $2 RETURNING state`,
      [id, lockToken, retryInMs, error.slice(0, 2000)],
    );
    return result?.state ?? null;
  }

  /** Extends the locks of the runs whose claim is still theirs. */
  async extendLocks(
    ctx: RequestContext,
    claims: { id: string; token: string }[],
    lockMs: number,
  ): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE jobs j SET locked_until = now() + make_interval(secs => $3::float8 / 1000)
         FROM unnest($1::uuid[], $2::uuid[]) AS mine(id, token)
        WHERE j.id = mine.id AND j.lock_token = mine.token AND j.state = 'active'`,
      [claims.map((c) => c.id), claims.map((c) => c.token), lockMs],
    );
  }

  /**
   * Hands back up to 100 runs whose lock ran out. The lost run counts as an attempt: a job
   * past its retry limit is dead-lettered, the others are due at once.
   */
  async reapExpired(
    ctx: RequestContext,
  ): Promise<{ id: string; queue: string; state: JobState }[]> {
    return this.db.query(
      ctx,
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
  }

  /** Counts by state, each capped, and the age of the oldest due job. */
  async counts(ctx: RequestContext): Promise<{
    pending: number;
    active: number;
    failed: number;
    oldestDueSeconds: number | null;
  }> {
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
      pending: row?.pending ?? 0,
      active: row?.active ?? 0,
      failed: row?.failed ?? 0,
      oldestDueSeconds: row?.oldest ?? null,
    };
  }

  async find(ctx: RequestContext, id: string, forUpdate = false): Promise<JobRow | null> {
    return this.db.one<JobRow>(
      ctx,
      `SELECT * FROM jobs WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
  }

  /** State and last error of each job of `ids` that is still kept. */
  async states(
    ctx: RequestContext,
    ids: string[],
  ): Promise<{ id: string; state: JobState; last_error: string | null }[]> {
    return this.db.query(ctx, `SELECT id, state, last_error FROM jobs WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
  }

  /** A dead letter due again at once, with its attempts counted from zero. */
  async requeue(ctx: RequestContext, id: string): Promise<JobRow> {
    const [row] = await this.db.query<JobRow>(
      ctx,
      `UPDATE jobs SET state = 'pending', attempts = 0, run_at = now(), failed_at = NULL,
              updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id],
    );
    return row;
  }

  /** Deletes up to `limit` finished jobs older than their retention; returns how many. */
  async deleteExpired(
    ctx: RequestContext,
    completedDays: number,
    failedDays: number,
    limit: number,
  ): Promise<number> {
    const deleted = await this.db.query(
      ctx,
      `DELETE FROM jobs WHERE id IN (
         SELECT id FROM jobs
          WHERE (state = 'completed' AND completed_at < now() - make_interval(days => $1))
             OR (state = 'failed' AND failed_at < now() - make_interval(days => $2))
          LIMIT $3)
       RETURNING id`,
      [completedDays, failedDays, limit],
    );
    return deleted.length;
  }
}
