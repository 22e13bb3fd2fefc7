import { Money } from '#platform/currency/index.js';
import type { ChurnWeights } from './customer-analytics.config.js';

const DAY_MS = 86_400_000;

/** What the lifetime-value model needs of one customer. */
export interface ClvInput {
  /** Lifetime net revenue less product cost, reporting currency. */
  readonly grossProfit: string;
  readonly firstPurchaseAt: Date;
  readonly asOf: Date;
  /** Yearly retention rate r in [0, 1). */
  readonly retentionRate: string;
  /** Yearly discount rate d. */
  readonly discountRate: string;
}

/**
 * Customer lifetime value by the retention (geometric) model of Gupta & Lehmann: a customer
 * brings margin m a year and stays each further year with probability r; discounted at d,
 * the expected value of the years to come is m × r / (1 + d − r).
 *
 * Chosen over BG/NBD + Gamma-Gamma because every input is a figure the API already shows
 * (the customer's margin so far, a retention rate measured from the last two years of
 * purchases) and the result is checked by hand; BG/NBD needs a numerical fit of four
 * parameters that nobody can check from the response. m is the customer's gross profit per
 * year of tenure, tenure counted in days / 365 and at least one year, so that a customer of a
 * month does not have a month's margin counted as a year's twelve times over.
 */
export function customerLifetimeValue(input: ClvInput): { annualMargin: Money; clv: Money } {
  const tenureYears = Money.max(
    1,
    new Money(input.asOf.getTime() - input.firstPurchaseAt.getTime()).div(DAY_MS).div(365),
  );
  const annualMargin = new Money(input.grossProfit).div(tenureYears);
  const r = new Money(input.retentionRate);
  const clv = annualMargin.mul(r).div(new Money(1).plus(input.discountRate).minus(r));
  return { annualMargin, clv };
}

/** What the churn score reads of one customer. */
export interface ChurnInput {
  readonly daysSinceLastPurchase: number;
  readonly recentOrders: number;
  readonly previousOrders: number;
  readonly openComplaints: number;
  readonly slaBreaches: number;
}

export interface ChurnSettings {
  readonly weights: ChurnWeights;
  readonly recencyFullDays: number;
  readonly complaintsFull: number;
  readonly slaBreachesFull: number;
}

export type ChurnReasonCode = 'recency' | 'frequency_trend' | 'open_complaints' | 'sla_breaches';

export interface ChurnReason {
  readonly code: ChurnReasonCode;
  /** Points of the score this reason gives (0–weight). */
  readonly points: number;
  readonly value: number;
}

export interface ChurnRisk {
  readonly score: number;
  readonly level: 'low' | 'medium' | 'high';
  readonly reasons: ChurnReason[];
}

/**
 * Churn risk 0–100: each reason is a factor in [0, 1] times its weight, summed and rounded.
 * - recency: days since the last purchase / `recencyFullDays`, capped at 1;
 * - frequency trend: the drop of orders in the recent window against the one before it,
 *   (previous − recent) / previous, 0 when orders did not fall or there were none before;
 * - open complaints / `complaintsFull`, capped at 1;
 * - cases with a breached SLA in the look-back / `slaBreachesFull`, capped at 1.
 * Levels: high from 60, medium from 30. Reasons that give points are listed, largest first.
 */
export function churnRisk(input: ChurnInput, settings: ChurnSettings): ChurnRisk {
  const cap = (x: number) => Math.max(0, Math.min(1, x));
  const factors: [ChurnReasonCode, number, number, number][] = [
    [
      'recency',
      cap(input.daysSinceLastPurchase / settings.recencyFullDays),
      settings.weights.recency,
      input.daysSinceLastPurchase,
    ],
    [
      'frequency_trend',
      input.previousOrders > 0
        ? cap((input.previousOrders - input.recentOrders) / input.previousOrders)
        : 0,
      settings.weights.frequencyTrend,
      input.recentOrders - input.previousOrders,
    ],
    [
      'open_complaints',
      cap(input.openComplaints / settings.complaintsFull),
      settings.weights.openComplaints,
      input.openComplaints,
    ],
    [
      'sla_breaches',
      cap(input.slaBreaches / settings.slaBreachesFull),
      settings.weights.slaBreaches,
      input.slaBreaches,
    ],
  ];
  const reasons = factors
    .map(([code, factor, weight, value]) => ({
      code,
      points: Math.round(factor * weight * 100) / 100,
      value,
    }))
    .filter((r) => r.points > 0)
    .sort((a, b) => b.points - a.points);
  const score = Math.round(reasons.reduce((s, r) => s + r.points, 0));
  return { score, level: score >= 60 ? 'high' : score >= 30 ? 'medium' : 'low', reasons };
}
