import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { QueryParams } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { decodeAnalyticsCursor, encodeAnalyticsCursor, periodOf } from '../analytics-query.js';
import {
  CUSTOMER_ANALYTICS_SECTION,
  type CustomerAnalyticsConfig,
} from '../customer-analytics.config.js';
import { CustomerScopes } from '../customer-scopes.js';
import { CustomerSubjects } from '../customer-subjects.js';
import { PROFIT_COLUMNS, profitabilitySql, type ProfitColumn } from './profitability-sql.js';

type Totals = Record<ProfitColumn, string> & { accountId: string };
type LedgerRow = Record<ProfitColumn, string | null> & {
  accountId: string;
  source: string;
  sourceId: string;
  at: Date;
  detail: Record<string, unknown>;
};

const MAX_LINES = 2000;

/**
 * A statement is read live, not from a read model: each ledger line points at its source
 * record, a period can be any range of days, and (in the list) a customer's figures count
 * within the caller's scope. bench/customer-analytics.ts times it against hand-written SQL.
 */
const LIVE = () => ({
  liveAsOf: new Date().toISOString(),
  live: ['revenue', 'costs', 'lines'],
  readModelAsOf: null,
  readModel: [],
});

/** Today's date in a time zone, `YYYY-MM-DD`. */
export function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
}

/** Customer profitability: per customer with its ledger, and for every customer in scope. */
@Injectable()
export class ProfitabilityService {
  private readonly config: CustomerAnalyticsConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly scopes: CustomerScopes,
    private readonly subjects: CustomerSubjects,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = CUSTOMER_ANALYTICS_SECTION.read(crm);
  }

  private input(period: { from: string | null; to: string }) {
    return {
      currency: this.config.reportingCurrency,
      timeZone: this.crm.organization.timeZone,
      ...period,
      ...this.config.costs,
    };
  }

  /** The statement of one customer (a contact answers for its account) with its ledger. */
  async statement(ctx: RequestContext, id: string, query: Record<string, unknown>) {
    const subject = await this.subjects.resolveAccount(ctx, id);
    const params = new QueryParams(query, ['from', 'to']);
    const period = periodOf(params, todayIn(this.crm.organization.timeZone))!;
    params.done();
    const p = new SqlParams();
    const sql = profitabilitySql(p, {
      ...this.input(period),
      customers: `a.id = ${p.add(subject.account.id)}::uuid`,
      lines: true,
    });
    const lines = await this.db.query<LedgerRow>(ctx, sql, p.values);
    const totals = Object.fromEntries(
      PROFIT_COLUMNS.map((c) => [
        c,
        lines.reduce((s, l) => s.plus(l[c] ?? 0), new Money(0)).toString(),
      ]),
    ) as Record<ProfitColumn, string>;
    const currency = this.config.reportingCurrency;
    return {
      customer: { kind: subject.kind === 'contacts' ? 'contact' : 'account', id: subject.id },
      account: subject.account,
      period: { ...period, timeZone: this.crm.organization.timeZone },
      ...this.figures(totals),
      lines: lines.slice(0, MAX_LINES).map((l) => ({
        source: l.source,
        sourceId: l.sourceId,
        at: l.at.toISOString(),
        detail: l.detail,
        amounts: Object.fromEntries(
          PROFIT_COLUMNS.filter((c) => l[c] !== null).map((c) => [
            camel(c),
            { amount: roundMoney(l[c], currency), currency },
          ]),
        ),
      })),
      linesTruncated: lines.length > MAX_LINES,
      freshness: LIVE(),
    };
  }

  /** Every customer in scope with a purchase, a page at a time by account id. */
  async list(ctx: RequestContext, query: Record<string, unknown>) {
    this.subjects.requireAnalytics(ctx);
    const params = new QueryParams(query, ['from', 'to', 'limit', 'cursor']);
    const period = periodOf(params, todayIn(this.crm.organization.timeZone))!;
    const limit = params.integer('limit', 1, 500, 50);
    const cursor = params.text('cursor');
    params.done();
    const after = decodeAnalyticsCursor(cursor, 1)?.[0] ?? null;
    const p = new SqlParams();
    const scope = this.scopes.accountScope(ctx, p);
    const sql = profitabilitySql(p, {
      ...this.input(period),
      customers: `${scope} AND EXISTS (SELECT 1 FROM analytics_purchases ap WHERE ap.account_id = a.id)`,
      lines: false,
      page: { after, limit: limit! },
    });
    const rows = await this.db.query<Totals>(ctx, sql, p.values);
    return {
      period: { ...period, timeZone: this.crm.organization.timeZone },
      data: rows.map((r) => ({ accountId: r.accountId, ...this.figures(r) })),
      freshness: LIVE(),
      meta: {
        limit: limit!,
        nextCursor:
          rows.length === limit ? encodeAnalyticsCursor([rows[rows.length - 1].accountId]) : null,
      },
    };
  }

  /** Lifetime totals of one account, for its profile. */
  async lifetime(ctx: RequestContext, accountId: string) {
    const p = new SqlParams();
    const sql = profitabilitySql(p, {
      ...this.input({ from: null, to: todayIn(this.crm.organization.timeZone) }),
      customers: `a.id = ${p.add(accountId)}::uuid`,
      lines: false,
      page: { after: null, limit: 1 },
    });
    const row = await this.db.one<Totals>(ctx, sql, p.values);
    return this.figures(row!);
  }

  /** Revenue, costs and profit from the summed columns, rounded to the currency. */
  private figures(t: Record<ProfitColumn, string>) {
    const currency = this.config.reportingCurrency;
    const money = (v: Money) => ({ amount: roundMoney(v, currency), currency });
    const d = (c: ProfitColumn) => new Money(t[c]);
    const net = d('gross_sales').minus(d('discounts')).minus(d('returns'));
    const grossProfit = net.minus(d('product_cost'));
    const profit = grossProfit
      .minus(d('acquisition'))
      .minus(d('enhancement'))
      .minus(d('retention'));
    return {
      revenue: {
        grossSales: money(d('gross_sales')),
        discounts: money(d('discounts')),
        returns: money(d('returns')),
        netRevenue: money(net),
      },
      costs: {
        productCost: money(d('product_cost')),
        costOfServing: money(d('discounts').plus(d('product_cost'))),
        acquisition: money(d('acquisition')),
        enhancement: money(d('enhancement')),
        retention: money(d('retention')),
      },
      grossProfit: money(grossProfit),
      profit: money(profit),
    };
  }
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
