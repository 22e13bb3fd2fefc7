import { Module } from '@nestjs/common';
import { timelineController } from '#platform/timeline/index.js';
import { CaseTimeline } from './cases/case-timeline.js';
import { CasesController } from './cases/cases.controller.js';
import { CasesService } from './cases/cases.service.js';
import { QueueAssignment } from './queues/queue-assignment.js';
import { SlaClock } from './sla/sla-clock.js';

/** The service desk: cases with their SLA clock, comments and attachments, queues, e-mail to case. */
@Module({
  controllers: [
    CasesController,
    timelineController({ path: 'cases', entity: 'cases', tag: 'Cases', label: 'a case' }),
  ],
  providers: [QueueAssignment, SlaClock, CaseTimeline, CasesService],
  exports: [CasesService],
})
export class ServiceModule {}
