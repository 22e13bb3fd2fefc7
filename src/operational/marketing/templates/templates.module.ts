import { Module } from '@nestjs/common';
import { MarketingModule } from '../marketing.module.js';
import {
  MessageTemplateActionsController,
  MessageTemplatesController,
} from './message-templates.controller.js';
import { MessageTemplatesService } from './message-templates.service.js';
import { TemplateActions } from './template-actions.js';
import { TemplateMergeData } from './template-merge-data.js';

/** Message templates: Liquid and MJML, merge fields, language variants, preview and test mail. */
@Module({
  imports: [MarketingModule],
  controllers: [MessageTemplateActionsController, MessageTemplatesController],
  providers: [MessageTemplatesService, TemplateMergeData, TemplateActions],
  exports: [MessageTemplatesService],
})
export class TemplatesModule {}
