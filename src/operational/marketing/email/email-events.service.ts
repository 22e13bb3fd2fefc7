import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { MESSAGE_BOUNCED, MESSAGE_CLICKED, MESSAGE_OPENED } from '../marketing.events.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import {
  OutboundMessagesRepository,
  type OutboundMessage,
} from './outbound-messages.repository.js';

const ref = (m: OutboundMessage) => ({
  messageId: m.id,
  contactId: m.contactId,
  channel: m.channel,
  sourceKey: m.sourceKey,
});

/** What happens to a message after it left: opens, clicks and bounces. */
@Injectable()
export class EmailEventsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly messages: OutboundMessagesRepository,
    private readonly preferences: PreferencesService,
    private readonly outbox: EventOutbox,
  ) {}

  async opened(messageId: string): Promise<void> {
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const m = await this.messages.recordOpen(tx, messageId);
      if (!m) return;
      await this.outbox.append(tx, [
        MESSAGE_OPENED.of(m.id, {
          ...ref(m),
          openedAt: new Date().toISOString(),
          first: m.openCount === 1,
        }),
      ]);
    });
  }

  /** The URL the link pointed at in the message; 404 for a link the message did not have. */
  async clicked(messageId: string, link: number): Promise<string> {
    return this.db.transaction(RequestContext.system(), async (tx) => {
      const found = await this.messages.one(tx, messageId);
      const url = found?.links[link];
      if (!found || !url) throw new AppError('marketing_link_invalid');
      const m = (await this.messages.recordClick(tx, messageId))!;
      await this.outbox.append(tx, [
        MESSAGE_CLICKED.of(m.id, { ...ref(m), url, clickedAt: new Date().toISOString() }),
      ]);
      return url;
    });
  }

  /**
   * A delivery status notification: the messages it reports as failed (found by the
   * Message-ID of the returned headers) are bounced, and their contacts' addresses marked, so
   * the gate sends no more e-mail there.
   */
  async bounce(ctx: RequestContext, raw: string): Promise<string[]> {
    // Loaded when a bounce first arrives: the parser is 4 MB of heap most servers never need.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw);
    const text = [
      raw,
      parsed.text ?? '',
      ...parsed.attachments.map((a) => a.content.toString('utf8')),
    ].join('\n');
    const failed = /^Action:\s*failed/im.test(text) || /^Status:\s*5\./im.test(text);
    if (!failed) return [];
    const ids = [
      ...new Set([...text.matchAll(/<[0-9a-f-]{36}@[^>\s]+>/gi)].map((m) => m[0].toLowerCase())),
    ];
    const own = parsed.messageId?.toLowerCase();
    const candidates = ids.filter((id) => id !== own);
    if (candidates.length === 0)
      throw AppError.field('raw', 'noMessageId', 'names no message this server sent');
    const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1] ?? null;
    const diagnostic = /^Diagnostic-Code:\s*(.+)$/im.exec(text)?.[1]?.trim().slice(0, 500) ?? null;
    return this.db.transaction(ctx, async (tx) => {
      const bounced = await this.messages.markBounced(tx, candidates);
      const at = new Date();
      for (const m of bounced) {
        await this.preferences.markEmailBounced(tx, m.contactId, at);
        await this.outbox.append(tx, [
          MESSAGE_BOUNCED.of(m.id, { ...ref(m), bouncedAt: at.toISOString(), status, diagnostic }),
        ]);
      }
      return bounced.map((m) => m.id);
    });
  }
}
