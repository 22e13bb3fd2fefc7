import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module.js';
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
import { PipelineUsageCheck } from './pipelines/pipeline-usage-check.js';
import { PipelinesController } from './pipelines/pipelines.controller.js';
import { PipelinesService } from './pipelines/pipelines.service.js';
import { timelineController } from '../../platform/timeline/timeline-controller.factory.js';

/** Sales force automation: pipelines, opportunities and leads. */
@Module({
  imports: [CustomersModule],
  controllers: [
    PipelinesController,
    OpportunityActionsController,
    OpportunitiesController,
    LeadActionsController,
    LeadsController,
    timelineController({ path: 'leads', entity: 'leads', tag: 'Leads', label: 'a lead' }),
    timelineController({
      path: 'opportunities',
      entity: 'opportunities',
      tag: 'Opportunities',
      label: 'an opportunity',
    }),
  ],
  providers: [
    PipelineCatalog,
    PipelineUsageCheck,
    PipelinesService,
    OpportunityStageHistory,
    OpportunityBoardService,
    OpportunitiesService,
    LeadsService,
    LeadConversionService,
  ],
  exports: [PipelineCatalog, OpportunitiesService, LeadsService],
})
export class SalesModule {}
