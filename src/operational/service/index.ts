/** What other modules use of the service desk: the module, cases and their events. */
export { ServiceModule } from './service.module.js';
export { CasesService } from './cases/cases.service.js';
export { CASE_STATUSES, type CaseStatus } from './cases/case-status.js';
export { SERVICE_SECTION, type ServiceConfig } from './service.config.js';
export * from './service.events.js';
