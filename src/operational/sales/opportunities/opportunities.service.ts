import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FieldChange } from '#platform/audit/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { type DomainEvent, EventBus } from '#platform/events/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import { ForecastCategoryRule } from '../forecasts/forecast-category.js';
import { localized, PipelineCatalog, type Stage } from '../pipelines/pipeline-catalog.js';
import { OpportunityAmount } from '../opportunity-lines/opportunity-amount.js';
import { OpportunityStageHistory } from './opportunity-stage-history.service.js';
import { OPPORTUNITY_DEFINITION } from './opportunity.definition.js';

type ContactRole = { contactId: string; role: string };

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function valueAt(record: Record<string, unknown>, field: string): unknown {
  if (!field.startsWith('customFields.')) return record[field];
  return (record.customFields as Record<string, unknown> | null)?.[field.slice(13)];
}

/**
 * Opportunities: the generic record rules plus the pipeline's. A stage must belong to the
 * opportunity's pipeline and have its required fields; a closed (won or lost) opportunity
 * reopens only into an open stage; entering a stage takes its probability unless the request
 * sets one. Each move is kept in the stage history and announced as `opportunity.stage_changed`
 * in the same transaction.
 */
@Injectable()
export class OpportunitiesService extends RecordResourceService implements OnModuleInit {
  readonly def = OPPORTUNITY_DEFINITION;
  protected override readonly pointsAt = { accountId: 'accounts', primaryContactId: 'contacts' };

  protected override readonly hooks: RecordHooks = {
    derive: (r) => this.derived(r),
    validate: (ctx, r, changed, existing) => this.validateOpportunity(ctx, r, changed, existing),
    shape: (input, existing) => this.withStageDefaults(input, existing),
    afterWrite: async (tx, { action, before, after }) => {
      if (action === 'create') await this.stages.start(tx, after);
      if (before && (after.ownerId !== before.ownerId || after.teamId !== before.teamId))
        await this.amounts.followOwnership(tx, after.id, after.ownerId, after.teamId);
      if (
        action === 'update' &&
        before &&
        (after.pipeline !== before.pipeline || after.stage !== before.stage)
      )
        return { events: [await this.stages.move(tx, before, after)] };
    },
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly catalog: PipelineCatalog,
    private readonly stages: OpportunityStageHistory,
    private readonly bus: EventBus,
    private readonly categories: ForecastCategoryRule,
    private readonly amounts: OpportunityAmount,
  ) {
    super(records);
  }

  override onModuleInit(): void {
    super.onModuleInit();
    // Contact roles live in a JSON list a column move cannot reach; merges move them here.
    this.bus.subscribe({
      name: 'opportunities.contact-roles-merge',
      types: ['contact.merged'],
      handle: (event) => this.moveContactRoles(event),
    });
  }

  async stageHistory(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    await this.records.load(ctx, this.def, id);
    const page = await this.stages.list(ctx, id, limit, cursor);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit } };
  }

  /**
   * Pipeline and stage default on create; entering a stage takes its probability unless the
   * request sets one, and restarts the clock of time in stage.
   */
  private withStageDefaults(
    input: Record<string, unknown>,
    existing: ApiRecord | null,
  ): Record<string, unknown> {
    const out = { ...input };
    if (!existing) {
      out.pipeline ??= this.catalog.defaultPipeline.key;
      const pipeline = this.catalog.find(out.pipeline);
      if (pipeline && out.stage === undefined)
        out.stage = this.catalog.firstOpenStage(pipeline).key;
    }
    const moving =
      !existing ||
      (out.stage !== undefined && out.stage !== existing.stage) ||
      (out.pipeline !== undefined && out.pipeline !== existing.pipeline);
    if (!moving) return out;
    const target = this.catalog.stage(
      out.pipeline ?? existing?.pipeline,
      out.stage ?? existing?.stage,
    );
    if (target && out.probability === undefined) out.probability = target.probability;
    if (existing) out.stageChangedAt = new Date().toISOString();
    return out;
  }

  /**
   * Status follows the stage's kind; closedAt is set on closing and cleared on reopening. The
   * forecast category follows stage, probability and override; closing drops the override,
   * so a reopened deal starts from its stage again.
   */
  private derived(r: Record<string, unknown>): Record<string, unknown> {
    const kind = this.catalog.stage(r.pipeline, r.stage)?.kind ?? (r.status as string) ?? 'open';
    const override = kind === 'open' ? (r.forecastCategoryOverride ?? null) : null;
    return {
      status: kind,
      closed_at: kind === 'open' ? null : (r.closedAt ?? new Date().toISOString()),
      forecast_category: this.categories.of({
        ...r,
        status: kind,
        forecastCategoryOverride: override,
      }),
      forecast_category_override: override,
    };
  }

  private async validateOpportunity(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    const pipeline = this.catalog.find(r.pipeline);
    if (!pipeline) {
      const values = this.catalog.all().map((p) => p.key);
      throw AppError.field('pipeline', 'isIn', `must be one of: ${values.join(', ')}`, {
        values: values.join(', '),
      });
    }
    const stage = pipeline.stages.find((s) => s.key === r.stage);
    if (!stage) {
      const values = pipeline.stages.map((s) => s.key).join(', ');
      throw AppError.field('stage', 'isIn', `must be a stage of pipeline ${pipeline.key}`, {
        values,
      });
    }
    const moving = !existing || changed.has('stage') || changed.has('pipeline');
    if (existing && moving && existing.status !== 'open' && stage.kind !== 'open') {
      throw new AppError(
        'stage_transition_not_allowed',
        { from: existing.stage, to: stage.key, status: existing.status },
        undefined,
        { from: existing.stage, to: stage.key },
      );
    }
    if (
      changed.has('forecastCategoryOverride') &&
      r.forecastCategoryOverride &&
      stage.kind !== 'open'
    )
      throw AppError.field(
        'forecastCategoryOverride',
        'openOnly',
        'can only be set on an open opportunity',
        {
          messages: {
            en: `can only be set on an open opportunity; this one is ${stage.kind}`,
            id: `hanya dapat diisi pada peluang yang masih terbuka; peluang ini ${stage.kind === 'won' ? 'berhasil' : 'gagal'}`,
          },
        },
      );
    this.checkStageFields(r, changed, stage, moving);
    if (existing && changed.has('amount')) await this.amounts.refuseManualAmount(ctx, existing.id);
    await this.checkReferences(ctx, r, changed);
  }

  /** The target stage's required fields (and a lost reason in a lost stage) must be set. */
  private checkStageFields(
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    stage: Stage,
    moving: boolean,
  ): void {
    const required = [
      ...new Set([...stage.requiredFields, ...(stage.kind === 'lost' ? ['lostReason'] : [])]),
    ];
    // Staying in a stage, a required field only matters when the request touches it.
    const relevant = moving
      ? required
      : required.filter((f) => changed.has(f.startsWith('customFields.') ? 'customFields' : f));
    const missing = relevant.filter((f) => isEmpty(valueAt(r, f)));
    if (!missing.length) return;
    const en = localized(stage.label, 'en');
    const id = localized(stage.label, 'id');
    throw AppError.validation(
      missing.map((field): FieldError => ({
        field,
        rule: 'requiredForStage',
        message: `is required in stage "${en}"`,
        params: {
          stage: stage.key,
          messages: { en: `is required in stage "${en}"`, id: `wajib diisi pada tahap "${id}"` },
        },
      })),
    );
  }

  private async checkReferences(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    if (changed.has('accountId'))
      await this.records.mustReference(
        ctx,
        'accounts',
        r.accountId as string,
        'accountId',
        'an account',
      );
    if (changed.has('primaryContactId') && r.primaryContactId)
      await this.records.mustReference(
        ctx,
        'contacts',
        r.primaryContactId as string,
        'primaryContactId',
        'a contact',
      );
    if (changed.has('contactRoles')) {
      const roles = (r.contactRoles as ContactRole[] | null) ?? [];
      const seen = new Set<string>();
      for (const [i, role] of roles.entries()) {
        const contactId = role.contactId.toLowerCase();
        if (seen.has(contactId))
          throw AppError.field(
            `contactRoles[${i}].contactId`,
            'invalid',
            'lists the same contact twice',
          );
        seen.add(contactId);
        await this.records.mustReference(
          ctx,
          'contacts',
          contactId,
          `contactRoles[${i}].contactId`,
          'a contact',
        );
      }
    }
  }

  /** After a contact merge: roles naming a merged-away contact name the survivor instead. */
  private async moveContactRoles(event: DomainEvent): Promise<void> {
    const changes = (event.data.changes as FieldChange[] | undefined) ?? [];
    const into = changes.find((c) => c.field === 'mergedInto')?.new;
    const from = event.recordId;
    if (typeof into !== 'string' || !from) return;
    const ctx = RequestContext.system();
    await this.db.transaction(ctx, async (tx) => {
      const rows = await this.db.query<{ id: string; contact_roles: ContactRole[] }>(
        tx,
        `SELECT id, contact_roles FROM opportunities WHERE contact_roles @> $1::jsonb FOR UPDATE`,
        [JSON.stringify([{ contactId: from }])],
      );
      for (const row of rows) {
        const seen = new Set<string>();
        const roles = row.contact_roles
          .map((cr) => (cr.contactId === from ? { ...cr, contactId: into } : cr))
          .filter((cr) => !seen.has(cr.contactId) && seen.add(cr.contactId));
        await this.db.query(
          tx,
          `UPDATE opportunities SET contact_roles = $2, version = version + 1, updated_at = now() WHERE id = $1`,
          [row.id, JSON.stringify(roles)],
        );
        const diff = [{ field: 'contactRoles', old: row.contact_roles, new: roles }];
        await this.records.recordChange(tx, this.def, row.id, diff);
      }
    });
  }
}
