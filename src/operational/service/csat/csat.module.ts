import { Module } from '@nestjs/common';
import { MarketingModule } from '#operational/marketing/index.js';
import { AuthModule } from '#platform/auth/index.js';
import { CsatReportController, PublicCsatController } from './csat.controllers.js';
import { CsatService } from './csat.service.js';

/** Satisfaction surveys on resolved cases, sent through the marketing gate, and their report. */
@Module({
  imports: [AuthModule, MarketingModule],
  controllers: [CsatReportController, PublicCsatController],
  providers: [CsatService],
})
export class CsatModule {}
