import { Inject, Injectable } from '@nestjs/common';
import { PreferencesService } from '#operational/marketing/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { AppError, QueryParams } from '#platform/http/index.js';
import { CustomerAnalyticsReadModels } from '../read-models/index.js';
import {
  CUSTOMER_ANALYTICS_SECTION,
  readModelParameters,
  type CustomerAnalyticsConfig,
} from './customer-analytics.config.js';
import { CustomerAnalyticsRepository } from './customer-analytics.repository.js';
import { CustomerSubjects, type CustomerSubject } from './customer-subjects.js';
import { churnRisk, customerLifetimeValue } from './customer-value-models.js';
import { ProfitabilityService } from './profitability/profitability.service.js';
import { RecommendationsRepository } from './recommendations/recommendations.repository.js';
import { SegmentationService } from './segmentation/segmentation.service.js';

/** Customer 360, next-best-offer and the on-demand refresh of the read models. */
@Injectable()
export class CustomerAnalyticsService {
  private readonly config: CustomerAnalyticsConfig;

  constructor(
    private readonly subjects: CustomerSubjects,
    private readonly repository: CustomerAnalyticsRepository,
    private readonly recommendationRules: RecommendationsRepository,
    private readonly profitability: ProfitabilityService,
    private readonly segmentation: SegmentationService,
    private readonly readModels: CustomerAnalyticsReadModels,
    private readonly preferences: PreferencesService,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = CUSTOMER_ANALYTICS_SECTION.read(crm);
  }

  private money(amount: Money | string | number | null) {
    const currency = this.config.reportingCurrency;
    return amount === null ? null : { amount: roundMoney(amount, currency), currency };
  }

  /** Everything known of one customer, each part within the caller's permissions. */
  async profile(ctx: RequestContext, id: string) {
    const subject = await this.subjects.resolve(ctx, id);
    const currency = this.config.reportingCurrency;
    const accountId = subject.account?.id ?? null;
    const [facts, values, freshness, preferences, lifetime, retentionRate, signals] =
      await Promise.all([
        this.repository.facts(ctx, { ...subject, accountId }, currency),
        accountId ? this.repository.values(ctx, accountId) : null,
        this.readModels.freshness(ctx),
        this.preferencesOf(ctx, subject),
        accountId ? this.profitability.lifetime(ctx, accountId) : null,
        this.retentionRate(ctx),
        accountId
          ? this.repository.serviceSignals(ctx, accountId, this.config.churn.slaLookbackDays)
          : null,
      ]);
    const revenue = facts.revenue === null ? null : new Money(facts.revenue);
    return {
      // Purchases, contacts and profitability count only the records the caller may read, so
      // they come live from the operational records; scores come from the shared read model.
      freshness: {
        liveAsOf: new Date().toISOString(),
        live: [
          'purchases',
          'openOpportunities',
          'openCases',
          'lastContact',
          'campaignResponses',
          'preferences',
          'segments',
          'profitability',
        ],
        readModelAsOf: freshness.valuesAsOf,
        readModel: ['rfm', 'clv', 'churnRisk'],
      },
      customer: {
        kind: subject.kind === 'contacts' ? 'contact' : 'account',
        id: subject.id,
        name: subject.name,
      },
      account: subject.account,
      currency,
      dataAsOf: freshness.valuesAsOf,
      purchases: {
        orders: facts.orders,
        lifetimeRevenue: this.money(revenue ?? 0),
        averageOrderValue:
          revenue && facts.orders > 0 ? this.money(revenue.div(facts.orders)) : null,
        firstPurchaseAt: facts.firstPurchaseAt?.toISOString() ?? null,
        lastPurchaseAt: facts.lastPurchaseAt?.toISOString() ?? null,
      },
      openOpportunities:
        facts.openOpportunities === null
          ? null
          : {
              count: facts.openOpportunities,
              amount: this.money(facts.openOpportunityAmount ?? 0),
            },
      openCases: facts.openCases,
      lastContact: facts.lastContactAt
        ? { at: facts.lastContactAt.toISOString(), channel: facts.lastContactChannel }
        : null,
      campaignResponses:
        facts.campaignResponses === null
          ? null
          : { count: facts.campaignResponses, lastAt: facts.lastResponseAt?.toISOString() ?? null },
      preferences,
      segments: facts.segments,
      rfm: values ? this.segmentation.rfmOf(values) : null,
      profitability: lifetime,
      clv:
        values && retentionRate !== null
          ? this.clv(values.revenue, values.productCost, values.firstPurchaseAt, retentionRate)
          : null,
      churnRisk:
        values && signals
          ? churnRisk(
              {
                daysSinceLastPurchase: Math.floor(
                  (Date.now() - values.lastPurchaseAt.getTime()) / 86_400_000,
                ),
                recentOrders: values.trendRecentOrders,
                previousOrders: values.trendPreviousOrders,
                ...signals,
              },
              this.config.churn,
            )
          : null,
    };
  }

  /** Products to offer next, best first, with the rules that suggest them. */
  async recommendations(ctx: RequestContext, id: string, query: Record<string, unknown>) {
    const params = new QueryParams(query, ['limit']);
    const limit = params.integer('limit', 1, 100, 10);
    params.done();
    const subject = await this.subjects.resolveAccount(ctx, id);
    const excluded = await this.excludedFamilies(ctx, subject);
    const [rows, freshness] = await Promise.all([
      this.recommendationRules.forAccount(ctx, subject.account.id, excluded, limit!),
      this.readModels.freshness(ctx),
    ]);
    return {
      customer: { kind: subject.kind === 'contacts' ? 'contact' : 'account', id: subject.id },
      account: subject.account,
      dataAsOf: freshness.rulesAsOf,
      excludedFamilyIds: excluded,
      data: rows.map((r) => ({
        productId: r.productId,
        sku: r.sku,
        name: r.name,
        familyId: r.familyId,
        confidence: Number(r.confidence),
        lift: Number(r.lift),
        support: Number(r.support),
        becauseOf: r.because.sort(),
      })),
    };
  }

  /** Rebuilds the read models now (admins), instead of waiting for the schedule. */
  async refresh(ctx: RequestContext) {
    this.permissions.requireAdmin(ctx.user);
    return this.readModels.refreshAll(ctx, readModelParameters(this.config));
  }

  /**
   * CLV by the retention model (see customerLifetimeValue), from the customer's gross
   * profit so far (net revenue − product cost) and the yearly retention rate.
   */
  private clv(revenue: string, productCost: string, firstPurchaseAt: Date, retentionRate: string) {
    const { annualMargin, clv } = customerLifetimeValue({
      grossProfit: new Money(revenue).minus(productCost).toString(),
      firstPurchaseAt,
      asOf: new Date(),
      retentionRate,
      discountRate: this.config.clv.discountRate,
    });
    return {
      model: 'retention' as const,
      annualMargin: this.money(annualMargin),
      retentionRate: Number(retentionRate),
      discountRate: Number(this.config.clv.discountRate),
      value: this.money(clv),
    };
  }

  /** The configured rate, or the one measured; null when neither is known or it is 1. */
  private async retentionRate(ctx: RequestContext): Promise<string | null> {
    const rate = this.config.clv.retentionRate ?? (await this.repository.measuredRetention(ctx));
    return rate === null || new Money(rate).gte(1) ? null : rate;
  }

  private async preferencesOf(ctx: RequestContext, subject: CustomerSubject) {
    if (subject.kind !== 'contacts') return null;
    try {
      return await this.preferences.get(ctx, subject.id);
    } catch (e) {
      if (e instanceof AppError && (e.status === 403 || e.status === 404)) return null;
      throw e;
    }
  }

  /**
   * Families a contact's preferences rule out: those mapped to a topic the contact did not
   * choose (once they chose any) or every mapped family after an unsubscribe. An account has
   * no preferences of its own, so nothing is ruled out for it.
   */
  private async excludedFamilies(ctx: RequestContext, subject: CustomerSubject) {
    const mapped = Object.entries(this.config.recommendations.familyTopics);
    if (subject.kind !== 'contacts' || mapped.length === 0) return [];
    const prefs = await this.preferencesOf(ctx, subject);
    if (!prefs) return [];
    if (prefs.unsubscribedAt) return mapped.map(([family]) => family).sort();
    if (prefs.topics.length === 0) return [];
    return mapped
      .filter(([, topic]) => !prefs.topics.includes(topic))
      .map(([family]) => family)
      .sort();
  }
}
