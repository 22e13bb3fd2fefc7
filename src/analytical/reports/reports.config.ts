import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { cronProblem } from '#platform/jobs/index.js';

/** The `reports` section: how often due scheduled reports are looked for, and the mail sender. */
export interface ReportsConfig {
  /** Cron of the check for scheduled reports that are due (5 fields, or 6 with seconds). */
  readonly dueCheckSchedule: string;
  /** From address of report e-mails; null: CRM_SMTP_FROM. */
  readonly emailFrom: string | null;
  /** Runs kept per report; older ones are deleted after each run. */
  readonly runsKept: number;
}

export const REPORTS_SECTION = defineConfigSection<ReportsConfig>({
  key: 'reports',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dueCheckSchedule: { type: 'string', minLength: 9, maxLength: 100 },
      emailFrom: { type: 'string', minLength: 3, maxLength: 320 },
      runsKept: { type: 'integer', minimum: 1, maximum: 10000 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<ReportsConfig>;
    return {
      dueCheckSchedule: g.dueCheckSchedule ?? '* * * * *',
      emailFrom: g.emailFrom ?? null,
      runsKept: g.runsKept ?? 200,
    };
  },
  problems: (value) => {
    const problem = cronProblem(value.dueCheckSchedule, 'UTC');
    return problem ? [`/reports/dueCheckSchedule: ${problem}`] : [];
  },
});

export const REPORTS_CONFIG: ConfigComposition = {
  sections: [REPORTS_SECTION],
  reservedPaths: ['reports', 'report-inbox'],
};
