import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { MarketingGate, type HoldBackReason } from '../gate/marketing-gate.js';
import type { Channel } from '../preferences/dto/preferences.dto.js';
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

/** A new message may go (now, or at `notBefore`) to `address`, or there is nothing to send. */
export type Admission = { address: string; notBefore: Date | null } | { result: EnqueueResult };

/**
 * The gate's word on a new message on any channel: a duplicate of the source key's message,
 * held back (recorded by the gate), or to go — later for quiet hours and frequency caps.
 */
export async function admit(
  gate: MarketingGate,
  messages: OutboundMessagesRepository,
  ctx: RequestContext,
  input: { sourceKey: string; contactId: string; purpose: string; topic?: string | null },
  channel: Channel,
): Promise<Admission> {
  const existing = await messages.byKey(ctx, input.sourceKey, input.contactId);
  if (existing) return { result: { status: 'duplicate', message: existing } };
  const decision = await gate.check(
    {
      contactId: input.contactId,
      channel,
      topic: input.topic ?? null,
      purpose: input.purpose,
      sourceKey: input.sourceKey,
    },
    ctx,
  );
  if (decision.allowed) return { address: decision.address, notBefore: null };
  const { reason, nextAllowedAt, holdBackId } = decision;
  if (!WAITS.includes(reason))
    return { result: { status: 'held', reason, nextAllowedAt, holdBackId } };
  return {
    address: await gate.addressOn(ctx, input.contactId, channel),
    notBefore: nextAllowedAt ? new Date(nextAllowedAt) : null,
  };
}

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
    const admission = await admit(this.gate, this.messages, ctx, input, 'email');
    if ('result' in admission) return admission.result;
    const { address, notBefore } = admission;
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
        notBefore,
      }),
    );
    if (!message) {
      // Enqueued at the same moment by another caller.
      return {
        status: 'duplicate',
        message: (await this.messages.byKey(ctx, input.sourceKey, input.contactId))!,
      };
    }
    await this.sender.kick(ctx);
    return { status: 'queued', message };
  }
}
