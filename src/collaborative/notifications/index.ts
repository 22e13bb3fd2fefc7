/** What other modules use of notifications: the module, the service, kinds and config. */
export { NotificationsModule } from './notifications.module.js';
export { NotificationsService, type NewNotification } from './notifications.service.js';
export {
  NOTIFICATIONS_CONFIG,
  NOTIFICATIONS_SECTION,
  type NotificationsConfig,
} from './notifications.config.js';
export * from './notifications.events.js';
export { NOTIFICATION_PROBLEMS } from './notifications.errors.js';
