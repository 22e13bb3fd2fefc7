import { Module } from '@nestjs/common';
import { CustomersModule } from '#operational/customers/index.js';
import { timelineController } from '#platform/timeline/index.js';
import { AttachmentStore } from './attachments/attachment-store.js';
import { CaseAttachmentsController } from './attachments/case-attachments.controller.js';
import { CaseAttachmentsService } from './attachments/case-attachments.service.js';
import { CaseCommentsController } from './cases/comments/case-comments.controller.js';
import { CaseCommentsRepository } from './cases/comments/case-comments.repository.js';
import { CaseCommentsService } from './cases/comments/case-comments.service.js';
import { CALL_CASES } from './calls/open-cases.js';
import { CaseCallsSource } from './cases/case-calls-source.js';
import { CaseTimeline } from './cases/case-timeline.js';
import { CasesController } from './cases/cases.controller.js';
import { CasesService } from './cases/cases.service.js';
import { InboundEmailController } from './inbound-email/inbound-email.controller.js';
import { InboundEmailService } from './inbound-email/inbound-email.service.js';
import { InboundMailRouters } from './inbound-email/inbound-mail-routers.js';
import { QueueAssignment } from './queues/queue-assignment.js';
import { QueuesController, QueueWorkController } from './queues/queues.controller.js';
import { QueuesService } from './queues/queues.service.js';
import { SlaClock } from './sla/sla-clock.js';
import { SlaMonitor } from './sla/sla-monitor.js';

/** The service desk: cases with their SLA clock, comments and attachments, queues, e-mail to case. */
@Module({
  imports: [CustomersModule],
  controllers: [
    CaseCommentsController,
    CaseAttachmentsController,
    CasesController,
    QueueWorkController,
    InboundEmailController,
    QueuesController,
    timelineController({ path: 'cases', entity: 'cases', tag: 'Cases', label: 'a case' }),
  ],
  providers: [
    QueueAssignment,
    SlaClock,
    SlaMonitor,
    CaseTimeline,
    CasesService,
    CaseCommentsRepository,
    CaseCommentsService,
    AttachmentStore,
    CaseAttachmentsService,
    QueuesService,
    InboundEmailService,
    InboundMailRouters,
    { provide: CALL_CASES, useClass: CaseCallsSource },
  ],
  exports: [
    CasesService,
    CaseCommentsService,
    CaseAttachmentsService,
    InboundMailRouters,
    CALL_CASES,
  ],
})
export class ServiceModule {}
