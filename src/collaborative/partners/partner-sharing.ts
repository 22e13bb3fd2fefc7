import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import type { ExtraWhere } from '#platform/query/index.js';
import { PARTNER_RECORD_SHARED, type PartnerRecordSharedPayload } from './partners.events.js';

export type SharedType = PartnerRecordSharedPayload['recordType'];
export type ShareVia = PartnerRecordSharedPayload['via'];

/** Which leads and opportunities a partner organization sees: rows of `partner_shares`. */
@Injectable()
export class PartnerSharing {
  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
  ) {}

  /** Shares a record; true when it was not shared with the partner before. */
  async share(
    tx: RequestContext,
    partnerId: string,
    recordType: SharedType,
    recordId: string,
    via: ShareVia,
    rule: string | null = null,
  ): Promise<boolean> {
    const added = await this.db.query(
      tx,
      `INSERT INTO partner_shares (partner_id, record_type, record_id, via, rule, shared_by_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING record_id`,
      [partnerId, recordType, recordId, via, rule, tx.principal?.userId ?? null],
    );
    if (added.length)
      await this.outbox.append(tx, [
        PARTNER_RECORD_SHARED.of(partnerId, { partnerId, recordType, recordId, via, rule }),
      ]);
    return added.length > 0;
  }

  async unshare(
    tx: RequestContext,
    partnerId: string,
    recordType: SharedType,
    recordId: string,
  ): Promise<void> {
    await this.db.query(
      tx,
      `DELETE FROM partner_shares WHERE partner_id = $1 AND record_type = $2 AND record_id = $3`,
      [partnerId, recordType, recordId],
    );
  }

  /** The list predicate: rows of `alias` shared with the partner. */
  sharedWhere(partnerId: string, recordType: SharedType, alias: string): ExtraWhere {
    return (params) =>
      `EXISTS (SELECT 1 FROM partner_shares s WHERE s.record_id = ${alias}.id
                 AND s.record_type = ${params.add(recordType)} AND s.partner_id = ${params.add(partnerId)}::uuid)`;
  }

  async isShared(
    ctx: RequestContext,
    partnerId: string,
    recordType: SharedType,
    recordId: string,
  ): Promise<boolean> {
    return Boolean(
      await this.db.one(
        ctx,
        `SELECT 1 FROM partner_shares WHERE partner_id = $1 AND record_type = $2 AND record_id = $3`,
        [partnerId, recordType, recordId],
      ),
    );
  }
}
