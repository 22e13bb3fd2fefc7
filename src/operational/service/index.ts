/** What other modules use of the service desk: the module, cases and their events. */
export { ServiceModule } from './service.module.js';
export { CasesService } from './cases/cases.service.js';
export { CASE_STATUSES, type CaseStatus } from './cases/case-status.js';
export { SERVICE_SECTION, type ServiceConfig } from './service.config.js';
export * from './service.events.js';
export {
  AttachmentStore,
  cleanFileName,
  type AttachmentPolicy,
} from './attachments/attachment-store.js';
export { customerListRequest } from './portal/portal-scope.js';
export { PORTAL_AUDIENCE, type PortalPrincipal } from './portal/portal-sessions.js';
export { portalReachSql } from './portal/portal-reach.js';
export {
  InboundMailRouters,
  type InboundMail,
  type InboundMailRouter,
  type InboundRouted,
} from './inbound-email/inbound-mail-routers.js';
