import { Module } from '@nestjs/common';
import { EmailEventsService } from './email/email-events.service.js';
import { EmailSender } from './email/email-sender.js';
import { EmailTransport } from './email/email-transport.js';
import { MessageDispatch } from './email/message-dispatch.js';
import { MessagesController, MessagesService } from './email/messages.controller.js';
import { OutboundMessagesRepository } from './email/outbound-messages.repository.js';
import { HoldBacksController, HoldBacksService } from './gate/hold-backs.controller.js';
import { HoldBacksRepository } from './gate/hold-backs.repository.js';
import { MarketingGate } from './gate/marketing-gate.js';
import { MARKETING_ENV, parseMarketingEnv, type MarketingEnv } from './marketing.env.js';
import { ConsentsRepository } from './preferences/consents.repository.js';
import { ConsentsService } from './preferences/consents.service.js';
import { ContactAccess } from './preferences/contact-access.js';
import { PreferencesController } from './preferences/preferences.controller.js';
import { PreferencesRepository } from './preferences/preferences.repository.js';
import { PreferencesService } from './preferences/preferences.service.js';
import { LinkTokens } from './public/link-tokens.js';
import { MessageLinks } from './public/message-links.js';
import { PublicPreferencesController } from './public/public-preferences.controller.js';
import { TrackingController } from './public/tracking.controller.js';
import { TextDispatch } from './email/text-dispatch.js';
import { TextMessagesController, TextMessagesService } from './email/text-messages.controller.js';
import { TextProvider } from './email/text-provider.js';
import { TextSender } from './email/text-sender.js';

/**
 * Contact preferences and consent, the marketing gate every sender passes, the preference
 * centre, the e-mail channel and the text channels (SMS, WhatsApp).
 */
@Module({
  controllers: [
    PreferencesController,
    HoldBacksController,
    MessagesController,
    PublicPreferencesController,
    TrackingController,
    TextMessagesController,
  ],
  providers: [
    { provide: MARKETING_ENV, useFactory: () => parseMarketingEnv() },
    {
      provide: LinkTokens,
      useFactory: (env: MarketingEnv) => new LinkTokens(env.linkKey),
      inject: [MARKETING_ENV],
    },
    MessageLinks,
    ContactAccess,
    PreferencesRepository,
    PreferencesService,
    ConsentsRepository,
    ConsentsService,
    HoldBacksRepository,
    HoldBacksService,
    MarketingGate,
    OutboundMessagesRepository,
    EmailTransport,
    EmailSender,
    MessageDispatch,
    MessagesService,
    EmailEventsService,
    TextProvider,
    TextDispatch,
    TextSender,
    TextMessagesService,
  ],
  exports: [
    MarketingGate,
    MessageDispatch,
    TextDispatch,
    MessageLinks,
    EmailTransport,
    ContactAccess,
    PreferencesService,
    OutboundMessagesRepository,
    MARKETING_ENV,
  ],
})
export class MarketingModule {}
