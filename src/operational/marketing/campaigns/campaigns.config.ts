import { cronProblem } from '#platform/jobs/index.js';
import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `campaigns` section: who approves campaigns and when, and how often segments refresh. */
export interface CampaignsConfig {
  /**
   * Budget above which a campaign needs approval before it may start, per currency
   * (decimal strings). A currency not listed never needs approval.
   */
  readonly approvalThresholds: Readonly<Record<string, string>>;
  /** Roles (key or name) whose users approve campaigns; admins always may. */
  readonly approverRoles: readonly string[];
  /** Cron (organization time zone) of the run that refreshes dynamic and composite segments. */
  readonly segmentRefreshSchedule: string;
}

const ROLE_KEY = '^[A-Za-z0-9_ .-]{1,100}$';

export const CAMPAIGNS_SECTION = defineConfigSection<CampaignsConfig>({
  key: 'campaigns',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      approvalThresholds: {
        type: 'object',
        maxProperties: 200,
        propertyNames: { pattern: '^[A-Z]{3}$' },
        additionalProperties: { type: 'string', pattern: '^\\d{1,20}(\\.\\d{1,10})?$' },
      },
      approverRoles: { type: 'array', maxItems: 100, items: { type: 'string', pattern: ROLE_KEY } },
      segmentRefreshSchedule: { type: 'string', minLength: 9, maxLength: 100 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<CampaignsConfig>;
    return {
      approvalThresholds: g.approvalThresholds ?? {},
      approverRoles: g.approverRoles ?? ['admin', 'sales_manager'],
      segmentRefreshSchedule: g.segmentRefreshSchedule ?? '0 * * * *',
    };
  },
  problems: (value, settings) => {
    const problem = cronProblem(value.segmentRefreshSchedule, settings.organization.timeZone);
    return problem ? [`/campaigns/segmentRefreshSchedule: ${problem}`] : [];
  },
});

/** The marketing part of crm.config.yaml and the API paths segments and campaigns serve. */
export const CAMPAIGNS_CONFIG: ConfigComposition = {
  sections: [CAMPAIGNS_SECTION],
  reservedPaths: ['segments', 'campaigns'],
};
