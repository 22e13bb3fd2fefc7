import { Inject, Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { declaredEventTypes } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  ResourceRegistry,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { TextDispatch } from '../email/text-dispatch.js';
import type { TextChannel } from '../marketing.config.js';
import { SegmentRules } from '../segments/index.js';
import { MESSAGE_TEMPLATE_DEFINITION, MessageTemplatesService } from '../templates/index.js';
import { AutomationWebhookStep } from './automation-webhook-step.js';
import { checkDateTrigger, customFieldProblem, DATE_TRIGGERS } from './automation-date-trigger.js';
import { AUTOMATION_DEFINITION } from './automation.definition.js';
import {
  checkCondition,
  checkSteps,
  invalid,
  type Condition,
  type Step,
} from './automation-steps.js';

const VERBS = ['created', 'updated', 'deleted', 'restored', 'merged'];

/**
 * Automations as records. A save checks the definition's shape (steps, their links, no loop,
 * conditions); activation also checks what it refers to: a known event, live e-mail
 * templates, campaigns, users, contact fields, and the contact rule.
 */
@Injectable()
export class AutomationsService extends RecordResourceService {
  readonly def = AUTOMATION_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) =>
      existing ? input : { ...input, entryPolicy: input.entryPolicy ?? 'once' },
    validate: async (_ctx, r) => {
      if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/.test(r.triggerEvent as string))
        throw invalid('/triggerEvent', 'must be an event type like lead.created');
      checkDateTrigger(r.triggerEvent, r.dateTrigger);
      checkCondition(r.condition ?? {}, '/condition');
      this.checkSubjects(checkSteps(r.steps));
      if ((r.entryPolicy === 'once_per_period') !== (r.entryPeriodDays != null))
        throw invalid('/entryPeriodDays', 'is given exactly when entryPolicy is once_per_period');
    },
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly registry: ResourceRegistry,
    private readonly rules: SegmentRules,
    private readonly access: ContactAccess,
    private readonly texts: TextDispatch,
    private readonly templates: MessageTemplatesService,
    private readonly webhooks: AutomationWebhookStep,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(records);
  }

  /** A task subject's merge fields are those of templates; a bad one is a 422 at its step. */
  private checkSubjects(steps: Step[]): void {
    for (const [i, s] of steps.entries()) {
      if (s.type !== 'create_task') continue;
      try {
        this.templates.checkLine(s.subject!);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'template_invalid') throw e;
        throw invalid(`/steps/${i}/subject`, e.errors?.[0]?.message ?? 'is not a valid template');
      }
    }
  }

  /** Event types an automation can react to: declared ones and every record's lifecycle. */
  knownEvents(): Set<string> {
    const types = new Set<string>([...declaredEventTypes(), ...DATE_TRIGGERS]);
    for (const entity of this.registry.entities()) {
      const label = this.registry.get(entity).label;
      for (const verb of VERBS) types.add(`${label}.${verb}`);
    }
    return types;
  }

  async setStatus(ctx: RequestContext, id: string, action: 'activate' | 'pause', ifMatch?: string) {
    return this.db.transaction(ctx, async (tx) => {
      const a = await this.records.load(tx, this.def, id, { forUpdate: true });
      const scope = this.permissions.require(tx.user, this.def.entity, 'update');
      if (!this.permissions.inScope(tx.user, scope, a))
        throw AppError.forbidden('update', 'this automation');
      checkIfMatch(ifMatch, a.version);
      const from = a.status as string;
      if ((action === 'activate' && from === 'active') || (action === 'pause' && from !== 'active'))
        throw new AppError('automation_status_transition', { from, action: `${action}d` });
      const patch: Record<string, unknown> = {
        status: action === 'activate' ? 'active' : 'paused',
      };
      if (action === 'activate') {
        await this.checkReferences(tx, a);
        patch.activatedAt = new Date().toISOString();
      }
      await this.records.update(tx, this.def, id, patch, undefined, {});
      return this.get(tx, id);
    });
  }

  private async checkReferences(ctx: RequestContext, a: ApiRecord): Promise<void> {
    if (!this.knownEvents().has(a.triggerEvent as string))
      throw invalid('/triggerEvent', `no module raises ${a.triggerEvent as string}`);
    const trigger = checkDateTrigger(a.triggerEvent, a.dateTrigger);
    const problem =
      trigger && customFieldProblem(trigger, this.config.customization.contacts?.fields ?? []);
    if (problem) throw invalid('/dateTrigger/field', problem);
    const condition = a.condition as Condition;
    if (condition.contact) this.rules.check(null, condition.contact, '/condition/contact');
    const steps = a.steps as Step[];
    const contactFields = new Set(
      CONTACT_DEFINITION.attributes
        .filter((x) => x.writable !== 'never' && x.name !== 'ownerId')
        .map((x) => x.name),
    );
    for (const [i, s] of steps.entries()) {
      const at = `/steps/${i}`;
      if (s.type === 'send_template') {
        const t = await this.access.systemRecord(ctx, MESSAGE_TEMPLATE_DEFINITION, s.templateId!);
        if (!t) throw invalid(`${at}/templateId`, 'refers to no message template');
        if (t.channel !== 'email' && !this.texts.available(t.channel as TextChannel))
          throw invalid(
            `${at}/templateId`,
            `is a ${t.channel as string} template and no provider is configured for ${t.channel as string}`,
          );
      }
      if (s.type === 'add_to_campaign') {
        const row = await this.db.one(
          ctx,
          `SELECT 1 FROM campaigns WHERE id = $1 AND deleted_at IS NULL`,
          [s.campaignId],
        );
        if (!row) throw invalid(`${at}/campaignId`, 'refers to no campaign');
      }
      if ((s.type === 'assign_owner' || s.type === 'create_task') && s.userId) {
        const row = await this.db.one(ctx, `SELECT 1 FROM users WHERE id = $1`, [s.userId]);
        if (!row) throw invalid(`${at}/userId`, 'refers to no user');
      }
      if (s.type === 'webhook') {
        if (!this.webhooks.signing)
          throw invalid(
            `${at}/url`,
            'webhook steps need CRM_AUTOMATION_WEBHOOK_SECRET to sign with',
          );
        const refusal = await this.webhooks.refusal(s.url!);
        if (refusal) throw invalid(`${at}/url`, refusal);
      }
      if (s.type === 'update_field' && !contactFields.has(s.field!.split('.')[0]))
        throw invalid(`${at}/field`, `contacts have no writable field ${s.field}`);
      if (s.type === 'branch' && s.if?.contact)
        this.rules.check(null, s.if.contact, `${at}/if/contact`);
    }
  }
}
