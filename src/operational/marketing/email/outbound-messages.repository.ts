import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

export interface OutboundMessage {
  id: string;
  sourceKey: string;
  contactId: string;
  channel: string;
  purpose: string;
  topic: string | null;
  toAddress: string;
  subject: string | null;
  htmlBody: string | null;
  textBody: string;
  links: string[];
  headerMessageId: string;
  status: string;
  attempts: number;
  notBefore: string;
  lastError: string | null;
  queuedAt: string;
  sentAt: string | null;
  openedAt: string | null;
  openCount: number;
  clickedAt: string | null;
  clickCount: number;
  bouncedAt: string | null;
  /** SMS and WhatsApp: the provider's id of the message and the delivery it reported. */
  providerMessageId: string | null;
  deliveryStatus: string | null;
  deliveryError: string | null;
  deliveryUpdatedAt: string | null;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

function toMessage(r: Row): OutboundMessage {
  return {
    id: r.id as string,
    sourceKey: r.source_key as string,
    contactId: r.contact_id as string,
    channel: r.channel as string,
    purpose: r.purpose as string,
    topic: r.topic as string | null,
    toAddress: r.to_address as string,
    subject: r.subject as string | null,
    htmlBody: r.html_body as string | null,
    textBody: r.text_body as string,
    links: r.links as string[],
    headerMessageId: r.header_message_id as string,
    status: r.status as string,
    attempts: r.attempts as number,
    notBefore: iso(r.not_before)!,
    lastError: r.last_error as string | null,
    queuedAt: iso(r.queued_at)!,
    sentAt: iso(r.sent_at),
    openedAt: iso(r.opened_at),
    openCount: r.open_count as number,
    clickedAt: iso(r.clicked_at),
    clickCount: r.click_count as number,
    bouncedAt: iso(r.bounced_at),
    providerMessageId: (r.provider_message_id as string | null) ?? null,
    deliveryStatus: (r.delivery_status as string | null) ?? null,
    deliveryError: (r.delivery_error as string | null) ?? null,
    deliveryUpdatedAt: iso(r.delivery_updated_at),
  };
}

export type NewOutboundMessage = Pick<
  OutboundMessage,
  | 'id'
  | 'sourceKey'
  | 'contactId'
  | 'channel'
  | 'purpose'
  | 'topic'
  | 'toAddress'
  | 'subject'
  | 'htmlBody'
  | 'textBody'
  | 'links'
  | 'headerMessageId'
> & { notBefore: Date | null };

/** SQL of `outbound_messages`: one row per logical message and its way out. */
@Injectable()
export class OutboundMessagesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The new row, or null when this source already has a message for the contact. */
  async insert(tx: RequestContext, m: NewOutboundMessage): Promise<OutboundMessage | null> {
    const row = await this.db.one<Row>(
      tx,
      `INSERT INTO outbound_messages (id, source_key, contact_id, channel, purpose, topic, to_address, subject,
              html_body, text_body, links, header_message_id, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13::timestamptz, now()))
       ON CONFLICT (source_key, contact_id) DO NOTHING RETURNING *`,
      [
        m.id,
        m.sourceKey,
        m.contactId,
        m.channel,
        m.purpose,
        m.topic,
        m.toAddress,
        m.subject,
        m.htmlBody,
        m.textBody,
        m.links,
        m.headerMessageId,
        m.notBefore?.toISOString() ?? null,
      ],
    );
    return row && toMessage(row);
  }

  async byKey(ctx: RequestContext, sourceKey: string, contactId: string) {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT * FROM outbound_messages WHERE source_key = $1 AND contact_id = $2`,
      [sourceKey, contactId],
    );
    return row && toMessage(row);
  }

  async one(ctx: RequestContext, id: string) {
    const row = await this.db.one<Row>(ctx, `SELECT * FROM outbound_messages WHERE id = $1`, [id]);
    return row && toMessage(row);
  }

  /** One message locked for this transaction, whatever its state. */
  async lock(tx: RequestContext, id: string) {
    const row = await this.db.one<Row>(
      tx,
      `SELECT * FROM outbound_messages WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row && toMessage(row);
  }

  /**
   * A provider's delivery report on a text message, named by the provider's id or ours. A
   * late report never undoes a later one: a message read stays read.
   */
  async recordDelivery(
    ctx: RequestContext,
    channel: string,
    reference: string,
    status: string,
    error: string | null,
  ) {
    const row = await this.db.one<Row>(
      ctx,
      `UPDATE outbound_messages SET
              delivery_status = CASE WHEN delivery_status = 'read' THEN 'read' ELSE $3 END,
              delivery_error = $4, delivery_updated_at = now()
        WHERE channel = $1 AND status IN ('sent', 'unconfirmed')
          AND (provider_message_id = $2 OR id::text = $2)
        RETURNING *`,
      [channel, reference, status, error],
    );
    return row && toMessage(row);
  }

  async ofContact(ctx: RequestContext, contactId: string, limit: number) {
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT * FROM outbound_messages WHERE contact_id = $1 ORDER BY id DESC LIMIT $2`,
      [contactId, limit],
    );
    return rows.map(toMessage);
  }

  /** E-mails handed to SMTP in the last minute, across every process: the throttle's count. */
  async startedLastMinute(ctx: RequestContext): Promise<number> {
    const row = await this.db.one<{ n: number }>(
      ctx,
      `SELECT count(*)::int AS n FROM outbound_messages
        WHERE channel = 'email' AND sending_at > now() - interval '1 minute'`,
    );
    return row?.n ?? 0;
  }

  /** Due queued e-mails, locked for this transaction; other workers skip them. */
  async lockDue(tx: RequestContext, limit: number): Promise<OutboundMessage[]> {
    const rows = await this.db.query<Row>(
      tx,
      `SELECT * FROM outbound_messages WHERE status = 'queued' AND channel = 'email' AND not_before <= now()
        ORDER BY not_before, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toMessage);
  }

  async markSending(tx: RequestContext, id: string, worker: string): Promise<void> {
    await this.db.query(
      tx,
      `UPDATE outbound_messages SET status = 'sending', sending_at = now(), sending_by = $2,
              attempts = attempts + 1 WHERE id = $1`,
      [id, worker],
    );
  }

  /** `providerMessageId`: a text provider's id of the message, which its status reports name. */
  async markSent(
    ctx: RequestContext,
    id: string,
    providerMessageId: string | null = null,
  ): Promise<OutboundMessage | null> {
    const row = await this.db.one<Row>(
      ctx,
      `UPDATE outbound_messages SET status = 'sent', sent_at = now(), last_error = NULL,
              provider_message_id = $2,
              delivery_status = CASE WHEN channel = 'email' THEN NULL ELSE 'accepted' END,
              delivery_updated_at = CASE WHEN channel = 'email' THEN NULL ELSE now() END
        WHERE id = $1 AND status = 'sending' RETURNING *`,
      [id, providerMessageId],
    );
    return row && toMessage(row);
  }

  /** Back in the queue (certainly not delivered), or held, failed or unconfirmed for good. */
  async settle(
    ctx: RequestContext,
    id: string,
    status: 'queued' | 'held' | 'failed' | 'unconfirmed',
    error: string | null,
    notBefore: Date | null = null,
  ): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE outbound_messages SET status = $2, last_error = $3,
              not_before = coalesce($4::timestamptz, not_before),
              sending_at = CASE WHEN $2 IN ('queued', 'held') THEN NULL ELSE sending_at END
        WHERE id = $1`,
      [id, status, error, notBefore?.toISOString() ?? null],
    );
  }

  /**
   * Messages left `sending` by a process that died mid-send: whether the SMTP server took
   * them cannot be known, so they become `unconfirmed` and are never sent again.
   */
  async reapAbandoned(ctx: RequestContext, olderThanMs: number): Promise<number> {
    const rows = await this.db.query(
      ctx,
      `UPDATE outbound_messages SET status = 'unconfirmed',
              last_error = 'the sending process stopped before the SMTP answer was recorded'
        WHERE status = 'sending' AND sending_at < now() - make_interval(secs => $1::float8 / 1000)
        RETURNING id`,
      [olderThanMs],
    );
    return rows.length;
  }

  async recordOpen(ctx: RequestContext, id: string) {
    const row = await this.db.one<Row>(
      ctx,
      `UPDATE outbound_messages SET open_count = open_count + 1, opened_at = coalesce(opened_at, now())
        WHERE id = $1 RETURNING *`,
      [id],
    );
    return row && toMessage(row);
  }

  async recordClick(ctx: RequestContext, id: string) {
    const row = await this.db.one<Row>(
      ctx,
      `UPDATE outbound_messages SET click_count = click_count + 1, clicked_at = coalesce(clicked_at, now())
        WHERE id = $1 RETURNING *`,
      [id],
    );
    return row && toMessage(row);
  }

  async markBounced(ctx: RequestContext, headerMessageIds: string[]) {
    const rows = await this.db.query<Row>(
      ctx,
      `UPDATE outbound_messages SET status = 'bounced', bounced_at = coalesce(bounced_at, now())
        WHERE header_message_id = ANY($1::text[]) AND status <> 'bounced' RETURNING *`,
      [headerMessageIds],
    );
    return rows.map(toMessage);
  }
}
