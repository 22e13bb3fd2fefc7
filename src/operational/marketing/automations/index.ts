/** Automations: the module and its problems. */
export { AutomationsModule } from './automations.module.js';
export { AUTOMATION_PROBLEMS } from './automations.errors.js';
export * from './automations.events.js';
