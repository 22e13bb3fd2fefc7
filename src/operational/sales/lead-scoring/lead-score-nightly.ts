import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { LeadRuleCatalog } from '../lead-rules/lead-rule-catalog.js';
import { LeadScoreStore } from './lead-score-store.js';
import { LeadScoringService } from './lead-scoring.service.js';

export const RESCORE_QUEUE = 'leads.rescore';
const BATCH = 500;

/**
 * Scores every open lead again on `leadScoring.schedule` (in organization.timeZone): some
 * rules move with time alone — a lead goes idle, an old email leaves its window — and no
 * change would trigger them. Batches of BATCH leads, each its own short transaction that
 * passes over leads locked by a change in progress (that change scores them). A run that is
 * interrupted simply runs again: scoring the same lead twice writes nothing the second time.
 */
@Injectable()
export class NightlyLeadRescore implements OnModuleInit {
  constructor(
    private readonly catalog: LeadRuleCatalog,
    private readonly scoring: LeadScoringService,
    private readonly store: LeadScoreStore,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    if (!this.scoring.enabled) return;
    this.jobs.work(RESCORE_QUEUE, (job) => this.run(job.signal).then(() => undefined));
    const { cron, timeZone } = this.catalog.schedule;
    this.jobs.schedule(RESCORE_QUEUE, cron, RESCORE_QUEUE, {}, { timeZone });
  }

  /** Scores every open lead; returns how many it looked at. */
  async run(signal?: AbortSignal): Promise<number> {
    let after: string | null = null;
    let total = 0;
    for (;;) {
      if (signal?.aborted) throw new Error('the process is stopping; the run starts again');
      const ids = await this.store.openLeadIdsAfter(RequestContext.system(), after, BATCH);
      if (ids.length === 0) return total;
      total += await this.scoring.rescoreLeads(ids, 'nightly', { skipLocked: true });
      after = ids[ids.length - 1];
    }
  }
}
