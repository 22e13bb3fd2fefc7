import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { capWindowMs, type FrequencyCap } from './frequency-cap.js';

export interface HoldBack {
  id: string;
  contactId: string;
  channel: string;
  topic: string | null;
  purpose: string;
  reason: string;
  nextAllowedAt: string | null;
  sourceKey: string | null;
  checkedFor: string;
  createdAt: string;
}

interface Row {
  id: string;
  contact_id: string;
  channel: string;
  topic: string | null;
  purpose: string;
  reason: string;
  next_allowed_at: Date | null;
  source_key: string | null;
  checked_for: Date;
  created_at: Date;
}

const toHoldBack = (r: Row): HoldBack => ({
  id: r.id,
  contactId: r.contact_id,
  channel: r.channel,
  topic: r.topic,
  purpose: r.purpose,
  reason: r.reason,
  nextAllowedAt: r.next_allowed_at?.toISOString() ?? null,
  sourceKey: r.source_key,
  checkedFor: r.checked_for.toISOString(),
  createdAt: r.created_at.toISOString(),
});

/** SQL of the gate: its hold-backs, and the messages a frequency cap counts. */
@Injectable()
export class HoldBacksRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(ctx: RequestContext, h: Omit<HoldBack, 'id' | 'createdAt'>): Promise<HoldBack> {
    const [row] = await this.db.query<Row>(
      ctx,
      `INSERT INTO marketing_hold_backs (id, contact_id, channel, topic, purpose, reason, next_allowed_at, source_key, checked_for)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        uuidv7(),
        h.contactId,
        h.channel,
        h.topic,
        h.purpose,
        h.reason,
        h.nextAllowedAt,
        h.sourceKey,
        h.checkedFor,
      ],
    );
    return toHoldBack(row);
  }

  /** Newest first; the cursor is the id of the last entry of the previous page. */
  async page(
    ctx: RequestContext,
    filter: { contactId: string | null; reason: string | null },
    limit: number,
    before: string | null,
  ) {
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT * FROM marketing_hold_backs
        WHERE ($1::uuid IS NULL OR contact_id = $1::uuid) AND ($2::text IS NULL OR reason = $2)
          AND ($3::uuid IS NULL OR id < $3::uuid)
        ORDER BY id DESC LIMIT $4`,
      [filter.contactId, filter.reason, before, limit + 1],
    );
    const data = rows.slice(0, limit).map(toHoldBack);
    return { data, nextCursor: rows.length > limit ? data[data.length - 1].id : null };
  }

  /** When the contact's marketing messages went out within the cap's window before `at`. */
  async sentWithin(
    ctx: RequestContext,
    contactId: string,
    cap: FrequencyCap,
    at: Date,
  ): Promise<Date[]> {
    const rows = await this.db.query<{ at: Date }>(
      ctx,
      `SELECT coalesce(sent_at, sending_at) AS at FROM outbound_messages
        WHERE contact_id = $1 AND status IN ('sending', 'sent', 'unconfirmed', 'bounced')
          AND sending_at > $2::timestamptz - make_interval(secs => $3::float8 / 1000)
          AND sending_at <= $2::timestamptz`,
      [contactId, at.toISOString(), capWindowMs(cap.per)],
    );
    return rows.map((r) => r.at);
  }
}
