import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { CUBES_SECTION } from './cube.config.js';
import { CUBE_VIEWS } from './cube.definitions.js';
import { CUBE_REFRESHED } from './cube.events.js';

export const CUBE_REFRESH_QUEUE = 'analytics.cube-refresh';

/**
 * Refreshes every cube's materialized view on `cubes.refreshSchedule`, concurrently so that
 * cube queries keep reading the previous data meanwhile. The reporting currency and time
 * zone are written from the config first, so the views follow a changed config.
 */
@Injectable()
export class CubeRefreshJob implements OnModuleInit {
  private readonly logger = new Logger('Cubes');

  constructor(
    private readonly jobs: JobsService,
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(CUBE_REFRESH_QUEUE, () =>
      this.refresh(RequestContext.system()).then(() => undefined),
    );
    this.jobs.schedule(
      CUBE_REFRESH_QUEUE,
      CUBES_SECTION.read(this.config).refreshSchedule,
      CUBE_REFRESH_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }

  /** Refreshes the views now; returns the moment their data is as of. */
  async refresh(ctx: RequestContext): Promise<{ dataAsOf: string; durationMs: number }> {
    const started = Date.now();
    const { defaultCurrency, timeZone } = this.config.organization;
    const changed = await this.db.query(
      ctx,
      `UPDATE cube_settings SET reporting_currency = $1, time_zone = $2
        WHERE reporting_currency <> $1 OR time_zone <> $2 RETURNING id`,
      [defaultCurrency, timeZone],
    );
    const asOf = await this.db.one<{ now: Date }>(ctx, `SELECT clock_timestamp() AS now`);
    for (const view of CUBE_VIEWS) {
      const t = Date.now();
      // Views are fixed names from the cube definitions, never input.
      await this.db.query(ctx, `REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
      // A concurrent refresh leaves the replaced rows dead and the visibility map unset, so
      // interactive queries could not answer from the indexes alone until autovacuum came.
      await this.db.query(ctx, `VACUUM (ANALYZE) ${view}`);
      await this.db.query(
        ctx,
        `INSERT INTO cube_refreshes (view_name, refreshed_at, duration_ms) VALUES ($1, $2, $3)
         ON CONFLICT (view_name) DO UPDATE SET refreshed_at = $2, duration_ms = $3`,
        [view, asOf!.now, Date.now() - t],
      );
    }
    const durationMs = Date.now() - started;
    if (changed.length) this.logger.log(`cubes now in ${defaultCurrency}, ${timeZone}`);
    await this.outbox.append(ctx, [
      CUBE_REFRESHED.of(null, {
        views: CUBE_VIEWS,
        dataAsOf: asOf!.now.toISOString(),
        durationMs,
      }),
    ]);
    return { dataAsOf: asOf!.now.toISOString(), durationMs };
  }
}
