import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

/**
 * What other modules may ask of the partner channel about its people and what is shared
 * with them, without reading its tables: which partner users can take part (their access is
 * live and their organization active) and whether a record is shared with an organization.
 */
@Injectable()
export class PartnerDirectory {
  constructor(private readonly db: DatabaseService) {}

  /** The live partner users among `ids`, each with its partner organization's id. */
  async liveUsers(ctx: RequestContext, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.query<{ id: string; partner_id: string }>(
      ctx,
      `SELECT pu.id, pu.partner_id FROM partner_users pu
         JOIN partners p ON p.id = pu.partner_id AND p.deleted_at IS NULL AND p.status = 'active'
        WHERE pu.id = ANY($1::uuid[]) AND pu.revoked_at IS NULL AND pu.password_hash IS NOT NULL`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.partner_id]));
  }

  /**
   * Whether a record is shared with the partner organization. An opportunity is when it is
   * shared (by staff, a rule or an approved registration); an account when one of its
   * opportunities is, since the partner works that customer; a case when its account is.
   * Anything else is never shared.
   */
  async isShared(
    ctx: RequestContext,
    partnerId: string,
    entity: string,
    recordId: string,
  ): Promise<boolean> {
    const accountShared = (account: string) =>
      `EXISTS (SELECT 1 FROM opportunities o JOIN partner_shares s ON s.record_type = 'opportunities'
                 AND s.record_id = o.id AND s.partner_id = $1
                WHERE o.account_id = ${account} AND o.deleted_at IS NULL)`;
    const sql: Record<string, string> = {
      opportunities: `SELECT 1 FROM partner_shares s JOIN opportunities o ON o.id = s.record_id AND o.deleted_at IS NULL
                       WHERE s.partner_id = $1 AND s.record_type = 'opportunities' AND s.record_id = $2`,
      accounts: `SELECT 1 WHERE ${accountShared('$2')}`,
      cases: `SELECT 1 FROM cases c WHERE c.id = $2 AND c.deleted_at IS NULL AND ${accountShared('c.account_id')}`,
    };
    if (!sql[entity]) return false;
    return Boolean(await this.db.one(ctx, sql[entity], [partnerId, recordId]));
  }
}
