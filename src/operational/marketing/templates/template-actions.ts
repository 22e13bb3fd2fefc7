import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import { CAMPAIGN_DEFINITION } from '../campaigns/index.js';
import { EmailTransport } from '../email/email-transport.js';
import { safeHtml } from '../email/message-content.js';
import { MARKETING_SECTION, type MarketingConfig } from '../marketing.config.js';
import { MARKETING_ENV, type MarketingEnv } from '../marketing.env.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { MessageLinks } from '../public/message-links.js';
import type { TemplatePreviewRequestDto, TemplateTestSendDto } from './dto/message-template.dto.js';
import { MessageTemplatesService } from './message-templates.service.js';

/** Preview and test mail: what a template looks like for a contact or sample values. */
@Injectable()
export class TemplateActions {
  private readonly config: MarketingConfig;

  constructor(
    private readonly templates: MessageTemplatesService,
    private readonly records: RecordService,
    private readonly access: ContactAccess,
    private readonly transport: EmailTransport,
    private readonly links: MessageLinks,
    @Inject(MARKETING_ENV) private readonly env: MarketingEnv,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
  }

  async preview(ctx: RequestContext, id: string, body: TemplatePreviewRequestDto) {
    let template = await this.templates.readable(ctx, id);
    const contactId = body.contactId?.toLowerCase() ?? null;
    if (contactId) {
      const contact = await this.access.readable(ctx, contactId);
      template = await this.templates.variant(
        ctx,
        template,
        await this.templates.languageOf(ctx, contact),
      );
    }
    const campaign = body.campaignId
      ? await this.records.load(ctx, CAMPAIGN_DEFINITION, body.campaignId.toLowerCase())
      : null;
    const merge = this.templates.mergeData;
    const data = merge.overlay(await merge.build(ctx, { contactId, campaign }, true), body.sample);
    const rendered = await this.templates.renderForPreview(template, data);
    return {
      templateId: template.id,
      language: template.language as string,
      ...rendered,
    };
  }

  /**
   * One mail straight to `to`, marked as a test: it is no marketing message to a contact, so
   * it neither passes the gate nor counts against anyone's frequency cap.
   */
  async testSend(ctx: RequestContext, id: string, body: TemplateTestSendDto) {
    const template = await this.templates.readable(ctx, id);
    this.templates.assertUpdatable(ctx, template);
    if (template.channel !== 'email')
      throw new AppError('template_not_email', { channel: template.channel });
    if (!this.transport.enabled) throw new AppError('email_channel_off');
    const { to, ...request } = body;
    const preview = await this.preview(ctx, id, request);
    const messageId = `<test-${uuidv7()}@${this.links.host}>`;
    const subject = `[TEST] ${preview.subject ?? ''}`.slice(0, 500);
    const outcome = await this.transport.send({
      from:
        this.env.smtpFrom ??
        `"${this.config.email.fromName.replace(/"/g, '')}" <${this.config.email.fromAddress}>`,
      to,
      subject,
      html: preview.html && safeHtml(preview.html),
      text: preview.text,
      messageId,
      headers: { 'X-Relasi-Test': 'true' },
    });
    if (outcome.kind !== 'accepted')
      throw new AppError('template_test_send_failed', { reason: outcome.error.slice(0, 300) });
    return { to, subject, messageId };
  }
}
