import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { textOf } from '../email/message-content.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { MESSAGE_TEMPLATE_DEFINITION } from './message-template.definition.js';
import {
  MissingMergeField,
  TemplateEngine,
  templateInvalid,
  type MissingFieldRule,
} from './template-engine.js';
import { TemplateMergeData } from './template-merge-data.js';
import type { Template } from 'liquidjs';

/** A template parsed once per version, ready to render for any number of contacts. */
interface Compiled {
  subject: Template[] | null;
  body: Template[];
  /** E-mail bodies are HTML: merged values are escaped, a text part is derived. */
  html: boolean;
}

export interface RenderedMessage {
  subject: string | null;
  html: string | null;
  text: string;
}

const CACHE_SIZE = 200;

/**
 * Message templates as records. A save parses subject and body (MJML compiled first), checks
 * every merge field against what a send can fill in, and keeps the list of fields it reads;
 * any problem is a 422 naming line and column. Rendering picks the variant in the contact's
 * preferred language when there is one.
 */
@Injectable()
export class MessageTemplatesService extends RecordResourceService {
  readonly def = MESSAGE_TEMPLATE_DEFINITION;
  private readonly engine = new TemplateEngine();
  private readonly compiled = new Map<string, Promise<Compiled>>();

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) =>
      existing
        ? input
        : {
            ...input,
            format: input.format ?? (input.channel === 'email' ? 'mjml' : 'text'),
            onMissingField: input.onMissingField ?? 'blank',
          },
    validate: (_ctx, r, changed) => this.check(r, changed),
    derive: (r) => ({ merge_fields: this.fieldsOf(r) }),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly merge: TemplateMergeData,
    private readonly preferences: PreferencesService,
    private readonly access: ContactAccess,
  ) {
    super(records);
  }

  /** The template a caller may read (404 outside scope). */
  readable(ctx: RequestContext, id: string): Promise<ApiRecord> {
    return this.records.load(ctx, this.def, id);
  }

  /** 403 unless the caller may update this template. */
  assertUpdatable(ctx: RequestContext, template: ApiRecord): void {
    const scope = this.permissions.require(ctx.user, this.def.entity, 'update');
    if (!this.permissions.inScope(ctx.user, scope, template))
      throw AppError.forbidden('update', 'this message template');
  }

  /** The variant of the template's message in `language`, else the template itself. */
  async variant(ctx: RequestContext, template: ApiRecord, language: string | null) {
    if (!language || language === template.language) return template;
    const row = await this.db.one<{ id: string }>(
      ctx,
      `SELECT id FROM message_templates
        WHERE key = $1 AND channel = $2 AND language = $3 AND deleted_at IS NULL`,
      [template.key, template.channel, language],
    );
    return (row && (await this.access.systemRecord(ctx, this.def, row.id))) ?? template;
  }

  /** The language a contact asked to be written to, if they said. */
  async languageOf(ctx: RequestContext, contact: ApiRecord): Promise<string | null> {
    const { prefs } = await this.preferences.forGate(ctx, contact);
    return prefs.language;
  }

  /**
   * Renders the template with merge values; MissingMergeField under the `skip` rule when a
   * value without a fallback is missing.
   */
  async render(
    template: ApiRecord,
    data: Record<string, unknown>,
    rule: MissingFieldRule = template.onMissingField as MissingFieldRule,
  ): Promise<RenderedMessage> {
    const c = await this.compile(template);
    const subject = c.subject && (await this.engine.render(c.subject, data, false, rule));
    const body = await this.engine.render(c.body, data, c.html, rule);
    return c.html
      ? { subject, html: body, text: textOf(body) }
      : { subject, html: null, text: body };
  }

  /** Renders, and under `skip` says which field would keep the message back. */
  async renderForPreview(template: ApiRecord, data: Record<string, unknown>) {
    try {
      return { ...(await this.render(template, data)), skippedFor: null };
    } catch (e) {
      if (!(e instanceof MissingMergeField)) throw e;
      return { ...(await this.render(template, data, 'blank')), skippedFor: e.field };
    }
  }

  /** Checks a one-line text with merge fields, such as an automation's task subject: 422 `template_invalid`. */
  checkLine(source: string): void {
    this.engine.mergeFields(
      'subject',
      this.engine.parse('subject', source, false),
      this.merge.catalog,
    );
  }

  /** Renders a one-line text with merge fields; a missing value is left blank. */
  renderLine(source: string, data: Record<string, unknown>): Promise<string> {
    return this.engine.render(this.engine.parse('subject', source, false), data, false, 'blank');
  }

  get mergeData(): TemplateMergeData {
    return this.merge;
  }

  private compile(t: ApiRecord): Promise<Compiled> {
    const key = `${t.id}:${t.version}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = (async () => {
        const html = t.channel === 'email';
        const source = t.format === 'mjml' ? await this.engine.mjml(t.body as string) : t.body;
        return {
          subject: t.subject ? this.engine.parse('subject', t.subject as string, false) : null,
          body: this.engine.parse('body', source as string, html),
          html,
        };
      })();
      compiled.catch(() => this.compiled.delete(key));
      if (this.compiled.size >= CACHE_SIZE)
        this.compiled.delete(this.compiled.keys().next().value as string);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  private async check(r: Record<string, unknown>, changed: ReadonlySet<string>): Promise<void> {
    const email = r.channel === 'email';
    if (email && r.format === 'text')
      throw AppError.field('format', 'isIn', 'must be mjml or html for e-mail');
    if (!email && r.format !== 'text')
      throw AppError.field('format', 'isIn', 'must be text for SMS and WhatsApp');
    if (email && !r.subject)
      throw AppError.field('subject', 'isNotEmpty', 'is required for e-mail');
    if (!email && r.subject) throw AppError.field('subject', 'isEmpty', 'is for e-mail only');
    if (!['body', 'subject', 'format'].some((f) => changed.has(f))) return;
    if (r.format === 'mjml') {
      if (!/^\s*<mjml[\s>]/.test(r.body as string))
        throw templateInvalid('body', 1, 1, 'an MJML body starts with <mjml>');
      await this.engine.mjml(r.body as string);
    }
    this.fieldsOf(r);
  }

  private fieldsOf(r: Record<string, unknown>): string[] {
    const fields = new Set<string>();
    const catalog = this.merge.catalog;
    if (r.subject)
      for (const f of this.engine.mergeFields(
        'subject',
        this.engine.parse('subject', r.subject as string, false),
        catalog,
      ))
        fields.add(f);
    for (const f of this.engine.mergeFields(
      'body',
      this.engine.parse('body', r.body as string, r.channel === 'email'),
      catalog,
    ))
      fields.add(f);
    return [...fields].sort();
  }
}
