import { Module } from '@nestjs/common';
import { AttachmentStore } from '#operational/service/index.js';
import { PartnersModule } from '#collaborative/partners/index.js';
import { StreamModule } from '#collaborative/stream/index.js';
import { MarketingModule } from '#operational/marketing/index.js';
import { ServiceModule } from '#operational/service/index.js';
import { ThreadMailIn } from './thread-mail-in.js';
import { ThreadMailOut } from './thread-mail-out.js';
import { ThreadMailRepository } from './thread-mail.repository.js';
import { MessageTimeline } from './message-timeline.js';
import { MessagesController } from './messages.controller.js';
import { ParticipantThreadsService } from './participant-threads.service.js';
import { PartnerStreamController, PartnerThreadsController } from './partner-threads.controller.js';
import { PortalStreamController, PortalThreadsController } from './portal-threads.controller.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { ThreadAccess } from './thread-access.js';
import { ThreadAttachmentsService } from './thread-attachments.service.js';
import { ThreadsController } from './threads.controller.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

/**
 * Threads between staff, contacts and partner users, tied to records, with messages, read
 * receipts and live updates for every participant.
 */
@Module({
  imports: [StreamModule, MarketingModule, ServiceModule, PartnersModule],
  controllers: [
    ThreadsController,
    MessagesController,
    PortalThreadsController,
    PortalStreamController,
    PartnerThreadsController,
    PartnerStreamController,
  ],
  providers: [
    AttachmentStore,
    ThreadsRepository,
    MessagesRepository,
    ThreadAccess,
    MessageTimeline,
    ThreadsService,
    MessagesService,
    ThreadAttachmentsService,
    ThreadMailRepository,
    ThreadMailOut,
    ThreadMailIn,
    ParticipantThreadsService,
  ],
  exports: [ThreadsService, MessagesService, ParticipantThreadsService],
})
export class MessagingModule {}
