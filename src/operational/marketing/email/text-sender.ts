import { hostname } from 'node:os';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import {
  OutboundMessagesRepository,
  type OutboundMessage,
} from './outbound-messages.repository.js';
import { MarketingGate } from '../gate/marketing-gate.js';
import type { TextChannel } from '../marketing.config.js';
import { MESSAGE_SENT } from '../marketing.events.js';
import { TEXT_QUEUE } from './text-dispatch.js';
import { TextProvider } from './text-provider.js';

/** A run of a message's job: its try number and how many retries it has. */
interface TextJob {
  payload: { messageId: string };
  attempt: number;
  retryLimit: number;
}

/** A try the provider did not take; the job queue tries again after its backoff. */
class NotTaken extends Error {}

/**
 * Delivers SMS and WhatsApp messages, one job per message, with the e-mail channel's
 * guarantee: never twice. The row is committed as `sending` before the HTTP request; a job
 * that finds its message `sending` ran before and died (or lost its lock) somewhere around the
 * request, so the message becomes `unconfirmed` and is not sent again. A provider that did not
 * take the message (5xx, 408, 429, no connection) puts it back to `queued` and the job is
 * retried with backoff, up to `maxAttempts`; a refusal (other 4xx) fails it at once; a request
 * that got no answer in time leaves it `unconfirmed`.
 */
@Injectable()
export class TextSender implements OnModuleInit {
  private readonly logger = new Logger('MarketingText');
  private readonly worker = `${hostname()}:${process.pid}`;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly messages: OutboundMessagesRepository,
    private readonly gate: MarketingGate,
    private readonly provider: TextProvider,
    private readonly outbox: EventOutbox,
  ) {}

  onModuleInit(): void {
    this.jobs.work<{ messageId: string }>(TEXT_QUEUE, (job) => this.run(job), {
      concurrency: 4,
    });
  }

  private async run(job: TextJob): Promise<void> {
    const ctx = RequestContext.system();
    const message = await this.claim(ctx, job.payload.messageId);
    if (!message) return;
    const channel = message.channel as TextChannel;
    const outcome = await this.provider.send(channel, {
      id: message.id,
      to: message.toAddress,
      text: message.textBody,
    });
    switch (outcome.kind) {
      case 'accepted':
        await this.db.transaction(ctx, async (tx) => {
          const sent = await this.messages.markSent(tx, message.id, outcome.providerMessageId);
          if (sent)
            await this.outbox.append(tx, [
              MESSAGE_SENT.of(message.id, {
                messageId: message.id,
                contactId: message.contactId,
                channel,
                sourceKey: message.sourceKey,
                sentAt: sent.sentAt!,
                smtpMessageId: null,
              }),
            ]);
        });
        return;
      case 'unknown':
        this.logger.warn(`message ${message.id}: ${outcome.error}; not sent again`);
        await this.messages.settle(ctx, message.id, 'unconfirmed', outcome.error);
        return;
      case 'refused':
        await this.messages.settle(ctx, message.id, 'failed', outcome.error);
        return;
      case 'not_sent': {
        const last = job.attempt > job.retryLimit;
        await this.messages.settle(ctx, message.id, last ? 'failed' : 'queued', outcome.error);
        if (!last) throw new NotTaken(`message ${message.id}: ${outcome.error}`);
      }
    }
  }

  /**
   * Locks the message, asks the gate again (preferences may have changed since it was
   * queued), and commits it as `sending` when it may go.
   */
  private claim(ctx: RequestContext, id: string): Promise<OutboundMessage | null> {
    return this.db.transaction(ctx, async (tx) => {
      const m = await this.messages.lock(tx, id);
      if (m?.status === 'sending') {
        await this.messages.settle(
          tx,
          id,
          'unconfirmed',
          'the sending process stopped before the provider answer was recorded',
        );
        return null;
      }
      if (m?.status !== 'queued') return null;
      const decision = await this.gate.check(
        {
          contactId: m.contactId,
          channel: m.channel as TextChannel,
          topic: m.topic,
          purpose: m.purpose,
          sourceKey: m.sourceKey,
        },
        tx,
      );
      if (decision.allowed) {
        await this.messages.markSending(tx, id, this.worker);
        return m;
      }
      if (!decision.nextAllowedAt) {
        await this.messages.settle(tx, id, 'held', decision.reason);
        return null;
      }
      const at = new Date(decision.nextAllowedAt);
      await this.messages.settle(tx, id, 'queued', decision.reason, at);
      await this.jobs.enqueue(
        tx,
        TEXT_QUEUE,
        { messageId: id },
        { runAt: at, singletonKey: `text:${id}:${at.getTime()}` },
      );
      return null;
    });
  }
}
