/**
 * What other modules use of the partner channel: its module, the directory of partner users
 * and shares, the partner audience, config and problems.
 */
export { PartnersModule } from './partners.module.js';
export { PartnerDirectory } from './partner-directory.js';
export { PARTNER_AUDIENCE, type PartnerPrincipal } from './partner-sessions.js';
export { PARTNERS_CONFIG, PARTNERS_SECTION, type PartnersConfig } from './partners.config.js';
export { PARTNER_PROBLEMS } from './partners.errors.js';
export * from './partners.events.js';
