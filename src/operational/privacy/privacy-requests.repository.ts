import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { decodeHistoryCursor, encodeHistoryCursor } from '#platform/query/index.js';

export type PrivacyRequestKind = 'export' | 'erasure';
export type PrivacyTrigger = 'request' | 'retention';

export interface PrivacyRequest {
  id: string;
  kind: PrivacyRequestKind;
  trigger: PrivacyTrigger;
  subjectEntity: string;
  subjectId: string;
  actorId: string | null;
  reason: string | null;
  summary: Record<string, number>;
  at: string;
}

interface Row {
  id: string;
  kind: PrivacyRequestKind;
  trigger: PrivacyTrigger;
  subject_entity: string;
  subject_id: string;
  actor_id: string | null;
  reason: string | null;
  summary: Record<string, number>;
  at: Date;
  at_text: string;
}

const COLUMNS =
  'id, kind, trigger, subject_entity, subject_id, actor_id, reason, summary, at, at::text AS at_text';

function toRequest(r: Row): PrivacyRequest {
  return {
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    subjectEntity: r.subject_entity,
    subjectId: r.subject_id,
    actorId: r.actor_id,
    reason: r.reason,
    summary: r.summary,
    at: r.at.toISOString(),
  };
}

/** The audit of data-subject requests: written in the request's transaction, never changed. */
@Injectable()
export class PrivacyRequestsRepository {
  constructor(private readonly db: DatabaseService) {}

  async add(
    tx: RequestContext,
    request: Omit<PrivacyRequest, 'id' | 'at' | 'actorId'>,
  ): Promise<PrivacyRequest> {
    const [row] = await this.db.query<Row>(
      tx,
      `INSERT INTO privacy_requests (id, kind, trigger, subject_entity, subject_id, actor_id, reason, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        uuidv7(),
        request.kind,
        request.trigger,
        request.subjectEntity,
        request.subjectId,
        tx.principal?.userId ?? null,
        request.reason,
        JSON.stringify(request.summary),
      ],
    );
    return toRequest(row);
  }

  async erasureOf(ctx: RequestContext, entity: string, id: string): Promise<PrivacyRequest | null> {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT ${COLUMNS} FROM privacy_requests WHERE subject_entity = $1 AND subject_id = $2 AND kind = 'erasure'`,
      [entity, id],
    );
    return row ? toRequest(row) : null;
  }

  async ofSubject(ctx: RequestContext, entity: string, id: string): Promise<PrivacyRequest[]> {
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT ${COLUMNS} FROM privacy_requests WHERE subject_entity = $1 AND subject_id = $2 ORDER BY at, id`,
      [entity, id],
    );
    return rows.map(toRequest);
  }

  /** Newest first, keyset-paged by (at, id). */
  async page(
    ctx: RequestContext,
    limit: number,
    cursor: string | null,
    subjectId: string | null,
  ): Promise<{ data: PrivacyRequest[]; nextCursor: string | null }> {
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (cursor) {
      const [at, id] = decodeHistoryCursor(cursor);
      params.push(at, id);
      where.push(`(at, id) < ($2::timestamptz, $3::uuid)`);
    }
    if (subjectId) {
      params.push(subjectId);
      where.push(`subject_id = $${params.length}::uuid`);
    }
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT ${COLUMNS} FROM privacy_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY at DESC, id DESC LIMIT $1`,
      params,
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toRequest),
      nextCursor: more && last ? encodeHistoryCursor(last.at_text, last.id) : null,
    };
  }
}
