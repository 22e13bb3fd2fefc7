/**
 * What other modules use of campaigns: the module, the campaign service, and the members
 * service whose `moveStatus` / `move` the e-mail channel calls as messages are sent,
 * delivered, opened and clicked.
 */
export { CampaignsModule } from './campaigns.module.js';
export { CampaignsService } from './campaigns.service.js';
export { CampaignMembersService } from './campaign-members.service.js';
export { MEMBER_STATUSES, type MemberStatus } from './campaign-member-status.js';
export { CAMPAIGNS_SECTION, type CampaignsConfig } from './campaigns.config.js';
export * from './campaigns.events.js';
export { CAMPAIGN_DEFINITION, MESSAGE_CAMPAIGN_TYPES } from './campaign.definition.js';
