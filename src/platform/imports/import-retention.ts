import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { JobsService } from '#platform/jobs/jobs.service.js';

export const IMPORT_RETENTION_QUEUE = 'imports.retention';
/** Imports deleted per transaction: each may take many row errors with it. */
const BATCH = 20;

/**
 * Deletes the staged rows a finished import no longer needs: all but the failed ones, which
 * its errors CSV gives back until the import itself is deleted.
 */
export async function releaseStagedRows(
  db: DatabaseService,
  tx: RequestContext,
  importId: string,
): Promise<void> {
  await db.query(
    tx,
    `DELETE FROM import_rows r WHERE r.import_id = $1
        AND NOT EXISTS (SELECT 1 FROM import_errors e
                         WHERE e.import_id = $1 AND e.row_number = r.row_number)`,
    [importId],
  );
}

/**
 * Deletes imports that finished more than `imports.retentionDays` ago, with their row errors
 * and staged rows, on the housekeeping schedule (CRM_JOB_CLEANUP_CRON). An import whose job
 * gave up without finishing it (its worker kept dying) counts as finished since its last
 * progress.
 */
@Injectable()
export class ImportRetention implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(IMPORT_RETENTION_QUEUE, async () => {
      await this.purge();
    });
    this.jobs.schedule(IMPORT_RETENTION_QUEUE, this.env.jobCleanupCron, IMPORT_RETENTION_QUEUE);
  }

  /** Deletes in batches, each its own transaction, so a large backlog never holds long locks. */
  async purge(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.db.transaction(RequestContext.system(), async (tx) => {
        const gone = await this.db.query<{ id: string }>(
          tx,
          `DELETE FROM imports WHERE id IN (
             SELECT i.id FROM imports i
              WHERE (i.status IN ('completed', 'failed', 'cancelled')
                     AND i.finished_at < now() - make_interval(days => $1))
                 OR (i.status IN ('queued', 'running')
                     AND i.updated_at < now() - make_interval(days => $1)
                     AND NOT EXISTS (SELECT 1 FROM jobs j
                                      WHERE j.id = i.job_id AND j.state IN ('pending', 'active')))
              LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [this.config.imports.retentionDays],
        );
        // Row errors go with their import (ON DELETE CASCADE); staged rows have no foreign key.
        if (gone.length)
          await this.db.query(tx, `DELETE FROM import_rows WHERE import_id = ANY($1::uuid[])`, [
            gone.map((g) => g.id),
          ]);
        return gone.length;
      });
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
