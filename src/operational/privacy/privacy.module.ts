import { Module } from '@nestjs/common';
import { CustomersModule } from '#operational/customers/index.js';
import { ContactErasure } from './contact-erasure.js';
import { ContactPersonalData } from './contact-personal-data.js';
import { ContactRetention } from './contact-retention.js';
import { PersonalDataContributors } from './personal-data-contributors.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyService } from './privacy.service.js';
import { TraceRedaction } from './trace-redaction.js';

/**
 * Data-subject tools: export, erasure and retention of a contact's personal data across
 * every module, audited. Modules holding more than records pointing at a contact register a
 * `PersonalDataContributor` with `PersonalDataContributors`.
 */
@Module({
  imports: [CustomersModule],
  controllers: [PrivacyController],
  providers: [
    PersonalDataContributors,
    PrivacyRequestsRepository,
    ContactPersonalData,
    ContactErasure,
    ContactRetention,
    PrivacyService,
    TraceRedaction,
  ],
  exports: [PersonalDataContributors, TraceRedaction, ContactRetention],
})
export class PrivacyModule {}
