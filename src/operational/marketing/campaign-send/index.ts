/** Sending e-mail campaigns: the module and its problems. */
export { CampaignSendModule } from './campaign-send.module.js';
export { CAMPAIGN_SEND_PROBLEMS } from './campaign-send.errors.js';
