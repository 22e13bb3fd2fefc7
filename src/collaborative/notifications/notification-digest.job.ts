import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { NOTIFICATIONS_SECTION } from './notifications.config.js';
import { NotificationsService } from './notifications.service.js';

export const NOTIFICATION_DIGEST_QUEUE = 'notifications.digest';

/** Sends the digest e-mails on `notifications.digestSchedule`. */
@Injectable()
export class NotificationDigestJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly notifications: NotificationsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(NOTIFICATION_DIGEST_QUEUE, () =>
      this.notifications.sendDigests().then(() => undefined),
    );
    this.jobs.schedule(
      NOTIFICATION_DIGEST_QUEUE,
      NOTIFICATIONS_SECTION.read(this.config).digestSchedule,
      NOTIFICATION_DIGEST_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }
}
