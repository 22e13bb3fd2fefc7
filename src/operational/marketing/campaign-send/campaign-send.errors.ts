import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** Why an e-mail campaign cannot be sent yet; `reason` says what to do. */
export const CAMPAIGN_SEND_PROBLEMS_CATALOG = {
  campaign_send_not_ready: {
    status: 409,
    en: ['Campaign cannot be sent', 'The campaign cannot be sent: {reason}.'],
    id: ['Kampanye tidak dapat dikirim', 'Kampanye tidak dapat dikirim: {reason}.'],
    extensions: {
      blocker: {
        type: 'string',
        enum: ['not_active', 'not_email', 'no_template', 'template_not_email', 'channel_off'],
        example: 'not_active',
        description: 'What stands in the way',
      },
      campaignStatus: {
        type: 'string',
        maxLength: 20,
        example: 'planned',
        description: 'Status the campaign is in, when that is the blocker',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    campaign_send_not_ready: true;
  }
}

export const CAMPAIGN_SEND_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'campaign-send', problems: CAMPAIGN_SEND_PROBLEMS_CATALOG },
];
