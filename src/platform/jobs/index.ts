export { cronProblem } from './job-scheduler.js';
export { JobsModule } from './jobs.module.js';
export { JobsService } from './jobs.service.js';
export type { RunKicker } from './run-kicker.js';
export { ABANDONED_AFTER_MS, drainRun } from './drain-run.js';
