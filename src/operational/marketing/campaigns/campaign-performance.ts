import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { MEMBER_STATUSES } from './campaign-member-status.js';
import { CampaignCosts } from './campaign-costs.js';
import { CampaignsService } from './campaigns.service.js';

const RATE_DIGITS = 4;

/**
 * How a campaign did: members by status, responses and leads, cost per lead, conversion
 * rates, the revenue of the orders credited to it (directly, or through a credited
 * opportunity) and ROI = (revenue − actual cost) / actual cost, all in decimal.
 */
@Injectable()
export class CampaignPerformance {
  constructor(
    private readonly db: DatabaseService,
    private readonly campaigns: CampaignsService,
    private readonly costs: CampaignCosts,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async of(ctx: RequestContext, id: string) {
    const { record } = await this.campaigns.get(ctx, id);
    const currency =
      (record.budget as { currency: string } | null)?.currency ??
      this.config.organization.defaultCurrency;
    const byStatus = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, 0])) as Record<
      string,
      number
    >;
    const counts = await this.db.query<{ status: string; n: number }>(
      ctx,
      `SELECT status, count(*)::int AS n FROM campaign_members WHERE campaign_id = $1 GROUP BY status`,
      [id],
    );
    for (const c of counts) byStatus[c.status] = c.n;
    const members = counts.reduce((s, c) => s + c.n, 0);
    const responses = await this.db.one<{ responses: number; leads: number }>(
      ctx,
      `SELECT count(*)::int AS responses, count(lead_id)::int AS leads
         FROM campaign_responses WHERE campaign_id = $1`,
      [id],
    );
    const revenue = await this.db.one<{ amount: string }>(
      ctx,
      `SELECT coalesce(sum(o.subtotal_amount), 0)::text AS amount FROM orders o
        WHERE o.deleted_at IS NULL AND o.status <> 'cancelled' AND o.currency = $2
          AND (o.id IN (SELECT record_id FROM campaign_attributions WHERE campaign_id = $1 AND entity = 'orders')
               OR o.opportunity_id IN (SELECT record_id FROM campaign_attributions
                                        WHERE campaign_id = $1 AND entity = 'opportunities'))`,
      [id, currency],
    );
    const totals = await this.costs.totals(ctx, id, currency);
    const actual = new Money(totals.actual.amount);
    const earned = new Money(revenue!.amount);
    const leads = responses!.leads;
    const rate = (n: number) => (members ? new Money(n).div(members).toFixed(RATE_DIGITS) : null);
    return {
      currency,
      memberCount: members,
      membersByStatus: byStatus,
      responses: responses!.responses,
      leads,
      plannedCost: totals.planned,
      actualCost: totals.actual,
      costPerLead: leads ? { amount: roundMoney(actual.div(leads), currency), currency } : null,
      responseRate: rate(byStatus.responded + byStatus.converted),
      conversionRate: rate(byStatus.converted),
      attributedRevenue: { amount: roundMoney(earned, currency), currency },
      roi: actual.isZero() ? null : earned.minus(actual).div(actual).toFixed(RATE_DIGITS),
    };
  }
}
