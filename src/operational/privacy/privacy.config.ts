import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { cronProblem } from '#platform/jobs/index.js';

/** A retention rule: contacts untouched for `afterDays` have their personal data erased. */
export interface ContactRetentionRule {
  /** Days since the contact or any record referring to it last changed. */
  readonly afterDays: number;
}

/** The `privacy` section: retention of personal data and when the retention run happens. */
export interface PrivacyConfig {
  /** Retention per data-subject type; none configured means personal data is kept until erased on request. */
  readonly retention: { readonly contacts?: ContactRetentionRule };
  /** Cron (organization time zone) of the retention run. */
  readonly retentionSchedule: string;
}

export const PRIVACY_SECTION = defineConfigSection<PrivacyConfig>({
  key: 'privacy',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      retention: {
        type: 'object',
        additionalProperties: false,
        properties: {
          contacts: {
            type: 'object',
            additionalProperties: false,
            required: ['afterDays'],
            properties: { afterDays: { type: 'integer', minimum: 30, maximum: 36500 } },
          },
        },
      },
      retentionSchedule: { type: 'string', minLength: 9, maxLength: 100 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<PrivacyConfig>;
    return { retention: g.retention ?? {}, retentionSchedule: g.retentionSchedule ?? '30 2 * * *' };
  },
  problems: (value, settings) => {
    const problem = cronProblem(value.retentionSchedule, settings.organization.timeZone);
    return problem ? [`/privacy/retentionSchedule: ${problem}`] : [];
  },
});

/** The privacy tools' part of crm.config.yaml and the API paths they serve. */
export const PRIVACY_CONFIG: ConfigComposition = {
  sections: [PRIVACY_SECTION],
  reservedPaths: ['privacy'],
};
