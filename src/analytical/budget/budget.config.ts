import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `budgetPlan` section: how the planner measures rates from campaign history. */
export interface BudgetPlanConfig {
  /**
   * Campaign members a segment × channel needs in the history window before its measured
   * rates are used; fewer answer 422 rather than a plan built on noise.
   */
  readonly minHistorySample: number;
  /** Days back from today whose campaign members count as history. */
  readonly historyDays: number;
}

export const BUDGET_PLAN_SECTION = defineConfigSection<BudgetPlanConfig>({
  key: 'budgetPlan',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minHistorySample: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      historyDays: { type: 'integer', minimum: 1, maximum: 3660 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<BudgetPlanConfig>;
    return { minHistorySample: g.minHistorySample ?? 30, historyDays: g.historyDays ?? 730 };
  },
});

export const BUDGET_CONFIG: ConfigComposition = {
  sections: [BUDGET_PLAN_SECTION],
  reservedPaths: [],
};
