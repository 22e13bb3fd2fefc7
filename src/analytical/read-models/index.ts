/** What customer analytics uses of its read models: the rebuilder, its job and its parameters. */
export {
  CustomerAnalyticsReadModels,
  READ_MODEL_REFRESH_WORK_MEM,
  type ReadModelFreshness,
} from './customer-analytics-read-models.js';
export { CustomerAnalyticsRefreshJob } from './customer-analytics-refresh.job.js';
export { READ_MODEL_PARAMETERS, type ReadModelParameters } from './read-model-parameters.js';
