import type { ModuleProblems } from '#platform/http/index.js';
import { FORECAST_PROBLEMS } from './forecasts/forecasts.errors.js';
import { LEAD_PROBLEMS } from './leads/leads.errors.js';
import { OPPORTUNITY_PROBLEMS } from './opportunities/opportunities.errors.js';
import { OPPORTUNITY_LINE_PROBLEMS } from './opportunity-lines/opportunity-lines.errors.js';

/** The problems the sales features answer, each under the feature that declares it. */
export const SALES_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'sales/leads', problems: LEAD_PROBLEMS },
  { module: 'sales/opportunities', problems: OPPORTUNITY_PROBLEMS },
  { module: 'sales/forecasts', problems: FORECAST_PROBLEMS },
  { module: 'sales/opportunity-lines', problems: OPPORTUNITY_LINE_PROBLEMS },
];
