import { Module } from '@nestjs/common';
import { HoldBacksController, HoldBacksService } from './gate/hold-backs.controller.js';
import { HoldBacksRepository } from './gate/hold-backs.repository.js';
import { MarketingGate } from './gate/marketing-gate.js';
import { ConsentsRepository } from './preferences/consents.repository.js';
import { ConsentsService } from './preferences/consents.service.js';
import { ContactAccess } from './preferences/contact-access.js';
import { PreferencesController } from './preferences/preferences.controller.js';
import { PreferencesRepository } from './preferences/preferences.repository.js';
import { PreferencesService } from './preferences/preferences.service.js';

/**
 * Contact preferences and consent, the marketing gate every sender passes, the preference
 * centre, message templates and the e-mail channel.
 */
@Module({
  controllers: [PreferencesController, HoldBacksController],
  providers: [
    ContactAccess,
    PreferencesRepository,
    PreferencesService,
    ConsentsRepository,
    ConsentsService,
    HoldBacksRepository,
    HoldBacksService,
    MarketingGate,
  ],
  exports: [MarketingGate],
})
export class MarketingModule {}
