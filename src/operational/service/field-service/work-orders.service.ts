import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
  type RecordWrite,
} from '#platform/records/index.js';
import {
  allowedNext,
  canMove,
  WORK_ORDER_DEFINITION,
  type WorkOrderStatus,
} from './field-service.definitions.js';
import { WORK_ORDER_STATUS_CHANGED } from './field-service.events.js';

/**
 * Work orders: for a case or an account, parts from the catalog, skills lower-cased as
 * technicians' are, and the visit's lifecycle enforced (409 for a move it does not allow).
 */
@Injectable()
export class WorkOrdersService extends RecordResourceService {
  readonly def = WORK_ORDER_DEFINITION;
  protected override readonly pointsAt = { accountId: 'accounts' };

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) => {
      const out = { ...input };
      if (Array.isArray(out.requiredSkills))
        out.requiredSkills = [
          ...new Set((out.requiredSkills as string[]).map((s) => s.trim().toLowerCase())),
        ];
      if (Array.isArray(out.checklist))
        out.checklist = (out.checklist as { label: string; done?: boolean }[]).map((c) => ({
          label: c.label,
          done: c.done ?? false,
        }));
      if (existing && out.status !== undefined && out.status !== existing.status)
        out.statusChangedAt = new Date().toISOString();
      return out;
    },
    validate: (ctx, r, changed, existing) => this.validateWorkOrder(ctx, r, changed, existing),
    afterWrite: (_tx, write) => Promise.resolve(this.written(write)),
  };

  constructor(records: RecordService) {
    super(records);
  }

  private async validateWorkOrder(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (!existing && !r.caseId && !r.accountId)
      throw AppError.field('accountId', 'requiredWith', 'is required when there is no caseId');
    if (changed.has('caseId') && r.caseId)
      await this.records.mustReference(ctx, 'cases', r.caseId as string, 'caseId', 'a case');
    if (changed.has('accountId') && r.accountId)
      await this.records.mustReference(
        ctx,
        'accounts',
        r.accountId as string,
        'accountId',
        'an account',
      );
    if (changed.has('partsUsed'))
      for (const [i, part] of ((r.partsUsed ?? []) as { productId: string }[]).entries())
        await this.records.mustReference(
          ctx,
          'products',
          part.productId,
          `partsUsed[${i}].productId`,
          'a product',
        );
    if (existing && changed.has('status')) {
      const from = existing.status as WorkOrderStatus;
      const to = r.status as WorkOrderStatus;
      if (!canMove(from, to))
        throw new AppError(
          'work_order_status_transition',
          { from, to, allowed: allowedNext(from).join(', ') || '—' },
          undefined,
          { from, to, allowed: allowedNext(from) },
        );
    }
  }

  private written({ action, before, after }: RecordWrite) {
    if (action !== 'update' || !before || before.status === after.status) return;
    return {
      events: [
        WORK_ORDER_STATUS_CHANGED.of(after.id, {
          number: after.number as string,
          from: before.status as string,
          to: after.status as string,
          caseId: (after.caseId as string | null) ?? null,
          accountId: (after.accountId as string | null) ?? null,
        }),
      ],
    };
  }
}
