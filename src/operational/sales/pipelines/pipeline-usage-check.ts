import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { CustomizationService } from '../../../platform/customization/customization.service.js';
import { DatabaseService } from '../../../platform/database/database.service.js';
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
    const rows = await this.db.query<{ pipeline: string; stage: string; n: number; ids: string[] }>(
      ctx,
      `SELECT pipeline, stage, count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS ids
         FROM opportunities WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows
      .filter((r) => !this.catalog.stage(r.pipeline, r.stage))
      .map((r) =>
        this.catalog.find(r.pipeline)
          ? `pipelines.${r.pipeline}: stage "${r.stage}" was removed but ${r.n} opportunity(ies) are in it, e.g. ${r.ids.join(', ')}; move them to another stage first`
          : `pipelines: pipeline "${r.pipeline}" was removed but ${r.n} opportunity(ies) are in it, e.g. ${r.ids.join(', ')}; move them to another pipeline first`,
      );
  }
}
