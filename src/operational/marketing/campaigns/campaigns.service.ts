import { Inject, Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { CAMPAIGN_DEFINITION } from './campaign.definition.js';
import { CAMPAIGNS_SECTION, type CampaignsConfig } from './campaigns.config.js';

type MoneyValue = { amount: string; currency: string } | null;
const MAX_NESTING = 50;

/**
 * Campaigns as records: dates in order, a parent that exists and does not nest the campaign
 * in itself, a budget that changes only while planned, and whether the budget needs approval
 * (above its currency's `campaigns.approvalThresholds`) kept on the record.
 */
@Injectable()
export class CampaignsService extends RecordResourceService {
  readonly def = CAMPAIGN_DEFINITION;
  protected override readonly pointsAt = { parentCampaignId: 'campaigns' };
  readonly settings: CampaignsConfig;

  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateCampaign(ctx, r, changed, existing),
    derive: (r) => ({ approval_required: this.needsApproval(r.budget as MoneyValue) }),
  };

  /** The hooks of a status step: the step checked its own rules. */
  readonly workflowHooks: RecordHooks = { ...this.hooks, validate: undefined };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(records);
    this.settings = CAMPAIGNS_SECTION.read(config);
  }

  /** The threshold above which a budget needs approval, or null when its currency has none. */
  threshold(currency: string): string | null {
    return this.settings.approvalThresholds[currency] ?? null;
  }

  needsApproval(budget: MoneyValue): boolean {
    const limit = budget ? this.threshold(budget.currency) : null;
    return !!budget && limit !== null && new Money(budget.amount).gt(limit);
  }

  /** The campaign locked for a change by a caller allowed to update it; ETag checked. */
  async lockForAction(tx: RequestContext, id: string, ifMatch?: string): Promise<ApiRecord> {
    const campaign = await this.records.load(tx, this.def, id, { forUpdate: true });
    this.assertUpdatable(tx, campaign);
    checkIfMatch(ifMatch, campaign.version);
    return campaign;
  }

  /** 403 unless the caller may update this campaign (which they can read). */
  assertUpdatable(ctx: RequestContext, campaign: ApiRecord): void {
    const scope = this.permissions.require(ctx.user, this.def.entity, 'update');
    if (!this.permissions.inScope(ctx.user, scope, campaign))
      throw AppError.forbidden('update', 'this campaign');
  }

  /** Writes a status step with history and the generic event. */
  step(tx: RequestContext, id: string, patch: Record<string, unknown>): Promise<ApiRecord> {
    return this.records.update(tx, this.def, id, patch, undefined, this.workflowHooks);
  }

  /** The currency of a campaign's money: its budget's, else the organization's. */
  currencyOf(campaign: ApiRecord, fallback: string): string {
    return (campaign.budget as MoneyValue)?.currency ?? fallback;
  }

  private async validateCampaign(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (r.startsOn && r.endsOn && (r.endsOn as string) < (r.startsOn as string))
      throw AppError.field('endsOn', 'min', 'must not be before startsOn');
    if (existing && changed.has('budget') && existing.status !== 'planned')
      throw new AppError('campaign_budget_locked', { status: existing.status });
    if (changed.has('templateId') && r.templateId)
      await this.records.mustReference(
        ctx,
        'message-templates',
        (r.templateId as string).toLowerCase(),
        'templateId',
        'a message template',
      );
    if (changed.has('parentCampaignId') && r.parentCampaignId) {
      const parent = (r.parentCampaignId as string).toLowerCase();
      await this.records.mustReference(ctx, 'campaigns', parent, 'parentCampaignId', 'a campaign');
      if (existing) await this.assertNoCycle(ctx, existing, parent);
    }
  }

  /** Follows the parents up from the new parent; reaching the campaign itself is a cycle. */
  private async assertNoCycle(ctx: RequestContext, campaign: ApiRecord, parent: string) {
    const chain = [campaign.id];
    let at: string | null = parent;
    while (at && chain.length <= MAX_NESTING) {
      chain.push(at);
      if (at === campaign.id) {
        const names = await this.db.query<{ id: string; name: string }>(
          ctx,
          `SELECT id, name FROM campaigns WHERE id = ANY($1::uuid[])`,
          [chain],
        );
        const name = new Map(names.map((n) => [n.id, n.name]));
        throw new AppError(
          'campaign_parent_cycle',
          { chain: chain.map((c) => name.get(c) ?? c).join(' → ') },
          [
            {
              field: 'parentCampaignId',
              rule: 'noCycle',
              message: 'would nest the campaign in itself',
            },
          ],
        );
      }
      const row: { parent: string | null } | null = await this.db.one(
        ctx,
        `SELECT parent_campaign_id AS parent FROM campaigns WHERE id = $1`,
        [at],
      );
      at = row?.parent ?? null;
    }
  }
}
