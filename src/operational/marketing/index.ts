/**
 * What other modules use of marketing: the module, and MarketingGate, which every sender of a
 * marketing message (campaigns, automations, survey mails) asks before it sends.
 */
export { MarketingModule } from './marketing.module.js';
export { MARKETING_SECTION, type MarketingConfig } from './marketing.config.js';
export {
  HOLD_BACK_REASONS,
  MarketingGate,
  type GateDecision,
  type GateRequest,
  type HoldBackReason,
} from './gate/marketing-gate.js';
export { CHANNELS, type Channel } from './preferences/dto/preferences.dto.js';
export * from './marketing.events.js';
export {
  MessageDispatch,
  type EnqueueEmail,
  type EnqueueResult,
} from './email/message-dispatch.js';
export {
  afterSend,
  EmailTransport,
  type AfterSend,
  type OutgoingEmail,
} from './email/email-transport.js';
export { TextDispatch, type EnqueueText } from './email/text-dispatch.js';
export { TEXT_CHANNELS, type TextChannel } from './marketing.config.js';
export { PreferencesService } from './preferences/preferences.service.js';
export { PreferencesDto, UpdatePreferencesDto } from './preferences/dto/preferences.dto.js';
