import { Module } from '@nestjs/common';
import { CustomersModule } from '#operational/customers/index.js';
import { MarketingModule } from '#operational/marketing/index.js';
import { SalesModule } from '#operational/sales/index.js';
import { AuthModule } from '#platform/auth/index.js';
import { DealRegistrationsService } from './deal-registrations.service.js';
import { LeadDistribution } from './lead-distribution.js';
import { PartnerAccessService } from './partner-access.service.js';
import {
  PartnerLeadsController,
  PartnerOpportunitiesController,
  PartnerSelfController,
} from './partner-api.controllers.js';
import { PartnerAuthController } from './partner-auth.controller.js';
import { PartnerDirectory } from './partner-directory.js';
import { PartnerPerformanceService } from './partner-performance.js';
import { PartnerRecordsService } from './partner-records.service.js';
import { PartnerSessions } from './partner-sessions.js';
import { PartnerSharing } from './partner-sharing.js';
import {
  DealRegistrationsController,
  PartnerPeopleController,
  PartnersController,
  PartnerSharingController,
} from './partners.controllers.js';
import { PartnersService } from './partners.service.js';
import { RegistrationExpiryJob } from './registration-expiry.job.js';

/**
 * The partner channel: partner organizations and their users (the `partner` audience), deal
 * registration with conflict check and expiry, leads and opportunities shared with partners
 * by staff or by distribution rules, and partner performance.
 */
@Module({
  imports: [AuthModule, CustomersModule, SalesModule, MarketingModule],
  controllers: [
    PartnerPeopleController,
    PartnersController,
    DealRegistrationsController,
    PartnerSharingController,
    PartnerAuthController,
    PartnerSelfController,
    PartnerLeadsController,
    PartnerOpportunitiesController,
  ],
  providers: [
    PartnersService,
    PartnerSessions,
    PartnerAccessService,
    PartnerSharing,
    DealRegistrationsService,
    RegistrationExpiryJob,
    PartnerRecordsService,
    LeadDistribution,
    PartnerPerformanceService,
    PartnerDirectory,
  ],
  exports: [PartnerDirectory],
})
export class PartnersModule {}
