import { Module } from '@nestjs/common';
import { MarketingModule } from '#operational/marketing/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import {
  CustomerAnalyticsReadModels,
  CustomerAnalyticsRefreshJob,
  READ_MODEL_PARAMETERS,
} from '../read-models/index.js';
import { CUSTOMER_ANALYTICS_SECTION, readModelParameters } from './customer-analytics.config.js';
import {
  CustomerAnalyticsController,
  CustomerInsightsController,
} from './customer-analytics.controller.js';
import { CustomerAnalyticsRepository } from './customer-analytics.repository.js';
import { CustomerAnalyticsService } from './customer-analytics.service.js';
import { CustomerScopes } from './customer-scopes.js';
import { CustomerSubjects } from './customer-subjects.js';
import { ProfitabilityService } from './profitability/profitability.service.js';
import { RecommendationsRepository } from './recommendations/recommendations.repository.js';
import { SegmentationRepository } from './segmentation/segmentation.repository.js';
import { SegmentationService } from './segmentation/segmentation.service.js';

/** Customer analytics: 360° profile, RFM and tiers, Pareto, profitability, CLV, cohorts, churn, next best offer. */
@Module({
  imports: [MarketingModule],
  controllers: [CustomerInsightsController, CustomerAnalyticsController],
  providers: [
    {
      provide: READ_MODEL_PARAMETERS,
      useFactory: (crm: CrmConfig) => readModelParameters(CUSTOMER_ANALYTICS_SECTION.read(crm)),
      inject: [CRM_CONFIG],
    },
    CustomerAnalyticsReadModels,
    CustomerAnalyticsRefreshJob,
    CustomerAnalyticsRepository,
    CustomerScopes,
    CustomerSubjects,
    SegmentationRepository,
    SegmentationService,
    ProfitabilityService,
    RecommendationsRepository,
    CustomerAnalyticsService,
  ],
  exports: [CustomerAnalyticsService],
})
export class CustomerAnalyticsModule {}
