import type { ConfigComposition } from '#platform/config/index.js';
import { FORECASTING_CONFIG } from './forecasts/forecasting.config.js';
import { LEAD_ASSIGNMENT_CONFIG, LEAD_SCORING_CONFIG } from './lead-rules/lead-rules.config.js';
import { LEAD_CONVERSION_CONFIG } from './leads/lead-conversion.config.js';
import { PIPELINES_CONFIG } from './pipelines/pipelines.config.js';

/**
 * The sales module's part of crm.config.yaml (its sections, in the order their problems are
 * listed) and the API paths it serves, which custom objects may not take.
 */
export const SALES_CONFIG: ConfigComposition = {
  sections: [
    PIPELINES_CONFIG,
    LEAD_CONVERSION_CONFIG,
    LEAD_SCORING_CONFIG,
    LEAD_ASSIGNMENT_CONFIG,
    FORECASTING_CONFIG,
  ],
  reservedPaths: ['leads', 'opportunities', 'opportunity-lines', 'pipelines'],
};
