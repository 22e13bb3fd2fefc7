import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';

export const CLEANUP_QUEUE = 'jobs.cleanup';
const BATCH = 5000;

/**
 * Keeps the queue table small: completed jobs go after CRM_JOB_RETENTION_DAYS, dead letters
 * after CRM_JOB_FAILED_RETENTION_DAYS (longer, so that someone can look at them first).
 */
@Injectable()
export class JobMaintenance implements OnModuleInit {
  private readonly repo: JobsRepository;

  constructor(
    private readonly jobs: JobsService,
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.repo = new JobsRepository(db);
  }

  onModuleInit(): void {
    this.jobs.work(CLEANUP_QUEUE, async () => {
      await this.cleanup();
    });
    this.jobs.schedule(CLEANUP_QUEUE, this.env.jobCleanupCron, CLEANUP_QUEUE);
  }

  /** Deletes in batches, each its own transaction, so a large backlog never holds long locks. */
  async cleanup(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.db.transaction(RequestContext.system(), (tx) =>
        this.repo.deleteExpired(
          tx,
          this.env.jobRetentionDays,
          this.env.jobFailedRetentionDays,
          BATCH,
        ),
      );
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
