import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { SqlParams } from '#platform/query/index.js';
import { VALUES_COLUMNS, type CustomerValuesRow } from '../customer-values.js';

export interface DistributionRow {
  key: string;
  customers: number;
  revenue: string;
}

export interface ParetoRow {
  customers: number;
  topCustomers: number;
  revenue: string;
  topRevenue: string;
  grossProfit: string;
  topGrossProfit: string;
  top: { accountId: string; accountName: string; revenue: string; grossProfit: string }[];
}

export interface CohortRow {
  cohort: string;
  customers: number;
  active: number[];
}

/**
 * RFM lists and distributions, Pareto and cohorts, over the read model of customer values.
 * `scope` is the caller's predicate over accounts `a` with its parameters in `p`.
 */
@Injectable()
export class SegmentationRepository {
  constructor(private readonly db: DatabaseService) {}

  async distribution(
    ctx: RequestContext,
    p: SqlParams,
    scope: string,
    column: 'segment' | 'tier',
  ): Promise<DistributionRow[]> {
    return this.db.query<DistributionRow>(
      ctx,
      `SELECT v.${column} AS key, count(*)::int AS customers, sum(v.revenue)::text AS revenue
         FROM analytics_customer_values v JOIN accounts a ON a.id = v.account_id
        WHERE a.deleted_at IS NULL AND ${scope}
        GROUP BY v.${column} ORDER BY v.${column}`,
      p.values,
    );
  }

  /** Customers by lifetime revenue, highest first, keyset after (revenue, id). */
  async customers(
    ctx: RequestContext,
    p: SqlParams,
    scope: string,
    filter: { segment?: string; tier?: string },
    after: { revenue: string; id: string } | null,
    limit: number,
  ): Promise<CustomerValuesRow[]> {
    const where = [`a.deleted_at IS NULL`, scope];
    if (filter.segment) where.push(`v.segment = ${p.add(filter.segment)}`);
    if (filter.tier) where.push(`v.tier = ${p.add(filter.tier)}`);
    if (after)
      where.push(
        `(v.revenue, v.account_id) < (${p.add(after.revenue)}::numeric, ${p.add(after.id)}::uuid)`,
      );
    return this.db.query<CustomerValuesRow>(
      ctx,
      `SELECT ${VALUES_COLUMNS} FROM analytics_customer_values v JOIN accounts a ON a.id = v.account_id
        WHERE ${where.join(' AND ')}
        ORDER BY v.revenue DESC, v.account_id DESC LIMIT ${p.add(limit)}`,
      p.values,
    );
  }

  /**
   * The top ⌈N% × customers⌉ customers by lifetime revenue (ties by id) among those the
   * caller sees, and their share of revenue and of gross profit (revenue − product cost).
   */
  async pareto(
    ctx: RequestContext,
    p: SqlParams,
    scope: string,
    topPercent: number,
    listLimit: number,
  ): Promise<ParetoRow> {
    const row = await this.db.one<ParetoRow>(
      ctx,
      `WITH seen AS (
         SELECT v.account_id, a.name, v.revenue, v.revenue - v.product_cost AS profit,
                row_number() OVER (ORDER BY v.revenue DESC, v.account_id) AS rank
           FROM analytics_customer_values v JOIN accounts a ON a.id = v.account_id
          WHERE a.deleted_at IS NULL AND ${scope}),
       n AS (SELECT count(*)::int AS customers, ceil(count(*) * ${p.add(topPercent)}::numeric / 100)::int AS top FROM seen)
       SELECT n.customers, n.top AS "topCustomers",
              coalesce(sum(s.revenue), 0)::text AS revenue,
              coalesce(sum(s.revenue) FILTER (WHERE s.rank <= n.top), 0)::text AS "topRevenue",
              coalesce(sum(s.profit), 0)::text AS "grossProfit",
              coalesce(sum(s.profit) FILTER (WHERE s.rank <= n.top), 0)::text AS "topGrossProfit",
              coalesce((SELECT jsonb_agg(jsonb_build_object('accountId', t.account_id, 'accountName', t.name,
                                 'revenue', t.revenue::text, 'grossProfit', t.profit::text) ORDER BY t.rank)
                          FROM seen t WHERE t.rank <= least(n.top, ${p.add(listLimit)})), '[]') AS top
         FROM n LEFT JOIN seen s ON true
        GROUP BY n.customers, n.top`,
      p.values,
    );
    return row!;
  }

  /**
   * Cohorts by the month of the first purchase (organization time zone) from `from` to `to`
   * (first days of months), and for each month offset 0…`months`−1 how many of the cohort
   * bought in that month.
   */
  async cohorts(
    ctx: RequestContext,
    p: SqlParams,
    scope: string,
    zone: string,
    from: string,
    to: string,
    months: number,
  ): Promise<CohortRow[]> {
    const tz = p.add(zone);
    return this.db.query<CohortRow>(
      ctx,
      `WITH buys AS (
         SELECT DISTINCT o.account_id, date_trunc('month', o.ordered_at AT TIME ZONE ${tz})::date AS month
           FROM analytics_purchases o JOIN accounts a ON a.id = o.account_id
          WHERE a.deleted_at IS NULL AND ${scope}),
       firsts AS (SELECT account_id, min(month) AS cohort FROM buys GROUP BY account_id),
       members AS (
         SELECT f.cohort, f.account_id FROM firsts f
          WHERE f.cohort >= ${p.add(from)}::date AND f.cohort <= ${p.add(to)}::date),
       sizes AS (SELECT cohort, count(*)::int AS n FROM members GROUP BY cohort),
       activity AS (
         SELECT m.cohort,
                ((extract(year FROM b.month) - extract(year FROM m.cohort)) * 12
                  + extract(month FROM b.month) - extract(month FROM m.cohort))::int AS k,
                count(*)::int AS active
           FROM members m JOIN buys b ON b.account_id = m.account_id
          GROUP BY 1, 2)
       SELECT to_char(s.cohort, 'YYYY-MM') AS cohort, s.n AS customers,
              array_agg(coalesce(x.active, 0) ORDER BY o.k) AS active
         FROM sizes s
         CROSS JOIN generate_series(0, ${p.add(months - 1)}::int) o(k)
         LEFT JOIN activity x ON x.cohort = s.cohort AND x.k = o.k
        GROUP BY s.cohort, s.n ORDER BY s.cohort`,
      p.values,
    );
  }
}
