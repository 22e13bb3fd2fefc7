/** What other modules use of reports: the module, the service and the events it announces. */
export { ReportsModule } from './reports.module.js';
export { ReportsService } from './reports.service.js';
export { REPORTS_CONFIG, REPORTS_SECTION } from './reports.config.js';
export { REPORT_PROBLEMS } from './reports.errors.js';
export * from './reports.events.js';
