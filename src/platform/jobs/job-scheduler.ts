import type { Logger } from '@nestjs/common';
import { Cron } from 'croner';
import { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { JobSchedulesRepository, type ScheduleDefinition } from './job-schedules.repository.js';
import type { ScheduleOptions } from './job.types.js';

/** Enqueues the job of one slot, inside the transaction that advances the schedule. */
export type EnqueueSlot = (
  tx: RequestContext,
  queue: string,
  payload: Record<string, unknown>,
  singletonKey: string,
) => Promise<unknown>;

/** Stands for "never again": a cron expression without a next slot. */
const NEVER = new Date('9999-12-31T00:00:00Z');

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
 * The cron schedules of this process. Each fires once per slot across all processes: the
 * slot is claimed by locking the schedule row, and the job it enqueues carries the slot as
 * its singleton key. Slots missed while no worker ran are made up by a single run.
 */
export class JobScheduler {
  private readonly schedules = new Map<string, ScheduleDefinition>();
  private readonly repo: JobSchedulesRepository;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly logger: Logger,
    private readonly pollMs: number,
    private readonly enqueueSlot: EnqueueSlot,
    /** Called when a slot falls due before the next poll would notice. */
    private readonly onDue: () => void,
  ) {
    this.repo = new JobSchedulesRepository(db);
  }

  /** Registers a schedule; throws on a bad expression or time zone, or a name used twice. */
  add(
    name: string,
    cron: string,
    queue: string,
    payload: Record<string, unknown>,
    options: ScheduleOptions,
  ): ScheduleDefinition {
    const timeZone = options.timeZone ?? 'UTC';
    cronOf(cron, timeZone);
    if (this.schedules.has(name)) throw new Error(`Schedule "${name}" registered twice`);
    const definition = { name, cron, timeZone, queue, payload };
    this.schedules.set(name, definition);
    return definition;
  }

  /** Saves a schedule registered while running, without holding up its caller. */
  saveLater(definition: ScheduleDefinition): void {
    void this.save([definition]).catch((err: unknown) =>
      this.logger.error(`cannot save schedule ${definition.name}: ${(err as Error).message}`),
    );
  }

  async saveAll(): Promise<void> {
    await this.save([...this.schedules.values()]);
  }

  private async save(definitions: ScheduleDefinition[]): Promise<void> {
    if (definitions.length === 0) return;
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const now = await this.repo.databaseNow(tx);
      for (const s of definitions) {
        const next = cronOf(s.cron, s.timeZone).nextRun(now);
        if (next) await this.repo.save(tx, s, next);
      }
    });
  }

  /**
   * Fires the due slots of this process's schedules. The row lock (SKIP LOCKED) lets one
   * process take a slot while the others pass by; the slot's singleton key would stop a
   * second job even if two processes disagreed about the clock.
   */
  async fireDue(running: boolean): Promise<void> {
    const names = [...this.schedules.keys()];
    if (names.length === 0) return;
    await this.db.transaction(RequestContext.system(), async (tx) => {
      for (const s of await this.repo.lockDue(tx, names)) {
        const slot = s.next_run_at.toISOString();
        await this.enqueueSlot(tx, s.queue, s.payload, `schedule:${s.name}@${slot}`);
        await this.repo.advance(tx, s.name, cronOf(s.cron, s.time_zone).nextRun(s.now) ?? NEVER);
      }
    });
    if (running) await this.armTimer(names);
  }

  /** Second-granularity schedules should not wait for the poll interval. */
  private async armTimer(names: string[]): Promise<void> {
    const ms = await this.repo.nextSlotInMs(RequestContext.system(), names);
    if (ms === null || ms >= this.pollMs) return;
    this.stop();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.onDue();
      },
      Math.max(0, Math.ceil(ms)) + 5,
    );
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
