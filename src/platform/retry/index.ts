export { RetryPolicy } from './retry-policy.js';
export type { RetryPolicyOptions } from './retry-policy.js';
