import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module.js';
import { ForecastCategoryRule } from './forecasts/forecast-category.js';
import { ForecastSource } from './forecasts/forecast-source.js';
import { ForecastsController } from './forecasts/forecasts.controller.js';
import { StatisticalForecastService } from './forecasts/statistical-forecast.service.js';
import { WeightedForecastService } from './forecasts/weighted-forecast.service.js';
import { LeadConversionService } from './leads/lead-conversion.service.js';
import { LeadActionsController, LeadsController } from './leads/leads.controller.js';
import { LeadsService } from './leads/leads.service.js';
import { OpportunityBoardService } from './opportunities/opportunity-board.service.js';
import { OpportunityStageHistory } from './opportunities/opportunity-stage-history.service.js';
import {
  OpportunitiesController,
  OpportunityActionsController,
} from './opportunities/opportunities.controller.js';
import { OpportunitiesService } from './opportunities/opportunities.service.js';
import { PipelineCatalog } from './pipelines/pipeline-catalog.js';
import { PipelinesController } from './pipelines/pipelines.controller.js';
import { PipelinesService } from './pipelines/pipelines.service.js';

/** Sales force automation: pipelines, opportunities, leads and forecasts. */
@Module({
  imports: [CustomersModule],
  controllers: [
    PipelinesController,
    OpportunityActionsController,
    OpportunitiesController,
    LeadActionsController,
    LeadsController,
    ForecastsController,
  ],
  providers: [
    PipelineCatalog,
    ForecastCategoryRule,
    PipelinesService,
    OpportunityStageHistory,
    OpportunityBoardService,
    OpportunitiesService,
    LeadsService,
    LeadConversionService,
    ForecastSource,
    WeightedForecastService,
    StatisticalForecastService,
  ],
  exports: [PipelineCatalog, OpportunitiesService, LeadsService],
})
export class SalesModule {}
