import { Module } from '@nestjs/common';
import { StreamModule } from '#collaborative/stream/index.js';
import { MarketingModule } from '#operational/marketing/index.js';
import { NotificationDigestJob } from './notification-digest.job.js';
import { NotificationFeeds } from './notification-feeds.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** The in-app inbox fed by domain events, per-user settings, and the digest e-mail. */
@Module({
  imports: [StreamModule, MarketingModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationFeeds, NotificationDigestJob],
  exports: [NotificationsService],
})
export class NotificationsModule {}
