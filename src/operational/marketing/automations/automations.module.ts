import { Module } from '@nestjs/common';
import { ActivitiesModule } from '#operational/activities/index.js';
import { PrivacyModule } from '#operational/privacy/index.js';
import { CampaignsModule } from '../campaigns/index.js';
import { MarketingModule } from '../marketing.module.js';
import { SegmentsModule } from '../segments/index.js';
import { TemplatesModule } from '../templates/index.js';
import { AutomationRunner } from './automation-runner.js';
import { AutomationRunsRepository } from './automation-runs.repository.js';
import { AutomationTaskStep } from './automation-task-step.js';
import { AutomationDateTriggers } from './automation-date-triggers.js';
import { AutomationWebhookStep } from './automation-webhook-step.js';
import { AutomationActionsController, AutomationsController } from './automations.controller.js';
import { AutomationsService } from './automations.service.js';
import { MarketingPersonalData } from './marketing-personal-data.js';

/** Event-triggered automations: definitions, durable runs of steps, and their history. */
@Module({
  imports: [
    MarketingModule,
    TemplatesModule,
    CampaignsModule,
    SegmentsModule,
    PrivacyModule,
    ActivitiesModule,
  ],
  controllers: [AutomationActionsController, AutomationsController],
  providers: [
    AutomationsService,
    AutomationRunsRepository,
    AutomationRunner,
    AutomationTaskStep,
    AutomationWebhookStep,
    AutomationDateTriggers,
    MarketingPersonalData,
  ],
  exports: [AutomationsService],
})
export class AutomationsModule {}
