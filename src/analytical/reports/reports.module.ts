import { Module } from '@nestjs/common';
import { CubeModule } from '#analytical/cube/index.js';
import { AuthModule } from '#platform/auth/index.js';
import { ReportInboxService } from './report-inbox.service.js';
import { REPORT_MAIL_ENV, parseReportMailEnv, ReportMailer } from './report-mailer.js';
import { ReportQuery } from './report-query.js';
import { ReportRunner } from './report-runner.js';
import { ReportSchedulerJob } from './report-scheduler.job.js';
import {
  CubeExportController,
  ReportActionsController,
  ReportInboxController,
  ReportsController,
} from './reports.controller.js';
import { ReportsService } from './reports.service.js';

/** Saved, scheduled, exception and pushed reports over cubes and lists, their runs, inbox and exports. */
@Module({
  imports: [CubeModule, AuthModule],
  controllers: [
    ReportActionsController,
    ReportsController,
    ReportInboxController,
    CubeExportController,
  ],
  providers: [
    { provide: REPORT_MAIL_ENV, useFactory: () => parseReportMailEnv() },
    ReportsService,
    ReportQuery,
    ReportRunner,
    ReportMailer,
    ReportInboxService,
    ReportSchedulerJob,
  ],
  exports: [ReportsService],
})
export class ReportsModule {}
