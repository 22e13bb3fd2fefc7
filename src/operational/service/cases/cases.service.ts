import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { NewDomainEvent } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
  type RecordWrite,
} from '#platform/records/index.js';
import { QueueAssignment } from '../queues/queue-assignment.js';
import { CASE_ASSIGNED, CASE_OPENED, CASE_STATUS_CHANGED } from '../service.events.js';
import { SlaClock } from '../sla/sla-clock.js';
import { caseParties } from './case-parties.js';
import { allowedNext, canMove, PRIORITY_RANK, type CaseStatus } from './case-status.js';
import { CaseTimeline } from './case-timeline.js';
import { CASE_DEFINITION } from './case.definition.js';

/**
 * Cases: validated references (a contact of the case's account), a category from the
 * configuration, the status lifecycle as PATCH of `status` (409 for a move it does not
 * allow), assignment by the queue's strategy on create, the SLA clock kept in step with
 * every write, and an entry on the account's and contact's timelines.
 */
@Injectable()
export class CasesService extends RecordResourceService {
  readonly def = CASE_DEFINITION;
  protected override readonly pointsAt = {
    accountId: 'accounts',
    contactId: 'contacts',
    orderId: 'orders',
    productId: 'products',
  };

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) =>
      existing && input.status !== undefined && input.status !== existing.status
        ? { ...input, statusChangedAt: new Date().toISOString() }
        : input,
    derive: (r) => ({
      priority_rank: PRIORITY_RANK[(r.priority as keyof typeof PRIORITY_RANK) ?? 'normal'] ?? 2,
    }),
    validate: (ctx, r, changed, existing) => this.validateCase(ctx, r, changed, existing),
    assignOwnership: async (ctx, r) => {
      if (!r.queueId || r.assigneeId) return {};
      const member = await this.assignment.pick(ctx, r.queueId as string, {
        category: (r.category as string | null) ?? null,
        language: (r.language as string | null) ?? null,
      });
      return member ? { assigneeId: member, ownerId: member } : {};
    },
    afterWrite: (tx, write) => this.afterWrite(tx, write),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly assignment: QueueAssignment,
    private readonly sla: SlaClock,
    private readonly timeline: CaseTimeline,
  ) {
    super(records);
  }

  /** The case locked for a change the caller must be allowed to make (404 outside reach). */
  async loadForUpdate(tx: RequestContext, id: string): Promise<ApiRecord> {
    const found = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.grant(tx.user, this.def.entity).update;
    if (!this.permissions.inScope(tx.user, scope, found))
      throw AppError.forbidden('update', 'cases');
    return found;
  }

  /** Checks, without locking, that the caller may change the case (404 / 403). */
  async checkUpdatable(ctx: RequestContext, id: string): Promise<void> {
    const found = await this.records.load(ctx, this.def, id);
    const scope = this.permissions.grant(ctx.user, this.def.entity).update;
    if (!this.permissions.inScope(ctx.user, scope, found))
      throw AppError.forbidden('update', 'cases');
  }

  /** The case as the caller may read it (404 outside reach). */
  load(ctx: RequestContext, id: string): Promise<ApiRecord> {
    return this.records.load(ctx, this.def, id);
  }

  present(ctx: RequestContext, c: ApiRecord) {
    return this.view(ctx, c);
  }

  private async afterWrite(tx: RequestContext, write: RecordWrite) {
    if (write.action === 'delete') return;
    const after = await this.sla.afterWrite(tx, write);
    await this.timeline.put(tx, after);
    const { before } = write;
    const events: NewDomainEvent[] = [];
    const parties = caseParties(after);
    if (!before)
      events.push(
        CASE_OPENED.of(after.id, {
          ...parties,
          subject: after.subject as string,
          channel: after.channel as string,
          category: (after.category as string | null) ?? null,
        }),
      );
    if (before && before.status !== after.status)
      events.push(
        CASE_STATUS_CHANGED.of(after.id, {
          ...parties,
          from: before.status as CaseStatus,
          to: after.status as CaseStatus,
        }),
      );
    const previous = (before?.assigneeId as string | null | undefined) ?? null;
    if (after.assigneeId && after.assigneeId !== previous)
      events.push(
        CASE_ASSIGNED.of(after.id, {
          ...parties,
          previousAssigneeId: previous,
          reason: 'auto',
        }),
      );
    return { record: after, events };
  }

  private async validateCase(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    const refs: [string, string, string][] = [
      ['accountId', 'accounts', 'an account'],
      ['queueId', 'queues', 'a queue'],
      ['orderId', 'orders', 'an order'],
      ['productId', 'products', 'a product'],
    ];
    for (const [field, entity, noun] of refs)
      if (changed.has(field) && r[field])
        await this.records.mustReference(ctx, entity, r[field] as string, field, noun);
    if ((changed.has('contactId') || changed.has('accountId')) && r.contactId) {
      await this.records.mustReference(
        ctx,
        'contacts',
        r.contactId as string,
        'contactId',
        'a contact',
      );
      const contact = await this.records.load(ctx, CONTACT_DEFINITION, r.contactId as string);
      if (r.accountId && contact.accountId !== r.accountId)
        throw AppError.field('contactId', 'contactOfAccount', 'must be a contact of the account');
    }
    if (
      changed.has('category') &&
      r.category &&
      !this.sla.settings.categories.includes(r.category as string)
    )
      throw AppError.field(
        'category',
        'isIn',
        `must be one of: ${this.sla.settings.categories.join(', ')}`,
      );
    if (changed.has('assigneeId') && r.assigneeId) {
      const user = await this.db.one(
        ctx,
        `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
        [r.assigneeId],
      );
      if (!user) throw AppError.field('assigneeId', 'notFound', 'does not exist');
    }
    if (existing && changed.has('status')) {
      const from = existing.status as CaseStatus;
      const to = r.status as CaseStatus;
      if (!canMove(from, to))
        throw new AppError(
          'case_status_transition',
          { from, to, allowed: allowedNext(from).join(', ') || '—' },
          undefined,
          { from, to, allowed: allowedNext(from) },
        );
    }
  }
}
