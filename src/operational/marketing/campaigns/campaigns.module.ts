import { Module } from '@nestjs/common';
import { ActivitiesModule } from '#operational/activities/index.js';
import { SalesModule } from '#operational/sales/index.js';
import { SegmentsModule } from '../segments/index.js';
import { CampaignCosts } from './campaign-costs.js';
import { CampaignMembersService } from './campaign-members.service.js';
import { CampaignOutcomes } from './campaign-outcomes.js';
import { CampaignPerformance } from './campaign-performance.js';
import { CampaignWorkflow } from './campaign-workflow.js';
import { CampaignActionsController, CampaignsController } from './campaigns.controller.js';
import { CampaignsService } from './campaigns.service.js';

/** Campaigns: approval and status, costs, members from segments, responses, credit and results. */
@Module({
  imports: [SegmentsModule, SalesModule, ActivitiesModule],
  controllers: [CampaignActionsController, CampaignsController],
  providers: [
    CampaignsService,
    CampaignWorkflow,
    CampaignCosts,
    CampaignMembersService,
    CampaignOutcomes,
    CampaignPerformance,
  ],
  exports: [CampaignsService, CampaignMembersService],
})
export class CampaignsModule {}
