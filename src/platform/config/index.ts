export { defineConfigSection } from './config-section.js';
export type { ConfigComposition } from './config-section.js';
export { CRM_CONFIG } from './config.tokens.js';
export { CrmConfigError } from './crm-config.js';
export type { CrmConfig } from './crm-config.js';
