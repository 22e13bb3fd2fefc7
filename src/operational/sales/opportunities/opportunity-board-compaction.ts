import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { JobsService } from '#platform/jobs/index.js';

export const BOARD_COMPACTION_QUEUE = 'opportunities.board-compaction';

/**
 * Folds the board's signed rows into one per (pipeline, stage, currency, owner, team) in a
 * single statement: it deletes the rows its snapshot sees and writes their sums, so rows
 * other transactions append meanwhile are neither lost nor counted twice.
 */
export const COMPACT_BOARD_SQL = `
  WITH folded AS (DELETE FROM opportunity_board_deltas RETURNING *)
  INSERT INTO opportunity_board_deltas
  SELECT pipeline, stage, currency, owner_id, team_id, sum(n), sum(amount), sum(weighted)
    FROM folded GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0`;

/** Keeps the board's totals table about as small as its number of distinct groups. */
@Injectable()
export class OpportunityBoardCompaction implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly db: DatabaseService,
  ) {}

  onModuleInit(): void {
    this.jobs.work(BOARD_COMPACTION_QUEUE, () => this.compact());
    this.jobs.schedule(BOARD_COMPACTION_QUEUE, '* * * * *', BOARD_COMPACTION_QUEUE);
  }

  async compact(): Promise<void> {
    await this.db.transaction(RequestContext.system(), (tx) =>
      this.db.query(tx, COMPACT_BOARD_SQL),
    );
  }
}
