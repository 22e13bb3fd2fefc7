import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { ABANDONED_AFTER_MS, drainRun, JobsService, type RunKicker } from '#platform/jobs/index.js';
import { MarketingGate } from '../gate/marketing-gate.js';
import { MARKETING_SECTION, type MarketingConfig } from '../marketing.config.js';
import { MARKETING_ENV, type MarketingEnv } from '../marketing.env.js';
import { MESSAGE_SENT } from '../marketing.events.js';
import { MessageLinks } from '../public/message-links.js';
import { afterSend, EmailTransport } from './email-transport.js';
import {
  OutboundMessagesRepository,
  type OutboundMessage,
} from './outbound-messages.repository.js';

export const EMAIL_QUEUE = 'marketing.email';

/**
 * Delivers queued e-mails, throttled to `marketing.email.messagesPerMinute` across every
 * process, and resumes by itself after a restart (a run at start and one every minute).
 *
 * A message is never sent twice, even when a process dies between the SMTP server's "250 OK"
 * and the commit that records it. The states make sure of it:
 * - `queued`: not handed to SMTP. A run locks due rows (SKIP LOCKED, so processes never share
 *   one), asks the gate again (preferences may have changed since), and commits `sending`
 *   **before** it opens the SMTP conversation.
 * - `sending`: SMTP may or may not have the message. Whatever happens next, the row is never
 *   picked up again: after a crash it stays `sending` until it is reaped as `unconfirmed`,
 *   which no run sends. A lost message is the price of never sending one twice.
 * - From `sending` it settles by what SMTP said: `sent`; `queued` again with a backoff when the
 *   server refused it temporarily (4xx) or was never reached (certainly not delivered);
 *   `failed` for a permanent refusal (5xx) or too many tries; `unconfirmed` when the line
 *   broke after the message was handed over.
 */
@Injectable()
export class EmailSender implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('MarketingEmail');
  private readonly config: MarketingConfig;
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly kicker: RunKicker;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly messages: OutboundMessagesRepository,
    private readonly transport: EmailTransport,
    private readonly gate: MarketingGate,
    private readonly links: MessageLinks,
    private readonly outbox: EventOutbox,
    @Inject(MARKETING_ENV) private readonly env: MarketingEnv,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
    this.kicker = jobs.kicker(EMAIL_QUEUE);
  }

  onModuleInit(): void {
    this.jobs.work(EMAIL_QUEUE, (job) => this.run(job.signal));
    this.jobs.schedule(EMAIL_QUEUE, '* * * * *', EMAIL_QUEUE);
  }

  /** Resumes what a stopped process left queued without waiting for the minute's run. */
  async onApplicationBootstrap(): Promise<void> {
    // Tools that build the app without a database (the API document) have nothing to resume.
    await this.kick().catch(() => undefined);
  }

  /** Starts a send run now, once `ctx`'s transaction has committed. */
  kick(ctx: RequestContext = RequestContext.system()): Promise<void> {
    return this.kicker.kick(ctx);
  }

  /** Sends what is due until nothing is left, the minute's budget is spent, or the process stops. */
  async run(signal: AbortSignal): Promise<void> {
    if (!this.transport.enabled) return;
    const ctx = RequestContext.system();
    await this.messages.reapAbandoned(ctx, ABANDONED_AFTER_MS);
    const spacingMs = 60_000 / this.config.email.messagesPerMinute;
    await drainRun(signal, async () => {
      const budget =
        this.config.email.messagesPerMinute - (await this.messages.startedLastMinute(ctx));
      if (budget <= 0) {
        await this.jobs.enqueue(ctx, EMAIL_QUEUE, {}, { delayMs: 5_000, retryLimit: 0 });
        return false;
      }
      // One at a time: only the message on the line is ever `sending`, so a crash strands
      // that one message and no other.
      const [message] = await this.claim(ctx, 1);
      if (!message) return false;
      await this.deliver(ctx, message);
      if (spacingMs >= 5) await sleep(spacingMs);
      return true;
    });
  }

  /** Locks due messages, asks the gate again, and commits the ones that may go as `sending`. */
  private claim(ctx: RequestContext, limit: number): Promise<OutboundMessage[]> {
    return this.db.transaction(ctx, async (tx) => {
      const due = await this.messages.lockDue(tx, limit);
      const going: OutboundMessage[] = [];
      for (const m of due) {
        const decision = await this.gate.check(
          {
            contactId: m.contactId,
            channel: 'email',
            topic: m.topic,
            purpose: m.purpose,
            sourceKey: m.sourceKey,
          },
          tx,
        );
        if (decision.allowed) {
          await this.messages.markSending(tx, m.id, this.worker);
          going.push(m);
        } else if (decision.nextAllowedAt) {
          await this.messages.settle(
            tx,
            m.id,
            'queued',
            decision.reason,
            new Date(decision.nextAllowedAt),
          );
        } else {
          await this.messages.settle(tx, m.id, 'held', decision.reason);
        }
      }
      return going;
    });
  }

  private async deliver(ctx: RequestContext, m: OutboundMessage): Promise<void> {
    const unsubscribe = this.links.unsubscribe(m.contactId, m.id);
    const from =
      this.env.smtpFrom ??
      `"${this.config.email.fromName.replace(/"/g, '')}" <${this.config.email.fromAddress}>`;
    const outcome = await this.transport.send({
      from,
      to: m.toAddress,
      subject: m.subject ?? '',
      html: m.htmlBody,
      text: `${m.textBody}\n\n${this.links.preferences(m.contactId, m.id)}`,
      messageId: m.headerMessageId,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    const next = afterSend(outcome, m.attempts + 1);
    if (next.status === 'sent') {
      await this.db.transaction(ctx, async (tx) => {
        const sent = await this.messages.markSent(tx, m.id);
        if (sent)
          await this.outbox.append(tx, [
            MESSAGE_SENT.of(m.id, {
              messageId: m.id,
              contactId: m.contactId,
              channel: 'email',
              sourceKey: m.sourceKey,
              sentAt: sent.sentAt!,
              smtpMessageId: m.headerMessageId,
            }),
          ]);
      });
      return;
    }
    if (next.status === 'unconfirmed')
      this.logger.warn(`message ${m.id}: ${next.error}; not sent again`);
    await this.messages.settle(ctx, m.id, next.status, next.error, next.retryAt);
  }
}
