/**
 * What other modules use of the call centre: the module, CallsService, and the port through
 * which the cases module gives the screen-pop open cases and the report resolved cases.
 */
export { CallsModule } from './calls.module.js';
export { CallsService } from './calls.service.js';
export { CALL_CASES, type CallCasesSource, type OpenCaseSummary } from './open-cases.js';
export { CALLS_CONFIG, CALLS_SECTION, type CallsConfig } from './calls.config.js';
export { CALL_PROBLEMS } from './calls.errors.js';
export * from './calls.events.js';
