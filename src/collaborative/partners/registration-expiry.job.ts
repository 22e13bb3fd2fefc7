import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { DealRegistrationsService } from './deal-registrations.service.js';
import { PARTNERS_SECTION } from './partners.config.js';

export const REGISTRATION_EXPIRY_QUEUE = 'partners.registration-expiry';

/** Expires lapsed approved registrations on `partners.expirySchedule`. */
@Injectable()
export class RegistrationExpiryJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly registrations: DealRegistrationsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(REGISTRATION_EXPIRY_QUEUE, () =>
      this.registrations.expireLapsed(RequestContext.system()).then(() => undefined),
    );
    this.jobs.schedule(
      REGISTRATION_EXPIRY_QUEUE,
      PARTNERS_SECTION.read(this.config).expirySchedule,
      REGISTRATION_EXPIRY_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }
}
