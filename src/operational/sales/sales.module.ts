import { PrivacyModule } from '#operational/privacy/index.js';
import { Module } from '@nestjs/common';
import { CatalogModule } from '#operational/catalog/index.js';
import { CustomersModule } from '#operational/customers/index.js';
import { ForecastCategoryRule } from './forecasts/forecast-category.js';
import { ForecastSource } from './forecasts/forecast-source.js';
import { ForecastsController } from './forecasts/forecasts.controller.js';
import { StatisticalForecastService } from './forecasts/statistical-forecast.service.js';
import { WeightedForecastService } from './forecasts/weighted-forecast.service.js';
import { LeadAssigner } from './lead-assignment/lead-assigner.service.js';
import { LeadAssignmentPool } from './lead-assignment/lead-assignment-pool.js';
import { LeadRuleCatalog } from './lead-rules/lead-rule-catalog.js';
import { LeadScoreActivityTrigger } from './lead-scoring/lead-score-activity-trigger.js';
import { NightlyLeadRescore } from './lead-scoring/lead-score-nightly.js';
import { LeadScoreStore } from './lead-scoring/lead-score-store.js';
import { LeadScoringService } from './lead-scoring/lead-scoring.service.js';
import { LeadPersonalData } from './leads/lead-personal-data.js';
import { LeadConversionService } from './leads/lead-conversion.service.js';
import { LeadActionsController, LeadsController } from './leads/leads.controller.js';
import { LeadsService } from './leads/leads.service.js';
import { OpportunityBoardCompaction } from './opportunities/opportunity-board-compaction.js';
import { OpportunityBoardService } from './opportunities/opportunity-board.service.js';
import { OpportunityQuoteAcceptance } from './opportunities/opportunity-quote-acceptance.js';
import { OpportunityStageHistory } from './opportunities/opportunity-stage-history.service.js';
import {
  OpportunitiesController,
  OpportunityActionsController,
} from './opportunities/opportunities.controller.js';
import { OpportunitiesService } from './opportunities/opportunities.service.js';
import { LinePricing } from './opportunity-lines/line-pricing.js';
import { OpportunityAmount } from './opportunity-lines/opportunity-amount.js';
import { OpportunityLinesController } from './opportunity-lines/opportunity-lines.controller.js';
import { OpportunityLinesService } from './opportunity-lines/opportunity-lines.service.js';
import { PipelineCatalog } from './pipelines/pipeline-catalog.js';
import { PipelineUsageCheck } from './pipelines/pipeline-usage-check.js';
import { PipelinesController } from './pipelines/pipelines.controller.js';
import { PipelinesService } from './pipelines/pipelines.service.js';
import { timelineController } from '#platform/timeline/index.js';

/** Sales force automation: pipelines, opportunities, leads with their scoring and assignment rules, and forecasts. */
@Module({
  imports: [CustomersModule, CatalogModule, PrivacyModule],
  controllers: [
    PipelinesController,
    OpportunityActionsController,
    OpportunitiesController,
    OpportunityLinesController,
    LeadActionsController,
    LeadsController,
    timelineController({ path: 'leads', entity: 'leads', tag: 'Leads', label: 'a lead' }),
    timelineController({
      path: 'opportunities',
      entity: 'opportunities',
      tag: 'Opportunities',
      label: 'an opportunity',
    }),
    ForecastsController,
  ],
  providers: [
    PipelineCatalog,
    PipelineUsageCheck,
    ForecastCategoryRule,
    PipelinesService,
    OpportunityStageHistory,
    OpportunityBoardService,
    OpportunityBoardCompaction,
    LinePricing,
    OpportunityAmount,
    OpportunitiesService,
    OpportunityLinesService,
    OpportunityQuoteAcceptance,
    LeadRuleCatalog,
    LeadScoreStore,
    LeadScoringService,
    NightlyLeadRescore,
    LeadScoreActivityTrigger,
    LeadAssignmentPool,
    LeadAssigner,
    LeadsService,
    LeadConversionService,
    LeadPersonalData,
    ForecastSource,
    WeightedForecastService,
    StatisticalForecastService,
  ],
  exports: [PipelineCatalog, OpportunitiesService, LeadsService, LinePricing],
})
export class SalesModule {}
