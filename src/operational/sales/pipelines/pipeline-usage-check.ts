import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { CustomizationService } from '#platform/customization/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { PipelineCatalog } from './pipeline-catalog.js';

/**
 * Stops the start (and `npm run config:check` reports) when the config drops a stage or a
 * whole pipeline that live opportunities are still in: they would be stuck in a stage no
 * rule describes. The admin moves them first, then removes the stage.
 */
@Injectable()
export class PipelineUsageCheck implements OnModuleInit {
  constructor(
    private readonly catalog: PipelineCatalog,
    private readonly customization: CustomizationService,
    private readonly db: DatabaseService,
  ) {}

  onModuleInit(): void {
    this.customization.addUsageCheck((ctx) => this.stagesInUse(ctx));
  }

  async stagesInUse(ctx: RequestContext): Promise<string[]> {
    // The board's running totals say which stages hold live opportunities without a scan of
    // them all at every start; only stages the config dropped are looked up for examples.
    const used = await this.db.query<{ pipeline: string; stage: string; n: number }>(
      ctx,
      `SELECT pipeline, stage, sum(n)::int AS n FROM opportunity_board_deltas
        GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`,
    );
    const problems: string[] = [];
    for (const r of used.filter((u) => !this.catalog.stage(u.pipeline, u.stage))) {
      const ids = (
        await this.db.query<{ id: string }>(
          ctx,
          `SELECT id FROM opportunities WHERE deleted_at IS NULL AND pipeline = $1 AND stage = $2
            ORDER BY id LIMIT 5`,
          [r.pipeline, r.stage],
        )
      ).map((row) => row.id);
      problems.push(
        this.catalog.find(r.pipeline)
          ? `pipelines.${r.pipeline}: stage "${r.stage}" was removed but ${r.n} opportunity(ies) are in it, e.g. ${ids.join(', ')}; move them to another stage first`
          : `pipelines: pipeline "${r.pipeline}" was removed but ${r.n} opportunity(ies) are in it, e.g. ${ids.join(', ')}; move them to another pipeline first`,
      );
    }
    return problems;
  }
}
