import { Injectable } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { admit, type EnqueueResult, type MessageDispatch } from './message-dispatch.js';
import { OutboundMessagesRepository } from './outbound-messages.repository.js';
import { MarketingGate } from '../gate/marketing-gate.js';
import type { TextChannel } from '../marketing.config.js';
import { TextProvider } from './text-provider.js';

export const TEXT_QUEUE = 'marketing.text';

export interface EnqueueText {
  /** The logical message, as for e-mail: a contact gets one message per key. */
  sourceKey: string;
  contactId: string;
  channel: TextChannel;
  purpose: string;
  topic?: string | null;
  text: string;
}

/**
 * The way every module sends an SMS or WhatsApp message: the gate decides first, then the
 * message is stored once per source key and contact together with the job that delivers it
 * (one job per message; its retries are the message's retries), in one transaction.
 */
@Injectable()
export class TextDispatch {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly gate: MarketingGate,
    private readonly messages: OutboundMessagesRepository,
    private readonly provider: TextProvider,
  ) {}

  /** Whether the channel has a provider; a channel without one cannot be used. */
  available(channel: TextChannel): boolean {
    return this.provider.settings(channel) !== null;
  }

  async enqueue(
    input: EnqueueText,
    ctx: RequestContext = RequestContext.system(),
  ): Promise<EnqueueResult> {
    const provider = this.provider.settings(input.channel);
    if (!provider) throw new AppError('text_channel_off', { channel: input.channel });
    const admission = await admit(this.gate, this.messages, ctx, input, input.channel);
    if ('result' in admission) return admission.result;
    const { address, notBefore } = admission;
    const id = uuidv7();
    const message = await this.db.transaction(ctx, async (tx) => {
      const inserted = await this.messages.insert(tx, {
        id,
        sourceKey: input.sourceKey,
        contactId: input.contactId,
        channel: input.channel,
        purpose: input.purpose,
        topic: input.topic ?? null,
        toAddress: address,
        subject: null,
        htmlBody: null,
        textBody: input.text,
        links: [],
        headerMessageId: id,
        notBefore,
      });
      if (inserted)
        await this.jobs.enqueue(
          tx,
          TEXT_QUEUE,
          { messageId: id },
          {
            runAt: notBefore ?? undefined,
            singletonKey: `text:${id}`,
            retryLimit: provider.maxAttempts - 1,
            retryDelayMs: provider.retryDelayMs,
          },
        );
      return inserted;
    });
    if (!message) {
      // Enqueued at the same moment by another caller.
      return {
        status: 'duplicate',
        message: (await this.messages.byKey(ctx, input.sourceKey, input.contactId))!,
      };
    }
    return { status: 'queued', message };
  }
}

/**
 * Sends a rendered template on its channel: e-mail through MessageDispatch, SMS and WhatsApp
 * through TextDispatch (campaigns and automation steps both send this way).
 */
export function sendRendered(
  senders: { email: MessageDispatch; text: TextDispatch },
  channel: string,
  message: { sourceKey: string; contactId: string; purpose: string },
  rendered: { subject?: string | null; html?: string | null; text: string },
  tx: RequestContext,
): Promise<EnqueueResult> {
  return channel === 'email'
    ? senders.email.enqueue(
        { ...message, subject: rendered.subject ?? '', html: rendered.html, text: rendered.text },
        tx,
      )
    : senders.text.enqueue(
        { ...message, channel: channel as TextChannel, text: rendered.text },
        tx,
      );
}
