import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { ConsentDto, LawfulBasis } from './dto/consent.dto.js';

interface Row {
  id: string;
  contact_id: string;
  action: 'given' | 'withdrawn';
  purpose: string;
  lawful_basis: LawfulBasis;
  channel: string | null;
  source: string;
  proof_text: string | null;
  proof_url: string | null;
  effective_at: Date;
  withdraws_id: string | null;
  recorded_at: Date;
  recorded_by_id: string | null;
  /** For a given entry: its withdrawal, joined in. */
  w_id: string | null;
  w_effective_at: Date | null;
}

export interface NewConsentEntry {
  contactId: string;
  action: 'given' | 'withdrawn';
  purpose: string;
  lawfulBasis: LawfulBasis;
  channel: string | null;
  source: string;
  proofText: string | null;
  proofUrl: string | null;
  effectiveAt: string;
  withdrawsId: string | null;
}

const SELECT = `SELECT c.*, w.id AS w_id, w.effective_at AS w_effective_at
                  FROM consent_records c
                  LEFT JOIN consent_records w ON w.withdraws_id = c.id`;

function toDto(r: Row): ConsentDto {
  const given = r.action === 'given';
  return {
    id: r.id,
    contactId: r.contact_id,
    action: r.action,
    purpose: r.purpose,
    lawfulBasis: r.lawful_basis,
    channel: r.channel,
    source: r.source,
    proofText: r.proof_text,
    proofUrl: r.proof_url,
    givenAt: given ? r.effective_at.toISOString() : null,
    withdrawnAt: given ? (r.w_effective_at?.toISOString() ?? null) : r.effective_at.toISOString(),
    relatedId: given ? r.w_id : r.withdraws_id,
    recordedAt: r.recorded_at.toISOString(),
    recordedById: r.recorded_by_id,
  };
}

/** SQL of the append-only `consent_records`. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Newest first; the cursor is the id of the last entry of the previous page (ids are time-ordered). */
  async page(ctx: RequestContext, contactId: string, limit: number, before: string | null) {
    const rows = await this.db.query<Row>(
      ctx,
      `${SELECT} WHERE c.contact_id = $1 AND ($2::uuid IS NULL OR c.id < $2::uuid)
        ORDER BY c.id DESC LIMIT $3`,
      [contactId, before, limit + 1],
    );
    const data = rows.slice(0, limit).map(toDto);
    return { data, nextCursor: rows.length > limit ? data[data.length - 1].id : null };
  }

  /** Entries given and not withdrawn, newest first. */
  async standing(ctx: RequestContext, contactId: string): Promise<ConsentDto[]> {
    const rows = await this.db.query<Row>(
      ctx,
      `${SELECT} WHERE c.contact_id = $1 AND c.action = 'given' AND w.id IS NULL
        ORDER BY c.id DESC LIMIT 1000`,
      [contactId],
    );
    return rows.map(toDto);
  }

  async one(ctx: RequestContext, contactId: string, id: string, forUpdate = false) {
    const row = await this.db.one<Row>(
      ctx,
      `${SELECT} WHERE c.contact_id = $1 AND c.id = $2${forUpdate ? ' FOR UPDATE OF c' : ''}`,
      [contactId, id],
    );
    return row && toDto(row);
  }

  async insert(tx: RequestContext, e: NewConsentEntry): Promise<ConsentDto> {
    const id = uuidv7();
    await this.db.query(
      tx,
      `INSERT INTO consent_records (id, contact_id, action, purpose, lawful_basis, channel, source, proof_text,
              proof_url, effective_at, withdraws_id, recorded_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        e.contactId,
        e.action,
        e.purpose,
        e.lawfulBasis,
        e.channel,
        e.source,
        e.proofText,
        e.proofUrl,
        e.effectiveAt,
        e.withdrawsId,
        tx.principal?.userId ?? null,
      ],
    );
    return (await this.one(tx, e.contactId, id))!;
  }
}
