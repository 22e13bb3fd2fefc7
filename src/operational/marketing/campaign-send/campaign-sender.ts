import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import {
  CAMPAIGN_DEFINITION,
  CampaignsService,
  MESSAGE_CAMPAIGN_TYPES,
} from '../campaigns/index.js';

const isMessageCampaign = (c: ApiRecord) =>
  (MESSAGE_CAMPAIGN_TYPES as readonly unknown[]).includes(c.type);
import { MessageDispatch } from '../email/message-dispatch.js';
import { sendRendered, TextDispatch } from '../email/text-dispatch.js';
import type { TextChannel } from '../marketing.config.js';
import { ContactAccess } from '../preferences/contact-access.js';
import {
  MESSAGE_TEMPLATE_DEFINITION,
  MessageTemplatesService,
  MissingMergeField,
} from '../templates/index.js';
import { CampaignDeliveriesRepository } from './campaign-deliveries.repository.js';

export const CAMPAIGN_SEND_QUEUE = 'marketing.campaign-send';
const BATCH = 50;
/** A run hands over after this long, so one big campaign does not hold a worker for hours. */
const RUN_BUDGET_MS = 40_000;

const notReady = (blocker: string, reason: string, status?: string) =>
  new AppError('campaign_send_not_ready', { reason }, undefined, {
    blocker,
    ...(status ? { campaignStatus: status } : {}),
  });

/**
 * Sends an active e-mail, SMS or WhatsApp campaign to its members: each member is rendered in their language
 * and handed to MessageDispatch (which asks the gate, and keeps one message per campaign and
 * contact), and what happened is kept per member in `campaign_deliveries`. A member with a
 * delivery row is never taken again, and batches lock their members, so a send survives a
 * restart, a second request and a second worker without anyone getting the mail twice.
 */
@Injectable()
export class CampaignSender implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('CampaignSend');

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly records: RecordService,
    private readonly campaigns: CampaignsService,
    private readonly templates: MessageTemplatesService,
    private readonly access: ContactAccess,
    private readonly dispatch: MessageDispatch,
    private readonly texts: TextDispatch,
    private readonly deliveries: CampaignDeliveriesRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.work<{ campaignId: string }>(CAMPAIGN_SEND_QUEUE, (job) =>
      this.run(job.payload.campaignId, job.signal),
    );
  }

  /** Picks up sends a stopped process left unfinished. */
  async onApplicationBootstrap(): Promise<void> {
    const ctx = RequestContext.system();
    const ids = await this.deliveries.unfinished(ctx).catch(() => [] as string[]);
    for (const id of ids) await this.enqueue(ctx, id);
  }

  /** Checks the campaign can go and asks for the send; the members are reached by jobs. */
  async request(ctx: RequestContext, id: string, ifMatch?: string) {
    await this.db.transaction(ctx, async (tx) => {
      const campaign = await this.campaigns.lockForAction(tx, id, ifMatch);
      await this.assertSendable(tx, campaign);
      await this.deliveries.requestSend(tx, id);
      await this.enqueue(tx, id);
    });
    return this.progress(ctx, id);
  }

  async progress(ctx: RequestContext, id: string) {
    await this.records.load(ctx, CAMPAIGN_DEFINITION, id);
    return this.deliveries.progress(ctx, id);
  }

  async list(
    ctx: RequestContext,
    id: string,
    opts: { outcome?: string; limit: number; cursor?: string },
  ) {
    await this.records.load(ctx, CAMPAIGN_DEFINITION, id);
    const rows = await this.deliveries.list(ctx, id, { ...opts, limit: opts.limit + 1 });
    const page = rows.slice(0, opts.limit);
    return {
      data: page,
      meta: {
        limit: opts.limit,
        nextCursor: rows.length > opts.limit ? page[page.length - 1].contactId : null,
      },
    };
  }

  private async enqueue(ctx: RequestContext, id: string): Promise<void> {
    await this.jobs.enqueue(ctx, CAMPAIGN_SEND_QUEUE, { campaignId: id }, { retryLimit: 10 });
  }

  private async assertSendable(ctx: RequestContext, campaign: ApiRecord): Promise<ApiRecord> {
    if (!isMessageCampaign(campaign))
      throw notReady(
        'not_email',
        `it is a ${campaign.type as string} campaign; only e-mail, SMS and WhatsApp campaigns send messages (telemarketing makes call tasks)`,
      );
    if (campaign.status !== 'active')
      throw notReady(
        'not_active',
        `it is ${campaign.status as string}; it sends once approved (when its budget needs it) and active`,
        campaign.status as string,
      );
    if (!campaign.templateId)
      throw notReady('no_template', 'it has no templateId; set the message template first');
    const template = await this.access.systemRecord(
      ctx,
      MESSAGE_TEMPLATE_DEFINITION,
      campaign.templateId as string,
    );
    if (!template) throw notReady('no_template', 'its template was deleted; set another one');
    if (template.channel !== campaign.type)
      throw notReady(
        'template_not_email',
        `its template is for ${template.channel as string}; a ${campaign.type as string} campaign needs a ${campaign.type as string} template`,
      );
    if (campaign.type !== 'email' && !this.texts.available(campaign.type as TextChannel))
      throw notReady('channel_off', `no provider is configured for ${campaign.type as string}`);
    return template;
  }

  /** Reaches members batch by batch until none is left, the campaign stops, or time is up. */
  async run(campaignId: string, signal: AbortSignal): Promise<void> {
    const ctx = RequestContext.system();
    const started = Date.now();
    for (;;) {
      if (signal.aborted) throw new Error('stopped; the send resumes from the next member');
      if (Date.now() - started > RUN_BUDGET_MS) {
        await this.enqueue(ctx, campaignId);
        return;
      }
      const reached = await this.db.transaction(ctx, (tx) => this.batch(tx, campaignId));
      if (reached === 0) return;
    }
  }

  private async batch(tx: RequestContext, campaignId: string): Promise<number> {
    const campaign = await this.access.systemRecord(tx, CAMPAIGN_DEFINITION, campaignId);
    if (
      !campaign ||
      campaign.status !== 'active' ||
      !isMessageCampaign(campaign) ||
      !campaign.templateId
    ) {
      this.logger.log(`campaign ${campaignId} is not an active message campaign: send stopped`);
      return 0;
    }
    const template = await this.assertSendable(tx, campaign);
    const contactIds = await this.deliveries.lockPending(tx, campaignId, BATCH);
    const merge = this.templates.mergeData;
    for (const contactId of contactIds) {
      const contact = await this.access.system(tx, contactId).catch(() => null);
      if (!contact) {
        await this.deliveries.record(tx, campaignId, {
          contactId,
          outcome: 'skipped',
          reason: 'contact_deleted',
          messageId: null,
          holdBackId: null,
          templateId: null,
        });
        continue;
      }
      const variant = await this.templates.variant(
        tx,
        template,
        await this.templates.languageOf(tx, contact),
      );
      let rendered;
      try {
        rendered = await this.templates.render(
          variant,
          await merge.build(tx, { contactId, campaign }, false),
        );
      } catch (e) {
        if (!(e instanceof MissingMergeField)) throw e;
        await this.deliveries.record(tx, campaignId, {
          contactId,
          outcome: 'skipped',
          reason: `missing_field:${e.field}`.slice(0, 500),
          messageId: null,
          holdBackId: null,
          templateId: variant.id,
        });
        continue;
      }
      const message = { sourceKey: `campaign:${campaignId}`, contactId, purpose: 'marketing' };
      const result = await sendRendered(
        { email: this.dispatch, text: this.texts },
        campaign.type as string,
        message,
        rendered,
        tx,
      );
      await this.deliveries.record(tx, campaignId, {
        contactId,
        outcome: result.status,
        reason: result.status === 'held' ? result.reason : null,
        messageId: 'message' in result ? result.message.id : null,
        holdBackId: result.status === 'held' ? result.holdBackId : null,
        templateId: variant.id,
      });
    }
    return contactIds.length;
  }
}
