import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';

/**
 * An opportunity with line items is worth their total. Kept by the line writes in their own
 * transaction; the board's running totals and the forecasts read the amount and so follow.
 */
@Injectable()
export class OpportunityAmount {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
  ) {}

  /** Sets the opportunity's amount to the total of its live lines (zero once the last goes). */
  async follow(tx: RequestContext, opportunityId: string): Promise<void> {
    const row = await this.db.one<{
      old_amount: string | null;
      old_currency: string | null;
      total: string;
      currency: string | null;
    }>(
      tx,
      `SELECT o.amount_amount::text AS old_amount, o.amount_currency AS old_currency,
              coalesce(sum(l.total_amount), 0)::text AS total,
              coalesce(min(l.total_currency), min(l2.total_currency)) AS currency
         FROM opportunities o
         LEFT JOIN opportunity_lines l ON l.opportunity_id = o.id AND l.deleted_at IS NULL
         LEFT JOIN LATERAL (SELECT total_currency FROM opportunity_lines
                             WHERE opportunity_id = o.id ORDER BY updated_at DESC LIMIT 1) l2 ON true
        WHERE o.id = $1
        GROUP BY o.id`,
      [opportunityId],
    );
    if (!row?.currency) return;
    const currency = row.currency.trim();
    const old =
      row.old_amount === null
        ? null
        : { amount: row.old_amount, currency: row.old_currency!.trim() };
    const updated = await this.db.query(
      tx,
      `UPDATE opportunities SET amount_amount = $2::numeric, amount_currency = $3, version = version + 1,
              updated_at = now(), updated_by_id = $4
        WHERE id = $1 AND (amount_amount, amount_currency) IS DISTINCT FROM ($2::numeric, $3::char(3))
        RETURNING amount_amount::text AS amount`,
      [opportunityId, row.total, currency, tx.principal?.userId ?? null],
    );
    if (!updated.length) return;
    await this.records.recordChange(tx, OPPORTUNITY_DEFINITION, opportunityId, [
      { field: 'amount', old, new: { amount: row.total, currency } },
    ]);
  }

  /** An opportunity with lines takes its amount from them: a request may not set it. */
  async refuseManualAmount(tx: RequestContext, opportunityId: string): Promise<void> {
    const row = await this.db.one<{ n: number; total: string; currency: string }>(
      tx,
      `SELECT count(*)::int AS n, coalesce(sum(total_amount), 0)::text AS total, min(total_currency) AS currency
         FROM opportunity_lines WHERE opportunity_id = $1 AND deleted_at IS NULL`,
      [opportunityId],
    );
    if (row && row.n > 0)
      throw new AppError('opportunity_amount_from_lines', {
        count: row.n,
        amount: `${row.total} ${row.currency.trim()}`,
      });
  }

  /** Lines share their opportunity's owner and team, so a reassignment carries them along. */
  async followOwnership(
    tx: RequestContext,
    opportunityId: string,
    ownerId: string,
    teamId: string | null,
  ) {
    await this.db.query(
      tx,
      `UPDATE opportunity_lines SET owner_id = $2, team_id = $3, version = version + 1, updated_at = now()
        WHERE opportunity_id = $1 AND (owner_id, team_id) IS DISTINCT FROM ($2::uuid, $3::uuid)`,
      [opportunityId, ownerId, teamId],
    );
  }
}
