import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { QueryParams } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { CustomerAnalyticsReadModels } from '../../read-models/index.js';
import { decodeAnalyticsCursor, encodeAnalyticsCursor } from '../analytics-query.js';
import {
  CUSTOMER_ANALYTICS_SECTION,
  type CustomerAnalyticsConfig,
} from '../customer-analytics.config.js';
import { CustomerScopes } from '../customer-scopes.js';
import type { CustomerValuesRow } from '../customer-values.js';
import { CustomerSubjects } from '../customer-subjects.js';
import { RFM_SEGMENTS } from './rfm-segments.js';
import { SegmentationRepository } from './segmentation.repository.js';

const PARETO_LIST_MAX = 500;

/** RFM, value tiers, Pareto and cohorts over the customers the caller may read. */
@Injectable()
export class SegmentationService {
  private readonly config: CustomerAnalyticsConfig;

  constructor(
    private readonly repository: SegmentationRepository,
    private readonly scopes: CustomerScopes,
    private readonly subjects: CustomerSubjects,
    private readonly readModels: CustomerAnalyticsReadModels,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = CUSTOMER_ANALYTICS_SECTION.read(crm);
  }

  private money(amount: Money | string | number | null) {
    const currency = this.config.reportingCurrency;
    return { amount: roundMoney(amount ?? 0, currency), currency };
  }

  /** A customer's RFM figures as the API shows them. */
  rfmOf(v: CustomerValuesRow) {
    const asOf = v.dataAsOf.getTime();
    return {
      recencyDays: Math.floor((asOf - v.lastPurchaseAt.getTime()) / 86_400_000),
      frequency: v.windowOrders,
      monetary: this.money(v.windowRevenue),
      r: v.rScore,
      f: v.fScore,
      m: v.mScore,
      score: `${v.rScore}${v.fScore}${v.mScore}`,
      segment: v.segment,
      tier: v.tier,
    };
  }

  async rfm(ctx: RequestContext, query: Record<string, unknown>) {
    this.subjects.requireAnalytics(ctx);
    const params = new QueryParams(query, ['segment', 'tier', 'limit', 'cursor']);
    const segment = params.oneOf('segment', RFM_SEGMENTS, null);
    const tiers = [...this.config.valueTiers.map((t) => t.key), this.config.baseTier];
    const tier = params.oneOf('tier', tiers, null);
    const limit = params.integer('limit', 1, 500, 50);
    const cursor = params.text('cursor');
    params.done();
    const after = decodeAnalyticsCursor(cursor, 2);
    const scoped = () => {
      const p = new SqlParams();
      return { p, scope: this.scopes.accountScope(ctx, p) };
    };
    const bySegment = scoped();
    const byTier = scoped();
    const list = scoped();
    const [segments, tierRows, rows, freshness] = await Promise.all([
      this.repository.distribution(ctx, bySegment.p, bySegment.scope, 'segment'),
      this.repository.distribution(ctx, byTier.p, byTier.scope, 'tier'),
      this.repository.customers(
        ctx,
        list.p,
        list.scope,
        { segment: segment ?? undefined, tier: tier ?? undefined },
        after ? { revenue: after[0], id: after[1] } : null,
        limit!,
      ),
      this.readModels.freshness(ctx),
    ]);
    const last = rows[rows.length - 1];
    return {
      dataAsOf: freshness.valuesAsOf,
      windowDays: this.config.rfm.windowDays,
      segments: segments.map((s) => ({
        segment: s.key,
        customers: s.customers,
        revenue: this.money(s.revenue),
      })),
      tiers: tierRows.map((s) => ({
        tier: s.key,
        customers: s.customers,
        revenue: this.money(s.revenue),
      })),
      data: rows.map((v) => ({
        accountId: v.accountId,
        accountName: v.accountName,
        lifetimeRevenue: this.money(v.revenue),
        orders: v.orders,
        lastPurchaseAt: v.lastPurchaseAt.toISOString(),
        ...this.rfmOf(v),
      })),
      meta: {
        limit: limit!,
        nextCursor:
          rows.length === limit && last
            ? encodeAnalyticsCursor([last.revenue, last.accountId])
            : null,
      },
    };
  }

  async pareto(ctx: RequestContext, query: Record<string, unknown>) {
    this.subjects.requireAnalytics(ctx);
    const params = new QueryParams(query, ['topPercent', 'limit']);
    const topPercent = params.integer('topPercent', 1, 100, 20);
    const limit = params.integer('limit', 1, PARETO_LIST_MAX, 100);
    params.done();
    const p = new SqlParams();
    const scope = this.scopes.accountScope(ctx, p);
    const [row, freshness] = await Promise.all([
      this.repository.pareto(ctx, p, scope, topPercent!, limit!),
      this.readModels.freshness(ctx),
    ]);
    const share = (part: string, whole: string) =>
      new Money(whole).isZero() ? null : new Money(part).div(whole).toDecimalPlaces(4).toNumber();
    return {
      dataAsOf: freshness.valuesAsOf,
      topPercent: topPercent!,
      customers: row.customers,
      topCustomers: row.topCustomers,
      revenue: this.money(row.revenue),
      topRevenue: this.money(row.topRevenue),
      revenueShare: share(row.topRevenue, row.revenue),
      grossProfit: this.money(row.grossProfit),
      topGrossProfit: this.money(row.topGrossProfit),
      grossProfitShare: share(row.topGrossProfit, row.grossProfit),
      top: row.top.map((t) => ({
        accountId: t.accountId,
        accountName: t.accountName,
        revenue: this.money(t.revenue),
        grossProfit: this.money(t.grossProfit),
      })),
      topTruncated: row.topCustomers > row.top.length,
    };
  }

  async cohorts(ctx: RequestContext, query: Record<string, unknown>) {
    this.subjects.requireAnalytics(ctx);
    const params = new QueryParams(query, ['from', 'to', 'months']);
    const month = (name: string) => {
      const value = params.text(name, true);
      if (value === undefined) return undefined;
      if (/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return value;
      params.fail(name, 'isMonth', 'must be a month YYYY-MM');
      return undefined;
    };
    const from = month('from');
    const to = month('to');
    const months = params.integer('months', 1, 60, 12);
    if (from && to && to < from) params.fail('to', 'min', 'must not be before from');
    else if (from && to && monthsBetween(from, to) >= 120)
      params.fail('to', 'max', 'must be less than 120 months after from');
    params.done();
    const p = new SqlParams();
    const scope = this.scopes.accountScope(ctx, p);
    const rows = await this.repository.cohorts(
      ctx,
      p,
      scope,
      this.crm.organization.timeZone,
      `${from}-01`,
      `${to}-01`,
      months!,
    );
    return {
      from: from!,
      to: to!,
      months: months!,
      timeZone: this.crm.organization.timeZone,
      cohorts: rows.map((r) => ({
        cohort: r.cohort,
        customers: r.customers,
        active: r.active,
        retention: r.active.map((a) => Math.round((a / r.customers) * 10_000) / 10_000),
      })),
    };
  }
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}
