import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { afterSend, EmailTransport, PreferencesService } from '#operational/marketing/index.js';
import { portalReachSql } from '#operational/service/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { ABANDONED_AFTER_MS, drainRun, JobsService, type RunKicker } from '#platform/jobs/index.js';
import { MESSAGING_SECTION } from './messaging.config.js';
import type { MessageRow } from './messages.repository.js';
import type { ThreadRow } from './threads.repository.js';
import { replyAddress, threadMail, threadRootId } from './thread-mail.js';
import { ThreadMailRepository, type DueDelivery } from './thread-mail.repository.js';

export const THREAD_MAIL_QUEUE = 'messaging.email';

/**
 * The e-mail bridge out: a staff message (not an internal note) goes by e-mail to each
 * contact of the thread who does not use the portal, or who prefers e-mail. Its Reply-To
 * carries the participant's reply token, and Message-ID / References chain the thread's mails
 * so clients show them as one conversation.
 *
 * Deliveries are queued in the message's transaction (so nothing goes out for a message that
 * rolled back) and sent after commit, once per (message, recipient), with the states of the
 * marketing sender: a delivery is committed `sending` before SMTP is spoken to, and a
 * `sending` row is never picked up again — after a crash it becomes `unconfirmed`.
 */
@Injectable()
export class ThreadMailOut implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ThreadMail');
  private readonly kicker: RunKicker;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly repo: ThreadMailRepository,
    private readonly transport: EmailTransport,
    private readonly preferences: PreferencesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    this.kicker = jobs.kicker(THREAD_MAIL_QUEUE);
  }

  private get settings() {
    return MESSAGING_SECTION.read(this.config).email;
  }

  onModuleInit(): void {
    this.jobs.work(THREAD_MAIL_QUEUE, (job) => this.run(job.signal));
    this.jobs.schedule(THREAD_MAIL_QUEUE, '* * * * *', THREAD_MAIL_QUEUE);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Tools that build the app without a database (the API document) have nothing to resume.
    await this.kicker.kick().catch(() => undefined);
  }

  /** Queues the message for its e-mail recipients, in the transaction that wrote it. */
  async queue(tx: RequestContext, thread: ThreadRow, message: MessageRow): Promise<void> {
    const domain = this.settings.replyDomain;
    if (!domain || message.internal || message.author_kind !== 'user') return;
    const contacts = await this.repo.contactsOf(tx, thread.id, portalReachSql('c.id'));
    const to: { id: string; email: string }[] = [];
    for (const c of contacts) {
      if (c.portal) {
        const prefs = await this.preferences.getAsContact(tx, c.contact_id);
        if (prefs.preferredChannel !== 'email') continue;
      }
      to.push({ id: c.id, email: c.email });
    }
    if (await this.repo.queue(tx, thread.id, message.id, domain, to)) await this.kicker.kick(tx);
  }

  /** Sends what is due, one at a time, until nothing is left or the process stops. */
  async run(signal: AbortSignal): Promise<void> {
    if (!this.transport.enabled || !this.settings.replyDomain) return;
    const ctx = RequestContext.system();
    await this.repo.reapAbandoned(ctx, ABANDONED_AFTER_MS);
    await drainRun(signal, async () => {
      const due = await this.db.transaction(ctx, async (tx) => {
        const d = await this.repo.lockDue(tx);
        if (d) await this.repo.markSending(tx, d.id);
        return d;
      });
      if (due) await this.deliver(ctx, due);
      return due !== null;
    });
  }

  private async deliver(ctx: RequestContext, d: DueDelivery): Promise<void> {
    if (d.deleted_at || d.body === null) {
      await this.repo.settle(ctx, d.id, 'failed', 'the message was deleted before it went out');
      return;
    }
    const domain = this.settings.replyDomain!;
    const mail = threadMail({
      subject: d.subject,
      authorName: d.author_name ?? 'Support',
      body: d.body,
      format: d.format,
      attachmentNames: await this.repo.fileNames(ctx, d.message_id),
    });
    const chain = [
      threadRootId(d.thread_id, domain),
      ...(await this.repo.earlierIds(ctx, d.participant_id, d.id)),
    ];
    const outcome = await this.transport.send({
      from: this.settings.from,
      to: d.to_address,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: d.header_message_id,
      headers: {
        'Reply-To': replyAddress(d.reply_token, domain),
        'In-Reply-To': chain[chain.length - 1],
        References: chain.join(' '),
      },
    });
    const next = afterSend(outcome, d.attempts + 1);
    if (next.status === 'unconfirmed')
      this.logger.warn(`thread mail ${d.id}: ${next.error}; not sent again`);
    await this.repo.settle(ctx, d.id, next.status, next.error, next.retryAt);
  }
}
