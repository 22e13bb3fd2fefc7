import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import type { CampaignStatus } from './campaign.definition.js';
import { CampaignsService } from './campaigns.service.js';
import { CAMPAIGN_STATUS_CHANGED } from './campaigns.events.js';

export const CAMPAIGN_ACTIONS = ['approve', 'activate', 'complete', 'abort'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const FROM: Record<CampaignAction, readonly CampaignStatus[]> = {
  approve: ['planned'],
  activate: ['planned', 'approved'],
  complete: ['active'],
  abort: ['planned', 'approved', 'active'],
};
const TO: Record<CampaignAction, CampaignStatus> = {
  approve: 'approved',
  activate: 'active',
  complete: 'completed',
  abort: 'aborted',
};

/**
 * The life of a campaign: planned → approved → active → completed, or aborted before it
 * completes. Approval is by a role of `campaigns.approverRoles`; a campaign whose budget is
 * above its currency's threshold starts only once approved.
 */
@Injectable()
export class CampaignWorkflow {
  constructor(
    private readonly db: DatabaseService,
    private readonly campaigns: CampaignsService,
    private readonly outbox: EventOutbox,
  ) {}

  run(ctx: RequestContext, id: string, action: CampaignAction, ifMatch?: string) {
    return this.db.transaction(ctx, async (tx) => {
      const campaign = await this.campaigns.lockForAction(tx, id, ifMatch);
      const from = campaign.status as CampaignStatus;
      if (!FROM[action].includes(from))
        throw new AppError(
          'campaign_status_transition',
          { from, action: TO[action], allowed: FROM[action].join(', ') },
          undefined,
          { campaignStatus: from },
        );
      const now = new Date().toISOString();
      const patch: Record<string, unknown> = { status: TO[action], statusChangedAt: now };
      if (action === 'approve') {
        await this.assertApprover(tx);
        Object.assign(patch, { approvedAt: now, approvedById: tx.user.userId });
      }
      if (action === 'activate') this.assertApproved(campaign);
      const after = await this.campaigns.step(tx, id, patch);
      await this.outbox.append(tx, [
        CAMPAIGN_STATUS_CHANGED.of(id, {
          name: after.name as string,
          type: after.type as string,
          from,
          to: TO[action],
          ownerId: after.ownerId,
        }),
      ]);
      return this.campaigns.get(tx, id);
    });
  }

  private assertApproved(campaign: ApiRecord): void {
    if (!campaign.approvalRequired || campaign.status === 'approved') return;
    const budget = campaign.budget as { amount: string; currency: string };
    throw new AppError('campaign_approval_required', {
      budget: `${budget.amount} ${budget.currency}`,
      threshold: `${this.campaigns.threshold(budget.currency)} ${budget.currency}`,
    });
  }

  private async assertApprover(tx: RequestContext): Promise<void> {
    if (tx.user.permissions.admin) return;
    const role = await this.db.one<{ key: string | null; name: string }>(
      tx,
      `SELECT key, name FROM roles WHERE id = $1`,
      [tx.user.roleId],
    );
    const names = [role?.key, role?.name].filter((n): n is string => !!n);
    const approvers = this.campaigns.settings.approverRoles;
    if (!names.some((n) => approvers.includes(n)))
      throw new AppError('campaign_approval_forbidden', {
        role: names[0] ?? tx.user.roleName,
        approvers: approvers.join(', '),
      });
  }
}
