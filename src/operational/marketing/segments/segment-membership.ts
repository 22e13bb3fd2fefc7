import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox, type NewDomainEvent } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { SegmentRules } from './segment-rules.js';
import type { SegmentType } from './segment.definition.js';
import { SEGMENT_ENTERED, SEGMENT_LEFT, SEGMENT_REFRESHED } from './segments.events.js';

/** What a segment's membership follows from. */
export interface SegmentShape {
  id: string;
  name: string;
  type: SegmentType;
  rules: unknown;
  includeSegmentIds: string[];
  excludeSegmentIds: string[];
}

export interface RefreshResult {
  memberCount: number;
  entered: number;
  left: number;
  refreshedAt: string;
}

const EVENT_BATCH = 500;

/**
 * Who is in a segment: the query of its members (rules compiled, a static list read, a
 * composite's parts combined) and the materialized members a refresh brings up to date,
 * announcing who entered and who left.
 */
@Injectable()
export class SegmentMembership {
  constructor(
    private readonly db: DatabaseService,
    private readonly rules: SegmentRules,
    private readonly outbox: EventOutbox,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /** The caller's contact read scope over the contacts alias `c`. */
  contactScope(ctx: RequestContext, params: SqlParams): string {
    const scope = this.permissions.require(ctx.user, 'contacts', 'read');
    return this.permissions.scopeSql(
      ctx.user,
      scope,
      querySchemaOf(CONTACT_DEFINITION),
      'c',
      params,
    );
  }

  /** 400 on `contactIds[i]` for the first contact that does not exist for the caller. */
  async mustReadContacts(ctx: RequestContext, contactIds: string[]): Promise<void> {
    const params = new SqlParams();
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT c.id FROM contacts c WHERE c.id = ANY(${params.add(contactIds)}::uuid[])
          AND c.deleted_at IS NULL AND ${this.contactScope(ctx, params)}`,
      params.values,
    );
    const found = new Set(rows.map((r) => r.id));
    const missing = contactIds.findIndex((c) => !found.has(c));
    if (missing >= 0)
      throw AppError.field(
        `contactIds[${missing}]`,
        'notFound',
        'refers to a contact that does not exist',
      );
  }

  async shape(tx: RequestContext, id: string): Promise<SegmentShape | null> {
    return this.db.one<SegmentShape>(
      tx,
      `SELECT id, name, type, rules, include_segment_ids AS "includeSegmentIds",
              exclude_segment_ids AS "excludeSegmentIds"
         FROM segments WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
  }

  /**
   * A query of the contact ids in the segment as it is defined now. A composite reads its
   * parts the same way, so it never waits for their refresh; a part deleted since is empty.
   */
  async memberQuery(
    tx: RequestContext,
    segment: SegmentShape,
    params: SqlParams,
    caller: RequestContext | null = null,
  ): Promise<string> {
    switch (segment.type) {
      case 'dynamic': {
        const rule = this.rules.check(caller, segment.rules, '/rules');
        return `SELECT c.id FROM contacts c WHERE c.deleted_at IS NULL AND ${this.rules.compile(caller, rule, params)}`;
      }
      case 'static':
        return `SELECT sm.contact_id AS id FROM segment_members sm WHERE sm.segment_id = ${params.add(segment.id)}::uuid`;
      case 'composite': {
        const part = async (ids: string[]) => {
          const queries: string[] = [];
          for (const id of ids) {
            const child = await this.shape(tx, id);
            if (child) queries.push(`(${await this.memberQuery(tx, child, params, caller)})`);
          }
          return queries.length ? queries.join(' UNION ') : 'SELECT NULL::uuid AS id WHERE FALSE';
        };
        const include = await part(segment.includeSegmentIds);
        const exclude = await part(segment.excludeSegmentIds);
        return `SELECT inc.id FROM (${include}) inc EXCEPT SELECT exc.id FROM (${exclude}) exc`;
      }
    }
  }

  /** Brings the stored members in line with the definition; events name who entered and left. */
  async refresh(tx: RequestContext, segment: SegmentShape): Promise<RefreshResult> {
    const params = new SqlParams();
    const target = await this.memberQuery(tx, segment, params);
    const seg = params.add(segment.id);
    const changes = await this.db.query<{ kind: 'entered' | 'left'; contact_id: string }>(
      tx,
      `WITH target AS (${target}),
            entered AS (INSERT INTO segment_members (segment_id, contact_id)
                        SELECT ${seg}::uuid, t.id FROM target t WHERE t.id IS NOT NULL
                        ON CONFLICT DO NOTHING RETURNING contact_id),
            gone AS (DELETE FROM segment_members m WHERE m.segment_id = ${seg}::uuid
                       AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.contact_id)
                     RETURNING contact_id)
       SELECT 'entered' AS kind, contact_id FROM entered
       UNION ALL SELECT 'left' AS kind, contact_id FROM gone`,
      params.values,
    );
    const entered = changes.filter((c) => c.kind === 'entered').map((c) => c.contact_id);
    const left = changes.filter((c) => c.kind === 'left').map((c) => c.contact_id);
    const done = await this.recount(tx, segment.id);
    await this.announce(tx, segment, entered, left, 'refresh');
    await this.outbox.append(tx, [
      SEGMENT_REFRESHED.of(segment.id, {
        segmentId: segment.id,
        segmentName: segment.name,
        memberCount: done.memberCount,
        entered: entered.length,
        left: left.length,
      }),
    ]);
    return { ...done, entered: entered.length, left: left.length };
  }

  /** Adds contacts to a static list; returns those not in it before. */
  async add(tx: RequestContext, segment: SegmentShape, contactIds: string[]): Promise<string[]> {
    const rows = await this.db.query<{ contact_id: string }>(
      tx,
      `INSERT INTO segment_members (segment_id, contact_id)
       SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING contact_id`,
      [segment.id, contactIds],
    );
    const added = rows.map((r) => r.contact_id);
    await this.recount(tx, segment.id);
    await this.announce(tx, segment, added, [], 'manual');
    return added;
  }

  /** Removes contacts from a static list; returns those that were in it. */
  async remove(tx: RequestContext, segment: SegmentShape, contactIds: string[]): Promise<string[]> {
    const rows = await this.db.query<{ contact_id: string }>(
      tx,
      `DELETE FROM segment_members WHERE segment_id = $1 AND contact_id = ANY($2::uuid[]) RETURNING contact_id`,
      [segment.id, contactIds],
    );
    const removed = rows.map((r) => r.contact_id);
    await this.recount(tx, segment.id);
    await this.announce(tx, segment, [], removed, 'manual');
    return removed;
  }

  /** The stored count and refresh time; a server-kept figure, not a change of the record. */
  private async recount(
    tx: RequestContext,
    id: string,
  ): Promise<{ memberCount: number; refreshedAt: string }> {
    const row = await this.db.one<{ n: number; at: Date }>(
      tx,
      `UPDATE segments SET member_count = (SELECT count(*) FROM segment_members WHERE segment_id = $1),
              refreshed_at = now()
        WHERE id = $1 RETURNING member_count AS n, refreshed_at AS at`,
      [id],
    );
    return { memberCount: row!.n, refreshedAt: row!.at.toISOString() };
  }

  private async announce(
    tx: RequestContext,
    segment: SegmentShape,
    entered: string[],
    left: string[],
    via: 'refresh' | 'manual',
  ): Promise<void> {
    const base = { segmentId: segment.id, segmentName: segment.name, via };
    const events: NewDomainEvent[] = [
      ...entered.map((contactId) => SEGMENT_ENTERED.of(segment.id, { ...base, contactId })),
      ...left.map((contactId) => SEGMENT_LEFT.of(segment.id, { ...base, contactId })),
    ];
    for (let i = 0; i < events.length; i += EVENT_BATCH)
      await this.outbox.append(tx, events.slice(i, i + EVENT_BATCH));
  }
}
