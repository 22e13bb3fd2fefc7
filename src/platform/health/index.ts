export { HealthController } from './health.controller.js';
export { Readiness } from './readiness.js';
