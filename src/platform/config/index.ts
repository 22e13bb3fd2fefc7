export { defineConfigSection } from './config-section.js';
export type { ConfigComposition } from './config-section.js';
export { CRM_CONFIG, ENV } from './config.tokens.js';
export type { Env } from './env.js';
export { CrmConfigError } from './crm-config.js';
export type { CrmConfig } from './crm-config.js';
