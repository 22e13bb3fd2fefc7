import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';

export interface MoneyTotal {
  amount: string;
  currency: string;
}

export interface PartnerPerformance {
  partnerId: string;
  from: string;
  to: string;
  registrations: { submitted: number; approved: number; rejected: number; expired: number };
  deals: { won: number; lost: number; open: number };
  /** Won deals over decided ones (won + lost), as a decimal string; null with none decided. */
  winRate: string | null;
  revenueWon: MoneyTotal[];
  averageDealSize: MoneyTotal[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A partner's figures over a window of days: registrations by outcome, deals and revenue. */
@Injectable()
export class PartnerPerformanceService {
  constructor(private readonly db: DatabaseService) {}

  /** `from` and `to` are inclusive calendar days; the default is the last 365 days. */
  window(from: unknown, to: unknown): { from: string; to: string } {
    const errors = (
      [
        ['from', from],
        ['to', to],
      ] as const
    )
      .filter(
        ([, v]) =>
          v !== undefined && (typeof v !== 'string' || !DAY.test(v) || isNaN(Date.parse(v))),
      )
      .map(([field]) => ({ field, rule: 'isDate', message: 'must be a date (YYYY-MM-DD)' }));
    if (errors.length) throw AppError.validation(errors);
    const end = (to as string | undefined) ?? new Date().toISOString().slice(0, 10);
    const start =
      (from as string | undefined) ??
      new Date(Date.parse(end) - 364 * 86_400_000).toISOString().slice(0, 10);
    if (start > end) throw AppError.field('from', 'beforeTo', 'must not be after to');
    return { from: start, to: end };
  }

  async of(
    ctx: RequestContext,
    partnerId: string,
    window: { from: string; to: string },
  ): Promise<PartnerPerformance> {
    const range = [partnerId, window.from, window.to];
    const regs = await this.db.one<
      Record<'submitted' | 'approved' | 'rejected' | 'expired', string>
    >(
      ctx,
      `SELECT count(*) AS submitted,
              count(*) FILTER (WHERE status IN ('approved', 'expired')) AS approved,
              count(*) FILTER (WHERE status = 'rejected') AS rejected,
              count(*) FILTER (WHERE status = 'expired') AS expired
         FROM deal_registrations
        WHERE partner_id = $1 AND created_at >= $2::date AND created_at < $3::date + 1`,
      range,
    );
    const deals = await this.db.one<{ won: string; lost: string; open: string }>(
      ctx,
      `SELECT count(*) FILTER (WHERE o.status = 'won' AND o.closed_at >= $2::date AND o.closed_at < $3::date + 1) AS won,
              count(*) FILTER (WHERE o.status = 'lost' AND o.closed_at >= $2::date AND o.closed_at < $3::date + 1) AS lost,
              count(*) FILTER (WHERE o.status = 'open') AS open
         FROM partner_opportunities po JOIN opportunities o ON o.id = po.opportunity_id AND o.deleted_at IS NULL
        WHERE po.partner_id = $1`,
      range,
    );
    const money = await this.db.query<{ currency: string; total: string; average: string }>(
      ctx,
      `SELECT o.amount_currency AS currency, sum(o.amount_amount)::text AS total,
              round(avg(o.amount_amount), 2)::text AS average
         FROM partner_opportunities po JOIN opportunities o ON o.id = po.opportunity_id AND o.deleted_at IS NULL
        WHERE po.partner_id = $1 AND o.status = 'won' AND o.amount_amount IS NOT NULL
          AND o.closed_at >= $2::date AND o.closed_at < $3::date + 1
        GROUP BY o.amount_currency ORDER BY o.amount_currency`,
      range,
    );
    const won = Number(deals?.won ?? 0);
    const lost = Number(deals?.lost ?? 0);
    return {
      partnerId,
      ...window,
      registrations: {
        submitted: Number(regs?.submitted ?? 0),
        approved: Number(regs?.approved ?? 0),
        rejected: Number(regs?.rejected ?? 0),
        expired: Number(regs?.expired ?? 0),
      },
      deals: { won, lost, open: Number(deals?.open ?? 0) },
      winRate:
        won + lost
          ? new Decimal(won)
              .div(won + lost)
              .toDecimalPlaces(4)
              .toFixed(4)
          : null,
      revenueWon: money.map((m) => ({
        amount: new Decimal(m.total).toFixed(2),
        currency: m.currency,
      })),
      averageDealSize: money.map((m) => ({
        amount: new Decimal(m.average).toFixed(2),
        currency: m.currency,
      })),
    };
  }
}
