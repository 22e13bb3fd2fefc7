import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

/** What campaign history measured for one segment × channel. */
export interface MeasuredRates {
  segment: string;
  channel: string;
  /** Campaign members (contact × campaign) in the window. */
  contacts: number;
  /** Of those, the ones with a response to their campaign. */
  responses: number;
  /** Σ each member's share of its campaign's actual cost (cost ÷ the campaign's members). */
  cost: string;
  /** Σ margin (net − product cost) of orders credited to the campaign from the members' accounts. */
  margin: string;
}

/**
 * Campaign history by segment × channel, for the budget planner. A member belongs to the
 * segment its account has in the customer values read model (an RFM segment, e.g.
 * `champions`, or a value tier, e.g. `gold`); a campaign's channel is its channel, else its
 * type. Money is converted to `currency` at the rate of its day.
 */
@Injectable()
export class BudgetHistoryRepository {
  constructor(private readonly db: DatabaseService) {}

  async measure(
    ctx: RequestContext,
    pairs: readonly { segment: string; channel: string }[],
    currency: string,
    historyDays: number,
  ): Promise<MeasuredRates[]> {
    const conv = (amount: string, cur: string, day: string) =>
      `CASE WHEN ${cur} = $3 THEN ${amount} ELSE analytics_in_currency(${amount}, ${cur}, (${day})::date, $3) END`;
    return this.db.query<MeasuredRates>(
      ctx,
      `WITH pairs AS (SELECT * FROM unnest($1::text[], $2::text[]) AS p(segment, channel)),
       touches AS (
         SELECT m.campaign_id, m.contact_id, ct.account_id, coalesce(g.channel, g.type) AS channel,
                v.segment, v.tier,
                EXISTS (SELECT 1 FROM campaign_responses r
                         WHERE r.campaign_id = m.campaign_id AND r.contact_id = m.contact_id) AS responded
           FROM campaign_members m
           JOIN campaigns g ON g.id = m.campaign_id AND g.deleted_at IS NULL
           JOIN contacts ct ON ct.id = m.contact_id
           JOIN analytics_customer_values v ON v.account_id = ct.account_id
          WHERE m.added_at >= now() - make_interval(days => $4::int)),
       chosen AS (
         SELECT p.segment AS key, p.channel AS channel_key, t.*
           FROM pairs p JOIN touches t ON t.channel = p.channel AND (t.segment = p.segment OR t.tier = p.segment)),
       sizes AS (
         SELECT campaign_id, count(*) AS n FROM campaign_members
          WHERE campaign_id IN (SELECT campaign_id FROM chosen) GROUP BY campaign_id),
       costs AS (
         SELECT campaign_id, sum(${conv('amount', 'currency', 'incurred_on')}) AS cost FROM campaign_costs
          WHERE kind = 'actual' AND campaign_id IN (SELECT campaign_id FROM chosen) GROUP BY campaign_id),
       credited AS (
         SELECT DISTINCT c.key, c.channel_key, c.campaign_id, c.account_id FROM chosen c),
       margins AS (
         SELECT cr.key, cr.channel_key,
                sum(${conv('l.net_amount', 'l.currency', 'l.booked_at')}
                    - l.quantity * coalesce(${conv('pr.cost_price_amount', 'pr.cost_price_currency', 'l.booked_at')}, 0)) AS margin
           FROM credited cr
           JOIN campaign_attributions ca ON ca.campaign_id = cr.campaign_id AND ca.entity = 'orders'
           JOIN analytics_purchases o ON o.id = ca.record_id AND o.account_id = cr.account_id
           JOIN order_lines l ON l.order_id = o.id
           JOIN products pr ON pr.id = l.product_id
          GROUP BY cr.key, cr.channel_key)
       SELECT p.segment, p.channel,
              count(c.contact_id)::int AS contacts,
              (count(*) FILTER (WHERE c.responded))::int AS responses,
              coalesce(sum(coalesce(k.cost, 0) / s.n), 0)::text AS cost,
              coalesce(min(mg.margin), 0)::text AS margin
         FROM pairs p
         LEFT JOIN chosen c ON c.key = p.segment AND c.channel_key = p.channel
         LEFT JOIN sizes s ON s.campaign_id = c.campaign_id
         LEFT JOIN costs k ON k.campaign_id = c.campaign_id
         LEFT JOIN margins mg ON mg.key = p.segment AND mg.channel_key = p.channel
        GROUP BY p.segment, p.channel`,
      [pairs.map((p) => p.segment), pairs.map((p) => p.channel), currency, historyDays],
    );
  }
}
