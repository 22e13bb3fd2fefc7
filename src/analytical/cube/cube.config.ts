import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { cronProblem } from '#platform/jobs/index.js';

/** The `cubes` section: how often the cubes' materialized views are refreshed. */
export interface CubesConfig {
  /** Cron (organization time zone) of the refresh of every cube's materialized view. */
  readonly refreshSchedule: string;
}

export const CUBES_SECTION = defineConfigSection<CubesConfig>({
  key: 'cubes',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { refreshSchedule: { type: 'string', minLength: 9, maxLength: 100 } },
  },
  resolve: (given) => ({
    refreshSchedule: (given as Partial<CubesConfig> | undefined)?.refreshSchedule ?? '*/15 * * * *',
  }),
  problems: (value, settings) => {
    const problem = cronProblem(value.refreshSchedule, settings.organization.timeZone);
    return problem ? [`/cubes/refreshSchedule: ${problem}`] : [];
  },
});

export const CUBES_CONFIG: ConfigComposition = {
  sections: [CUBES_SECTION],
  reservedPaths: ['analytics'],
};
