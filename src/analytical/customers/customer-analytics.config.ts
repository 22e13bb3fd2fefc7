import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { cronProblem } from '#platform/jobs/index.js';
import type { ReadModelParameters } from '../read-models/index.js';

/** A value tier: the customers whose lifetime revenue puts them in the top `topPercent`. */
export interface ValueTierConfig {
  readonly key: string;
  readonly topPercent: number;
}

/** The weights (summing to 100) of the churn risk score's four reasons. */
export interface ChurnWeights {
  readonly recency: number;
  readonly frequencyTrend: number;
  readonly openComplaints: number;
  readonly slaBreaches: number;
}

/** The `customerAnalytics` section. Money values are decimal strings in the reporting currency. */
export interface CustomerAnalyticsConfig {
  /** Currency every figure is reported in; the organization's default currency when left out. */
  readonly reportingCurrency: string;
  /** Cron (organization time zone) of the refresh of RFM scores, tiers and association rules. */
  readonly refreshSchedule: string;
  readonly rfm: {
    /** Days back the frequency and monetary scores count. */
    readonly windowDays: number;
  };
  /** Tiers by lifetime revenue, the narrowest first wins; everyone else is `baseTier`. */
  readonly valueTiers: readonly ValueTierConfig[];
  readonly baseTier: string;
  readonly costs: {
    /** What an hour of service work (case handling, calls) costs. */
    readonly serviceHourCost: string;
    /** Hours of handling a case costs on average, beside its calls. */
    readonly caseHandlingHours: string;
    /** What an hour of a technician's field work costs. */
    readonly fieldHourCost: string;
  };
  readonly clv: {
    /** Yearly discount rate of future margin, e.g. "0.1". */
    readonly discountRate: string;
    /** Yearly retention rate; null: measured from the purchases of the last two years. */
    readonly retentionRate: string | null;
  };
  readonly churn: {
    readonly weights: ChurnWeights;
    /** Days without a purchase at which the recency reason counts in full. */
    readonly recencyFullDays: number;
    /** Length of the two windows whose order counts the frequency trend compares. */
    readonly trendWindowDays: number;
    /** Open complaints at which that reason counts in full. */
    readonly complaintsFull: number;
    /** Cases with a breached SLA in `slaLookbackDays` at which that reason counts in full. */
    readonly slaBreachesFull: number;
    readonly slaLookbackDays: number;
  };
  readonly recommendations: {
    /** Least share of baskets holding both products. */
    readonly minSupport: string;
    /** Least share of the antecedent's baskets also holding the consequent. */
    readonly minConfidence: string;
    /** Least lift (confidence over the consequent's own share). */
    readonly minLift: string;
    /**
     * Marketing topic of a product family (family id → topic key). A contact who has set
     * preferences without that topic, or has unsubscribed, is offered nothing of the family.
     */
    readonly familyTopics: Readonly<Record<string, string>>;
  };
}

const DECIMAL = { type: 'string', pattern: '^\\d{1,18}(\\.\\d{1,10})?$' };
const FRACTION = { type: 'string', pattern: '^(0(\\.\\d{1,10})?|1(\\.0{1,10})?)$' };
const KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' };
const days = (max: number) => ({ type: 'integer', minimum: 1, maximum: max });

export const CUSTOMER_ANALYTICS_SECTION = defineConfigSection<CustomerAnalyticsConfig>({
  key: 'customerAnalytics',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      reportingCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
      refreshSchedule: { type: 'string', minLength: 9, maxLength: 100 },
      rfm: {
        type: 'object',
        additionalProperties: false,
        properties: { windowDays: days(3660) },
      },
      valueTiers: {
        type: 'array',
        maxItems: 10,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'topPercent'],
          properties: {
            key: KEY,
            topPercent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          },
        },
      },
      baseTier: KEY,
      costs: {
        type: 'object',
        additionalProperties: false,
        properties: {
          serviceHourCost: DECIMAL,
          caseHandlingHours: DECIMAL,
          fieldHourCost: DECIMAL,
        },
      },
      clv: {
        type: 'object',
        additionalProperties: false,
        properties: {
          discountRate: FRACTION,
          retentionRate: { anyOf: [FRACTION, { type: 'null' }] },
        },
      },
      churn: {
        type: 'object',
        additionalProperties: false,
        properties: {
          weights: {
            type: 'object',
            additionalProperties: false,
            required: ['recency', 'frequencyTrend', 'openComplaints', 'slaBreaches'],
            properties: {
              recency: { type: 'integer', minimum: 0, maximum: 100 },
              frequencyTrend: { type: 'integer', minimum: 0, maximum: 100 },
              openComplaints: { type: 'integer', minimum: 0, maximum: 100 },
              slaBreaches: { type: 'integer', minimum: 0, maximum: 100 },
            },
          },
          recencyFullDays: days(3660),
          trendWindowDays: days(1830),
          complaintsFull: { type: 'integer', minimum: 1, maximum: 1000 },
          slaBreachesFull: { type: 'integer', minimum: 1, maximum: 1000 },
          slaLookbackDays: days(3660),
        },
      },
      recommendations: {
        type: 'object',
        additionalProperties: false,
        properties: {
          minSupport: FRACTION,
          minConfidence: FRACTION,
          minLift: DECIMAL,
          familyTopics: {
            type: 'object',
            maxProperties: 1000,
            propertyNames: { pattern: '^[0-9a-fA-F-]{36}$' },
            additionalProperties: KEY,
          },
        },
      },
    },
  },
  resolve: (given, settings) => {
    const g = (given ?? {}) as Partial<{
      [K in keyof CustomerAnalyticsConfig]: Partial<CustomerAnalyticsConfig[K]>;
    }>;
    return {
      reportingCurrency: g.reportingCurrency ?? settings.organization.defaultCurrency,
      refreshSchedule: g.refreshSchedule ?? '20 * * * *',
      rfm: { windowDays: 365, ...g.rfm },
      valueTiers: (g.valueTiers as ValueTierConfig[] | undefined) ?? [
        { key: 'platinum', topPercent: 5 },
        { key: 'gold', topPercent: 20 },
        { key: 'silver', topPercent: 50 },
      ],
      baseTier: g.baseTier ?? 'bronze',
      costs: {
        serviceHourCost: '150000',
        caseHandlingHours: '1',
        fieldHourCost: '250000',
        ...g.costs,
      },
      clv: { discountRate: '0.1', retentionRate: null, ...g.clv },
      churn: {
        weights: { recency: 40, frequencyTrend: 25, openComplaints: 20, slaBreaches: 15 },
        recencyFullDays: 365,
        trendWindowDays: 180,
        complaintsFull: 2,
        slaBreachesFull: 2,
        slaLookbackDays: 90,
        ...g.churn,
      },
      recommendations: {
        minSupport: '0.01',
        minConfidence: '0.1',
        minLift: '1',
        familyTopics: {},
        ...g.recommendations,
      },
    };
  },
  problems: (value, settings) => {
    const problems: string[] = [];
    const cron = cronProblem(value.refreshSchedule, settings.organization.timeZone);
    if (cron) problems.push(`/customerAnalytics/refreshSchedule: ${cron}`);
    const w = value.churn.weights;
    const sum = w.recency + w.frequencyTrend + w.openComplaints + w.slaBreaches;
    if (sum !== 100)
      problems.push(`/customerAnalytics/churn/weights: must add up to 100, not ${sum}`);
    const keys = value.valueTiers.map((t) => t.key);
    if (new Set([...keys, value.baseTier]).size !== keys.length + 1)
      problems.push('/customerAnalytics/valueTiers: tier keys and baseTier must differ');
    return problems;
  },
});

/** The analytics part of crm.config.yaml and the API paths it serves. */
export const CUSTOMER_ANALYTICS_CONFIG: ConfigComposition = {
  sections: [CUSTOMER_ANALYTICS_SECTION],
  reservedPaths: ['analytics', 'customers'],
};

/** The part of the section the read models are rebuilt with. */
export function readModelParameters(c: CustomerAnalyticsConfig): ReadModelParameters {
  return {
    reportingCurrency: c.reportingCurrency,
    rfmWindowDays: c.rfm.windowDays,
    trendWindowDays: c.churn.trendWindowDays,
    valueTiers: c.valueTiers,
    baseTier: c.baseTier,
    minSupport: c.recommendations.minSupport,
    minConfidence: c.recommendations.minConfidence,
    minLift: c.recommendations.minLift,
    refreshSchedule: c.refreshSchedule,
  };
}
