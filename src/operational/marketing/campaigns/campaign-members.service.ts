import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { RecordService } from '#platform/records/index.js';
import { SegmentMembership } from '../segments/index.js';
import { canMoveMember, type MemberStatus } from './campaign-member-status.js';
import { CAMPAIGN_DEFINITION } from './campaign.definition.js';
import { CampaignsService } from './campaigns.service.js';
import { CAMPAIGN_MEMBER_STATUS_CHANGED } from './campaigns.events.js';

interface MemberRow {
  contactId: string;
  status: MemberStatus;
  sourceSegmentId: string | null;
  addedAt: Date;
  statusChangedAt: Date;
}

const memberColumns = (m: string) => `${m}.contact_id AS "contactId", ${m}.status,
  ${m}.source_segment_id AS "sourceSegmentId", ${m}.added_at AS "addedAt",
  ${m}.status_changed_at AS "statusChangedAt"`;

const present = (r: MemberRow) => ({
  contactId: r.contactId,
  status: r.status,
  sourceSegmentId: r.sourceSegmentId,
  addedAt: r.addedAt.toISOString(),
  statusChangedAt: r.statusChangedAt.toISOString(),
});

/**
 * Who a campaign reaches and how far each got: members added from a segment (a snapshot of
 * who is in it now) or by contact, each moving along targeted → sent → … → converted or out
 * (unsubscribed, bounced) with a kept history. Other modules (the e-mail channel) move
 * members through `moveStatus`.
 */
@Injectable()
export class CampaignMembersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly campaigns: CampaignsService,
    private readonly segments: SegmentMembership,
    private readonly outbox: EventOutbox,
  ) {}

  /** Adds the contacts of a segment as it stands, or the given ones; those in it already stay. */
  async add(
    ctx: RequestContext,
    id: string,
    from: { segmentId?: string; contactIds?: string[] },
  ): Promise<{ added: number; memberCount: number }> {
    return this.db.transaction(ctx, async (tx) => {
      await this.campaigns.lockForAction(tx, id);
      const params = new SqlParams();
      let source: string;
      let segmentId: string | null = null;
      if (from.segmentId) {
        segmentId = from.segmentId.toLowerCase();
        const segment = (await this.records.isReadable(tx, 'segments', segmentId))
          ? await this.segments.shape(tx, segmentId)
          : null;
        if (!segment)
          throw AppError.field('segmentId', 'notFound', 'refers to a segment that does not exist');
        source = await this.segments.memberQuery(tx, segment, params);
      } else {
        const wanted = [...new Set((from.contactIds ?? []).map((c) => c.toLowerCase()))];
        await this.segments.mustReadContacts(tx, wanted);
        source = `SELECT unnest(${params.add(wanted)}::uuid[]) AS id`;
      }
      const scope = this.segments.contactScope(tx, params);
      const rows = await this.db.query<{ n: string }>(
        tx,
        `WITH added AS (
           INSERT INTO campaign_members (campaign_id, contact_id, source_segment_id)
           SELECT ${params.add(id)}::uuid, c.id, ${params.add(segmentId)}::uuid
             FROM (${source}) s JOIN contacts c ON c.id = s.id
            WHERE c.deleted_at IS NULL AND ${scope}
           ON CONFLICT DO NOTHING RETURNING campaign_id, contact_id),
         logged AS (
           INSERT INTO campaign_member_events (id, campaign_id, contact_id, from_status, to_status, changed_by_id)
           SELECT gen_random_uuid(), campaign_id, contact_id, NULL, 'targeted', ${params.add(tx.user.userId)}::uuid
             FROM added RETURNING 1)
         SELECT count(*)::text AS n FROM logged`,
        params.values,
      );
      return { added: Number(rows[0].n), memberCount: await this.count(tx, id) };
    });
  }

  async list(
    ctx: RequestContext,
    id: string,
    opts: { status?: string; limit: number; cursor?: string },
  ) {
    await this.records.load(ctx, CAMPAIGN_DEFINITION, id);
    const params = new SqlParams();
    const where = [
      `m.campaign_id = ${params.add(id)}::uuid`,
      this.segments.contactScope(ctx, params),
    ];
    if (opts.status) where.push(`m.status = ${params.add(opts.status)}`);
    if (opts.cursor) where.push(`m.contact_id > ${params.add(opts.cursor)}::uuid`);
    const rows = await this.db.query<MemberRow>(
      ctx,
      `SELECT ${memberColumns('m')}
         FROM campaign_members m JOIN contacts c ON c.id = m.contact_id
        WHERE ${where.join(' AND ')} ORDER BY m.contact_id LIMIT ${opts.limit + 1}`,
      params.values,
    );
    const page = rows.slice(0, opts.limit);
    return {
      data: page.map(present),
      meta: {
        limit: opts.limit,
        nextCursor: rows.length > opts.limit ? page[page.length - 1].contactId : null,
      },
    };
  }

  /** One member with the history of their status, oldest first. */
  async one(ctx: RequestContext, id: string, contactId: string) {
    await this.records.load(ctx, CAMPAIGN_DEFINITION, id);
    await this.records.load(ctx, CONTACT_DEFINITION, contactId);
    const member = await this.db.one<MemberRow>(
      ctx,
      `SELECT ${memberColumns('m')} FROM campaign_members m WHERE m.campaign_id = $1 AND m.contact_id = $2`,
      [id, contactId],
    );
    if (!member) throw AppError.notFound('campaign member', contactId);
    const history = await this.db.query<{ from: string | null; to: string; changedAt: Date }>(
      ctx,
      `SELECT from_status AS "from", to_status AS "to", changed_at AS "changedAt"
         FROM campaign_member_events WHERE campaign_id = $1 AND contact_id = $2 ORDER BY changed_at, id`,
      [id, contactId],
    );
    return {
      ...present(member),
      history: history.map((h) => ({ ...h, changedAt: h.changedAt.toISOString() })),
    };
  }

  /** Moves a member on (a PATCH by a user, or the e-mail channel reporting a delivery). */
  async moveStatus(ctx: RequestContext, id: string, contactId: string, to: MemberStatus) {
    return this.db.transaction(ctx, async (tx) => {
      await this.campaigns.lockForAction(tx, id);
      await this.records.load(tx, CONTACT_DEFINITION, contactId);
      await this.move(tx, id, contactId, to);
      return this.one(tx, id, contactId);
    });
  }

  /**
   * The move inside the caller's transaction, the campaign checked by the caller. A member
   * already at or past `to` on the funnel stays where they are when `lenient`.
   */
  async move(
    tx: RequestContext,
    id: string,
    contactId: string,
    to: MemberStatus,
    lenient = false,
  ): Promise<void> {
    const row = await this.db.one<{ status: MemberStatus }>(
      tx,
      `SELECT status FROM campaign_members WHERE campaign_id = $1 AND contact_id = $2 FOR UPDATE`,
      [id, contactId],
    );
    if (!row) throw AppError.notFound('campaign member', contactId);
    if (!canMoveMember(row.status, to)) {
      if (lenient) return;
      throw new AppError('campaign_member_status_transition', { from: row.status, to });
    }
    await this.db.query(
      tx,
      `UPDATE campaign_members SET status = $3, status_changed_at = now() WHERE campaign_id = $1 AND contact_id = $2`,
      [id, contactId, to],
    );
    await this.db.query(
      tx,
      `INSERT INTO campaign_member_events (id, campaign_id, contact_id, from_status, to_status, changed_by_id)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`,
      [id, contactId, row.status, to, tx.principal?.userId ?? null],
    );
    await this.outbox.append(tx, [
      CAMPAIGN_MEMBER_STATUS_CHANGED.of(id, { campaignId: id, contactId, from: row.status, to }),
    ]);
  }

  /** Makes a contact a member (targeted) when they are not one yet. */
  async ensureMember(tx: RequestContext, id: string, contactId: string): Promise<void> {
    await this.db.query(
      tx,
      `WITH added AS (INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($1, $2)
                      ON CONFLICT DO NOTHING RETURNING campaign_id, contact_id)
       INSERT INTO campaign_member_events (id, campaign_id, contact_id, from_status, to_status, changed_by_id)
       SELECT gen_random_uuid(), campaign_id, contact_id, NULL, 'targeted', $3 FROM added`,
      [id, contactId, tx.principal?.userId ?? null],
    );
  }

  count(ctx: RequestContext, id: string): Promise<number> {
    return this.db
      .one<{ n: number }>(
        ctx,
        `SELECT count(*)::int AS n FROM campaign_members WHERE campaign_id = $1`,
        [id],
      )
      .then((r) => r?.n ?? 0);
  }

  /** Members with a given status, for the call tasks of a telemarketing campaign. */
  async contactIds(ctx: RequestContext, id: string, status: MemberStatus, limit: number) {
    const params = new SqlParams();
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT m.contact_id AS id FROM campaign_members m JOIN contacts c ON c.id = m.contact_id
        WHERE m.campaign_id = ${params.add(id)}::uuid AND m.status = ${params.add(status)}
          AND c.deleted_at IS NULL AND ${this.segments.contactScope(ctx, params)}
        ORDER BY m.contact_id LIMIT ${limit}`,
      params.values,
    );
    return rows.map((r) => r.id);
  }
}
