import { defineConfigSection } from '#platform/config/index.js';
import { isCurrencyCode } from '#platform/currency/index.js';

/** Forecast categories an open opportunity can be in (won ones are `closed`, lost ones `omitted`). */
export const OPEN_FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'omitted'] as const;
export type OpenForecastCategory = (typeof OPEN_FORECAST_CATEGORIES)[number];

/** The `forecasting` section: the currency forecasts report in and the probabilities that place opportunities in categories. */
export interface ForecastingConfig {
  /** ISO 4217 code every forecast amount is converted to; defaults to organization.defaultCurrency. */
  readonly reportingCurrency: string;
  /** An open opportunity of at least this probability is `commit`, unless its stage says otherwise. */
  readonly commitProbability: number;
  /** An open opportunity of at least this probability (below commit) is `best_case`. */
  readonly bestCaseProbability: number;
}

export const FORECASTING_CONFIG = defineConfigSection<ForecastingConfig>({
  key: 'forecasting',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      reportingCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
      commitProbability: { type: 'integer', minimum: 0, maximum: 100 },
      bestCaseProbability: { type: 'integer', minimum: 0, maximum: 100 },
    },
  },
  resolve: (given, settings) => ({
    reportingCurrency: settings.organization.defaultCurrency,
    commitProbability: 90,
    bestCaseProbability: 50,
    ...(given as Partial<ForecastingConfig> | undefined),
  }),
  problems(f) {
    const problems: string[] = [];
    if (!isCurrencyCode(f.reportingCurrency))
      problems.push(
        `/forecasting/reportingCurrency: "${f.reportingCurrency}" is not an ISO 4217 currency code`,
      );
    if (f.bestCaseProbability > f.commitProbability)
      problems.push(
        '/forecasting/bestCaseProbability: must not exceed forecasting.commitProbability',
      );
    return problems;
  },
});
