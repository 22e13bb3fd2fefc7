import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { SqlParams } from '#platform/query/index.js';
import { CustomerScopes } from './customer-scopes.js';
import { VALUES_COLUMNS, type CustomerValuesRow } from './customer-values.js';

/** A contact's or an account's own figures, read live. */
export interface SubjectFacts {
  orders: number;
  revenue: string | null;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  openOpportunities: number | null;
  openOpportunityAmount: string | null;
  openCases: number | null;
  lastContactAt: Date | null;
  lastContactChannel: string | null;
  campaignResponses: number | null;
  lastResponseAt: Date | null;
  segments: { id: string; name: string }[];
}

/** Who the figures are about: a contact (with its account, if any) or an account. */
export interface Subject {
  kind: 'contacts' | 'accounts';
  id: string;
  accountId: string | null;
}

/** The SQL of customer analytics: read models and, for the live figures, operational tables. */
@Injectable()
export class CustomerAnalyticsRepository {
  constructor(
    private readonly db: DatabaseService,
    private readonly scopes: CustomerScopes,
  ) {}

  async values(ctx: RequestContext, accountId: string): Promise<CustomerValuesRow | null> {
    return this.db.one<CustomerValuesRow>(
      ctx,
      `SELECT ${VALUES_COLUMNS} FROM analytics_customer_values v JOIN accounts a ON a.id = v.account_id
        WHERE v.account_id = $1`,
      [accountId],
    );
  }

  /** Share of customers buying in the year before last who bought again in the last year. */
  async measuredRetention(ctx: RequestContext): Promise<string | null> {
    const row = await this.db.one<{ rate: string | null }>(
      ctx,
      `SELECT (count(*) FILTER (WHERE year_orders > 0)::numeric / nullif(count(*), 0))::text AS rate
         FROM analytics_customer_values WHERE prior_year_orders > 0`,
    );
    return row?.rate ?? null;
  }

  /**
   * What the churn score reads of an account's service: its open complaints and its cases
   * (the account's or its contacts') whose SLA was breached within the look-back.
   */
  async serviceSignals(
    ctx: RequestContext,
    accountId: string,
    lookbackDays: number,
  ): Promise<{ openComplaints: number; slaBreaches: number }> {
    const row = await this.db.one<{ openComplaints: number; slaBreaches: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE k.type = 'complaint' AND k.status NOT IN ('resolved', 'closed'))::int AS "openComplaints",
              count(*) FILTER (WHERE greatest(k.first_response_breached_at, k.resolution_breached_at)
                                     > now() - make_interval(days => $2::int))::int AS "slaBreaches"
         FROM cases k
        WHERE k.deleted_at IS NULL
          AND (k.account_id = $1::uuid
               OR k.contact_id IN (SELECT c.id FROM contacts c WHERE c.account_id = $1::uuid))`,
      [accountId, lookbackDays],
    );
    return row!;
  }

  /**
   * The live figures of a contact (its orders, opportunities, cases, contacts, responses,
   * segments) or of an account (those of the account and its contacts). Each entity counts
   * only what the caller may read of it, and is null when they may read none of it.
   */
  async facts(ctx: RequestContext, subject: Subject, currency: string): Promise<SubjectFacts> {
    const p = new SqlParams();
    const id = p.add(subject.id);
    const rc = p.add(currency);
    const isContact = subject.kind === 'contacts';
    const contacts = isContact
      ? `ARRAY[${id}::uuid]`
      : `ARRAY(SELECT c.id FROM contacts c WHERE c.account_id = ${id}::uuid AND c.deleted_at IS NULL)`;
    const ofOrder = isContact ? `o.contact_id = ${id}::uuid` : `o.account_id = ${id}::uuid`;
    const ofOpp = isContact
      ? `(o.primary_contact_id = ${id}::uuid OR o.contact_roles @> jsonb_build_array(jsonb_build_object('contactId', ${id}::text)))`
      : `o.account_id = ${id}::uuid`;
    const ofCase = isContact
      ? `k.contact_id = ${id}::uuid`
      : `(k.account_id = ${id}::uuid OR k.contact_id = ANY(${contacts}))`;
    const orderScope = this.scopes.scope(ctx, 'orders', 'o', p);
    const oppScope = this.scopes.scope(ctx, 'opportunities', 'o', p);
    const caseScope = this.scopes.scope(ctx, 'cases', 'k', p);
    const campaignScope = this.scopes.scope(ctx, 'campaigns', 'cp', p);
    const segmentScope = this.scopes.scope(ctx, 'segments', 's', p);
    const activityScope = this.scopes.scope(ctx, 'activities', 'x', p) ?? 'FALSE';
    const callScope = this.scopes.scope(ctx, 'calls', 'cl', p) ?? 'FALSE';
    const nullUnless = (scope: string | null, sql: string) => (scope ? sql : 'NULL');
    const row = await this.db.one<SubjectFacts>(
      ctx,
      `WITH sales AS (
         SELECT o.id, o.ordered_at,
                (SELECT sum(CASE WHEN l.currency = ${rc} THEN l.net_amount
                                 ELSE analytics_in_currency(l.net_amount, l.currency, l.booked_at::date, ${rc}) END)
                   FROM order_lines l WHERE l.order_id = o.id) AS net
           FROM orders o
          WHERE ${ofOrder} AND o.deleted_at IS NULL AND o.status <> 'cancelled' AND ${orderScope ?? 'FALSE'}),
       touch AS (
         SELECT x.occurred_at AS at, 'activity:' || x.type AS channel FROM activities x
          WHERE x.deleted_at IS NULL AND x.status = 'completed' AND ${activityScope}
            AND (x.participant_contact_ids && ${contacts}::text[]
                 ${isContact ? '' : `OR (x.related_entity = 'accounts' AND x.related_id = ${id}::uuid)`})
         UNION ALL
         SELECT cl.started_at, 'call' FROM calls cl
          WHERE cl.deleted_at IS NULL AND cl.contact_id = ANY(${contacts}) AND ${callScope}
         UNION ALL
         SELECT coalesce(m.sent_at, m.sending_at), 'message:' || m.channel FROM outbound_messages m
          WHERE m.contact_id = ANY(${contacts}) AND m.status IN ('sent', 'unconfirmed')),
       last_touch AS (SELECT at, channel FROM touch WHERE at IS NOT NULL ORDER BY at DESC LIMIT 1)
       SELECT (SELECT count(*) FROM sales)::int AS orders,
              (SELECT sum(net)::text FROM sales) AS revenue,
              (SELECT min(ordered_at) FROM sales) AS "firstPurchaseAt",
              (SELECT max(ordered_at) FROM sales) AS "lastPurchaseAt",
              ${nullUnless(oppScope, `(SELECT count(*) FROM opportunities o WHERE ${ofOpp} AND o.status = 'open' AND o.deleted_at IS NULL AND ${oppScope})::int`)} AS "openOpportunities",
              ${nullUnless(
                oppScope,
                `(SELECT sum(CASE WHEN o.amount_currency = ${rc} THEN o.amount_amount
                      ELSE analytics_in_currency(o.amount_amount, o.amount_currency, current_date, ${rc}) END)::text
                   FROM opportunities o WHERE ${ofOpp} AND o.status = 'open' AND o.deleted_at IS NULL AND ${oppScope})`,
              )} AS "openOpportunityAmount",
              ${nullUnless(caseScope, `(SELECT count(*) FROM cases k WHERE ${ofCase} AND k.deleted_at IS NULL AND k.status NOT IN ('resolved', 'closed') AND ${caseScope})::int`)} AS "openCases",
              (SELECT at FROM last_touch) AS "lastContactAt",
              (SELECT channel FROM last_touch) AS "lastContactChannel",
              ${nullUnless(campaignScope, `(SELECT count(*) FROM campaign_responses r JOIN campaigns cp ON cp.id = r.campaign_id WHERE r.contact_id = ANY(${contacts}) AND cp.deleted_at IS NULL AND ${campaignScope})::int`)} AS "campaignResponses",
              ${nullUnless(campaignScope, `(SELECT max(r.responded_at) FROM campaign_responses r JOIN campaigns cp ON cp.id = r.campaign_id WHERE r.contact_id = ANY(${contacts}) AND cp.deleted_at IS NULL AND ${campaignScope})`)} AS "lastResponseAt",
              coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name) ORDER BY s.name)
                 FROM segments s WHERE s.deleted_at IS NULL AND ${segmentScope ?? 'FALSE'}
                  AND EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = s.id AND sm.contact_id = ANY(${contacts}))), '[]') AS segments`,
      p.values,
    );
    return row!;
  }
}
