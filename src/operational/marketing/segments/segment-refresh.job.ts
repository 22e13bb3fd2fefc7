import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { CAMPAIGNS_SECTION } from '../campaigns/campaigns.config.js';
import { SegmentsService } from './segments.service.js';

export const SEGMENT_REFRESH_QUEUE = 'segments.refresh';

/** Refreshes every dynamic and composite segment on `campaigns.segmentRefreshSchedule`. */
@Injectable()
export class SegmentRefreshJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly segments: SegmentsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(SEGMENT_REFRESH_QUEUE, () =>
      this.segments.refreshAll(RequestContext.system()).then(() => undefined),
    );
    this.jobs.schedule(
      SEGMENT_REFRESH_QUEUE,
      CAMPAIGNS_SECTION.read(this.config).segmentRefreshSchedule,
      SEGMENT_REFRESH_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }
}
