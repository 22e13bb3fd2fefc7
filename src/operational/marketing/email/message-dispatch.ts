import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { MarketingGate, type HoldBackReason } from '../gate/marketing-gate.js';
import { MessageLinks } from '../public/message-links.js';
import { EmailSender } from './email-sender.js';
import { safeHtml, textOf, trackLinks } from './message-content.js';
import {
  OutboundMessagesRepository,
  type OutboundMessage,
} from './outbound-messages.repository.js';

export interface EnqueueEmail {
  /**
   * The logical message: `campaign:<id>`, `automation:<id>:<step>`, `survey:<caseId>` …; a
   * contact gets one message per key, however often it is enqueued.
   */
  sourceKey: string;
  contactId: string;
  purpose: string;
  topic?: string | null;
  subject: string;
  /** HTML body; sanitized, its links tracked. */
  html?: string | null;
  /** Text body; derived from the HTML when absent. */
  text?: string | null;
}

export type EnqueueResult =
  | { status: 'queued'; message: OutboundMessage }
  /** The key had a message for the contact already: nothing new is sent. */
  | { status: 'duplicate'; message: OutboundMessage }
  | { status: 'held'; reason: HoldBackReason; nextAllowedAt: string | null; holdBackId: string };

/** Reasons after which the message waits for its time rather than being dropped. */
const WAITS: readonly HoldBackReason[] = ['quiet_hours', 'frequency_cap'];

/**
 * The way every module sends a marketing e-mail: the gate decides first (a message held for
 * quiet hours or a frequency cap is queued for the moment it may go; any other reason drops
 * it, with the hold-back recorded), then the message is stored once per source key and
 * contact, with tracked links and the one-click unsubscribe, for the sender to deliver.
 */
@Injectable()
export class MessageDispatch {
  constructor(
    private readonly db: DatabaseService,
    private readonly gate: MarketingGate,
    private readonly messages: OutboundMessagesRepository,
    private readonly links: MessageLinks,
    private readonly sender: EmailSender,
  ) {}

  async enqueue(
    input: EnqueueEmail,
    ctx: RequestContext = RequestContext.system(),
  ): Promise<EnqueueResult> {
    const existing = await this.messages.byKey(ctx, input.sourceKey, input.contactId);
    if (existing) return { status: 'duplicate', message: existing };
    const decision = await this.gate.check(
      {
        contactId: input.contactId,
        channel: 'email',
        topic: input.topic ?? null,
        purpose: input.purpose,
        sourceKey: input.sourceKey,
      },
      ctx,
    );
    if (!decision.allowed && !WAITS.includes(decision.reason)) {
      const { reason, nextAllowedAt, holdBackId } = decision;
      return { status: 'held', reason, nextAllowedAt, holdBackId };
    }
    const address = decision.allowed
      ? decision.address
      : await this.gate.emailOf(ctx, input.contactId);
    const id = uuidv7();
    const html = input.html ? safeHtml(input.html) : null;
    const tracked = html
      ? trackLinks(
          html,
          (i) => this.links.click(input.contactId, id, i),
          this.links.openPixel(input.contactId, id),
        )
      : null;
    const message = await this.db.transaction(ctx, (tx) =>
      this.messages.insert(tx, {
        id,
        sourceKey: input.sourceKey,
        contactId: input.contactId,
        channel: 'email',
        purpose: input.purpose,
        topic: input.topic ?? null,
        toAddress: address,
        subject: input.subject,
        htmlBody: tracked?.html ?? null,
        textBody: input.text ?? (html ? textOf(html) : ''),
        links: tracked?.links ?? [],
        headerMessageId: `<${id}@${this.links.host}>`,
        notBefore:
          decision.allowed || !decision.nextAllowedAt ? null : new Date(decision.nextAllowedAt),
      }),
    );
    if (!message) {
      // Enqueued at the same moment by another caller.
      return {
        status: 'duplicate',
        message: (await this.messages.byKey(ctx, input.sourceKey, input.contactId))!,
      };
    }
    await this.sender.kick();
    return { status: 'queued', message };
  }
}
