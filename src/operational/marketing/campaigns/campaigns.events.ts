import { declareEvent } from '#platform/events/index.js';
import type { CampaignStatus } from './campaign.definition.js';
import type { MemberStatus } from './campaign-member-status.js';

/** `campaign.status_changed`: the campaign was approved, started, completed or aborted. */
export interface CampaignStatusChangedPayload {
  name: string;
  type: string;
  from: CampaignStatus;
  to: CampaignStatus;
  ownerId: string;
}

/** `campaign.member_status_changed`: a member was sent to, opened, clicked, responded… */
export interface CampaignMemberStatusChangedPayload {
  campaignId: string;
  contactId: string;
  from: MemberStatus | null;
  to: MemberStatus;
}

/** `campaign.response_received`: someone answered the campaign; a lead when not a contact yet. */
export interface CampaignResponseReceivedPayload {
  campaignId: string;
  responseId: string;
  contactId: string | null;
  leadId: string | null;
}

export const CAMPAIGN_STATUS_CHANGED = declareEvent<CampaignStatusChangedPayload>(
  'campaign.status_changed',
  'campaigns',
);
export const CAMPAIGN_MEMBER_STATUS_CHANGED = declareEvent<CampaignMemberStatusChangedPayload>(
  'campaign.member_status_changed',
  'campaigns',
);
export const CAMPAIGN_RESPONSE_RECEIVED = declareEvent<CampaignResponseReceivedPayload>(
  'campaign.response_received',
  'campaigns',
);
