import { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import type { JobState } from './job.types.js';

/** What a kicker needs of the job queue. */
export interface KickableQueue {
  enqueue(
    ctx: RequestContext,
    queue: string,
    payload: object,
    options: { retryLimit: number },
  ): Promise<string | null>;
  states(ctx: RequestContext, ids: string[]): Promise<Map<string, { state: JobState }>>;
}

/**
 * Asks for a run of a "send what is due" queue right away instead of at its next scheduled
 * slot. The ask waits for the caller's transaction to commit, so the run sees the rows it
 * wrote. Asks fold together only while the run this process last asked for has not started:
 * a run under way may already have made its last read of due rows, so an ask made then gets a
 * run of its own. (A singleton key per second would fold an ask into a run that finished
 * before the ask's rows existed, leaving them to the next scheduled slot.)
 */
export class RunKicker {
  private waitingRun: string | null = null;
  private kicking: Promise<void> = Promise.resolve();
  /** An ask that has not reached the database yet; asks made meanwhile share it. */
  private nextKick: Promise<void> | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: KickableQueue,
    private readonly queue: string,
  ) {}

  async kick(ctx: RequestContext = RequestContext.system()): Promise<void> {
    await this.db.afterCommit(ctx, () => {
      // A burst of asks (one per message of a campaign batch) asks the database once.
      if (!this.nextKick) {
        this.nextKick = this.kicking.then(() => {
          this.nextKick = null;
          return this.startRun();
        });
        this.kicking = this.nextKick.catch(() => undefined);
      }
      return this.nextKick;
    });
  }

  private async startRun(): Promise<void> {
    const system = RequestContext.system();
    const waiting = this.waitingRun;
    if (waiting && (await this.jobs.states(system, [waiting])).get(waiting)?.state === 'pending')
      return;
    this.waitingRun = await this.jobs.enqueue(system, this.queue, {}, { retryLimit: 0 });
  }
}
