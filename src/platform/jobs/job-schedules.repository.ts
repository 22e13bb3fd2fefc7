import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';

export interface ScheduleDefinition {
  name: string;
  cron: string;
  timeZone: string;
  queue: string;
  payload: Record<string, unknown>;
}

/** A schedule whose slot is due, locked for the process that fires it. */
export interface DueScheduleRow {
  name: string;
  cron: string;
  time_zone: string;
  queue: string;
  payload: Record<string, unknown>;
  next_run_at: Date;
  now: Date;
}

/** The SQL of `job_schedules`; owned by the job scheduler, not a provider. */
export class JobSchedulesRepository {
  constructor(private readonly db: DatabaseService) {}

  async databaseNow(ctx: RequestContext): Promise<Date> {
    const [{ now }] = await this.db.query<{ now: Date }>(ctx, `SELECT now() AS now`);
    return now;
  }

  /**
   * Saves a schedule. A changed expression starts over from `nextRunAt`; an unchanged one
   * keeps its next slot, so a restart neither skips nor repeats a run.
   */
  async save(ctx: RequestContext, s: ScheduleDefinition, nextRunAt: Date): Promise<void> {
    await this.db.query(
      ctx,
      `INSERT INTO job_schedules (name, cron, time_zone, queue, payload, next_run_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET
         queue = EXCLUDED.queue, payload = EXCLUDED.payload, updated_at = now(),
         next_run_at = CASE WHEN job_schedules.cron = EXCLUDED.cron
                             AND job_schedules.time_zone = EXCLUDED.time_zone
                            THEN job_schedules.next_run_at ELSE EXCLUDED.next_run_at END,
         cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone`,
      [s.name, s.cron, s.timeZone, s.queue, JSON.stringify(s.payload), nextRunAt],
    );
  }

  /** The due schedules among `names` that no other process holds, locked until commit. */
  async lockDue(ctx: RequestContext, names: string[]): Promise<DueScheduleRow[]> {
    return this.db.query<DueScheduleRow>(
      ctx,
      `SELECT name, cron, time_zone, queue, payload, next_run_at, now() AS now FROM job_schedules
        WHERE name = ANY($1) AND next_run_at <= now() FOR UPDATE SKIP LOCKED`,
      [names],
    );
  }

  /** Marks the current slot as run and sets the next one. */
  async advance(ctx: RequestContext, name: string, nextRunAt: Date): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE job_schedules SET last_run_at = next_run_at, next_run_at = $2, updated_at = now() WHERE name = $1`,
      [name, nextRunAt],
    );
  }

  /** Milliseconds until the next slot of any of `names` (negative when overdue), or null. */
  async nextSlotInMs(ctx: RequestContext, names: string[]): Promise<number | null> {
    const next = await this.db.one<{ ms: number | null }>(
      ctx,
      `SELECT (extract(epoch FROM min(next_run_at) - now()) * 1000)::float8 AS ms FROM job_schedules WHERE name = ANY($1)`,
      [names],
    );
    return next?.ms ?? null;
  }
}
