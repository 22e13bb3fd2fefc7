import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/index.js';
import { MarketingModule } from '../marketing.module.js';
import { TemplatesModule } from '../templates/index.js';
import { CampaignDeliveriesRepository } from './campaign-deliveries.repository.js';
import { CampaignMemberTracking } from './campaign-member-tracking.js';
import { CampaignSendController } from './campaign-send.controller.js';
import { CampaignSender } from './campaign-sender.js';

/** Sending e-mail campaigns through the gate and the e-mail channel, and tracking members. */
@Module({
  imports: [MarketingModule, TemplatesModule, CampaignsModule],
  controllers: [CampaignSendController],
  providers: [CampaignSender, CampaignDeliveriesRepository, CampaignMemberTracking],
})
export class CampaignSendModule {}
