/** What other modules use of messaging: the module, its services, events, config and problems. */
export { MessagingModule } from './messaging.module.js';
export { ThreadsService } from './threads.service.js';
export { MessagesService } from './messages.service.js';
export {
  ParticipantThreadsService,
  type OutsideParticipant,
} from './participant-threads.service.js';
export { MESSAGING_CONFIG, MESSAGING_SECTION, type MessagingConfig } from './messaging.config.js';
export { MESSAGING_PROBLEMS } from './messaging.errors.js';
export * from './messaging.events.js';
