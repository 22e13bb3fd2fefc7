import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

export type DeliveryOutcome = 'queued' | 'duplicate' | 'held' | 'skipped';

export interface Delivery {
  contactId: string;
  outcome: DeliveryOutcome;
  reason: string | null;
  messageId: string | null;
  holdBackId: string | null;
  templateId: string | null;
  at: string;
}

/** SQL of `campaign_deliveries`: what a send did for each member it reached. */
@Injectable()
export class CampaignDeliveriesRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Members the send has not reached yet, locked for this transaction: a second worker on
   * the same campaign takes the next ones instead of the same.
   */
  async lockPending(tx: RequestContext, campaignId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      tx,
      `SELECT m.contact_id AS id FROM campaign_members m
        WHERE m.campaign_id = $1
          AND NOT EXISTS (SELECT 1 FROM campaign_deliveries d
                           WHERE d.campaign_id = m.campaign_id AND d.contact_id = m.contact_id)
        ORDER BY m.contact_id LIMIT $2 FOR UPDATE OF m SKIP LOCKED`,
      [campaignId, limit],
    );
    return rows.map((r) => r.id);
  }

  async record(tx: RequestContext, campaignId: string, d: Omit<Delivery, 'at'>): Promise<void> {
    await this.db.query(
      tx,
      `INSERT INTO campaign_deliveries (campaign_id, contact_id, outcome, reason, message_id, hold_back_id, template_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [campaignId, d.contactId, d.outcome, d.reason, d.messageId, d.holdBackId, d.templateId],
    );
  }

  async requestSend(tx: RequestContext, campaignId: string): Promise<void> {
    await this.db.query(tx, `UPDATE campaigns SET send_requested_at = now() WHERE id = $1`, [
      campaignId,
    ]);
  }

  /** Active campaigns whose send was asked for and that still have members to reach. */
  async unfinished(ctx: RequestContext): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT c.id FROM campaigns c
        WHERE c.send_requested_at IS NOT NULL AND c.status = 'active' AND c.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = c.id
                        AND NOT EXISTS (SELECT 1 FROM campaign_deliveries d
                                         WHERE d.campaign_id = m.campaign_id AND d.contact_id = m.contact_id))`,
    );
    return rows.map((r) => r.id);
  }

  async progress(ctx: RequestContext, campaignId: string) {
    const row = await this.db.one<{
      members: number;
      reached: number;
      byOutcome: Record<string, number> | null;
      heldByReason: Record<string, number> | null;
      requestedAt: Date | null;
    }>(
      ctx,
      `SELECT (SELECT count(*)::int FROM campaign_members WHERE campaign_id = c.id) AS members,
              (SELECT count(*)::int FROM campaign_deliveries WHERE campaign_id = c.id) AS reached,
              (SELECT jsonb_object_agg(outcome, n) FROM (SELECT outcome, count(*)::int AS n
                 FROM campaign_deliveries WHERE campaign_id = c.id GROUP BY outcome) o) AS "byOutcome",
              (SELECT jsonb_object_agg(reason, n) FROM (SELECT reason, count(*)::int AS n
                 FROM campaign_deliveries WHERE campaign_id = c.id AND outcome IN ('held', 'skipped')
                GROUP BY reason) r) AS "heldByReason",
              c.send_requested_at AS "requestedAt"
         FROM campaigns c WHERE c.id = $1`,
      [campaignId],
    );
    const by = row?.byOutcome ?? {};
    return {
      campaignId,
      requestedAt: row?.requestedAt?.toISOString() ?? null,
      members: row?.members ?? 0,
      pending: (row?.members ?? 0) - (row?.reached ?? 0),
      queued: (by.queued ?? 0) + (by.duplicate ?? 0),
      held: by.held ?? 0,
      skipped: by.skipped ?? 0,
      heldByReason: row?.heldByReason ?? {},
    };
  }

  async list(
    ctx: RequestContext,
    campaignId: string,
    opts: { outcome?: string; limit: number; cursor?: string },
  ): Promise<Delivery[]> {
    const params: unknown[] = [campaignId, opts.limit];
    const where = ['d.campaign_id = $1'];
    if (opts.outcome) where.push(`d.outcome = $${params.push(opts.outcome)}`);
    if (opts.cursor) where.push(`d.contact_id > $${params.push(opts.cursor)}::uuid`);
    const rows = await this.db.query<Omit<Delivery, 'at'> & { at: Date }>(
      ctx,
      `SELECT d.contact_id AS "contactId", d.outcome, d.reason, d.message_id AS "messageId",
              d.hold_back_id AS "holdBackId", d.template_id AS "templateId", d.at
         FROM campaign_deliveries d WHERE ${where.join(' AND ')} ORDER BY d.contact_id LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
