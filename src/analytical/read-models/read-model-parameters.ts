/** What the read models are rebuilt with; the owner of the config hands it over. */
export interface ReadModelParameters {
  readonly reportingCurrency: string;
  readonly rfmWindowDays: number;
  readonly trendWindowDays: number;
  readonly valueTiers: readonly { readonly key: string; readonly topPercent: number }[];
  readonly baseTier: string;
  readonly minSupport: string;
  readonly minConfidence: string;
  readonly minLift: string;
  /** Cron (organization time zone) of the refresh job. */
  readonly refreshSchedule: string;
}

/** Injection token of the ReadModelParameters. */
export const READ_MODEL_PARAMETERS = Symbol('READ_MODEL_PARAMETERS');
