import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { CustomerAnalyticsReadModels } from './customer-analytics-read-models.js';
import { READ_MODEL_PARAMETERS, type ReadModelParameters } from './read-model-parameters.js';

export const CUSTOMER_ANALYTICS_REFRESH_QUEUE = 'customer-analytics.refresh';

/** Rebuilds RFM scores, tiers and association rules on the schedule its parameters give (`customerAnalytics.refreshSchedule`). */
@Injectable()
export class CustomerAnalyticsRefreshJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly readModels: CustomerAnalyticsReadModels,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    @Inject(READ_MODEL_PARAMETERS) private readonly parameters: ReadModelParameters,
  ) {}

  onModuleInit(): void {
    this.jobs.work(CUSTOMER_ANALYTICS_REFRESH_QUEUE, () =>
      this.readModels.refreshAll(RequestContext.system(), this.parameters).then(() => undefined),
    );
    this.jobs.schedule(
      CUSTOMER_ANALYTICS_REFRESH_QUEUE,
      this.parameters.refreshSchedule,
      CUSTOMER_ANALYTICS_REFRESH_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }
}
