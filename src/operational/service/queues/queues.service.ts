import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  recordSelect,
  rowToRecord,
} from '#platform/records/index.js';
import { caseParties } from '../cases/case-parties.js';
import { CasesService } from '../cases/cases.service.js';
import { CASE_DEFINITION } from '../cases/case.definition.js';
import { CASE_ASSIGNED } from '../service.events.js';
import { SlaClock } from '../sla/sla-clock.js';
import type { PutQueueMemberDto, QueueMemberDto } from './dto/queue.dto.js';
import { QUEUE_DEFINITION } from './queue.definition.js';

type MemberRow = {
  queue_id: string;
  user_id: string;
  categories: string[];
  languages: string[];
  available: boolean;
  last_assigned_at: Date | null;
};

const toMember = (r: MemberRow): QueueMemberDto => ({
  queueId: r.queue_id,
  userId: r.user_id,
  categories: r.categories,
  languages: r.languages,
  available: r.available,
  lastAssignedAt: r.last_assigned_at?.toISOString() ?? null,
});

/**
 * Queues, their members and the work they hand out: `next` gives the calling member the
 * queue's most urgent unassigned case (priority, then resolution due time, then age), taken
 * with FOR UPDATE SKIP LOCKED in one statement so that concurrent callers never get the same case.
 */
@Injectable()
export class QueuesService extends RecordResourceService {
  readonly def = QUEUE_DEFINITION;

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly cases: CasesService,
    private readonly sla: SlaClock,
    private readonly outbox: EventOutbox,
  ) {
    super(records);
  }

  async members(ctx: RequestContext, queueId: string) {
    await this.records.load(ctx, this.def, queueId);
    const rows = await this.db.query<MemberRow>(
      ctx,
      `SELECT * FROM queue_members WHERE queue_id = $1 ORDER BY created_at, user_id LIMIT 1000`,
      [queueId],
    );
    return { data: rows.map(toMember) };
  }

  /**
   * Adds or changes a member. Whoever may update the queue manages its members; an agent
   * may switch their own availability.
   */
  async putMember(ctx: RequestContext, queueId: string, userId: string, body: PutQueueMemberDto) {
    return this.db.transaction(ctx, async (tx) => {
      const queue = await this.records.load(tx, this.def, queueId);
      const existing = await this.db.one<MemberRow>(
        tx,
        `SELECT * FROM queue_members WHERE queue_id = $1 AND user_id = $2 FOR UPDATE`,
        [queueId, userId],
      );
      const scope = this.permissions.grant(tx.user, this.def.entity).update;
      const manages = this.permissions.inScope(tx.user, scope, queue);
      const ownAvailability =
        existing !== null &&
        userId === tx.user.userId &&
        body.categories === undefined &&
        body.languages === undefined;
      if (!manages && !ownAvailability) throw AppError.forbidden('update', 'queues');
      const unknown = (body.categories ?? []).find(
        (c) => !this.sla.settings.categories.includes(c),
      );
      if (unknown) throw AppError.field('categories', 'isIn', `${unknown} is not a case category`);
      const user = await this.db.one(
        tx,
        `SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL`,
        [userId],
      );
      if (!user) throw AppError.notFound('user', userId);
      const rows = await this.db.query<MemberRow>(
        tx,
        `INSERT INTO queue_members AS m (queue_id, user_id, categories, languages, available)
         VALUES ($1, $2, coalesce($3, '{}'::text[]), coalesce($4, '{}'::text[]), coalesce($5, true))
         ON CONFLICT (queue_id, user_id) DO UPDATE
           SET categories = coalesce($3, m.categories), languages = coalesce($4, m.languages),
               available = coalesce($5, m.available), updated_at = now()
         RETURNING *`,
        [queueId, userId, body.categories ?? null, body.languages ?? null, body.available ?? null],
      );
      return { member: toMember(rows[0]), created: existing === null };
    });
  }

  async removeMember(ctx: RequestContext, queueId: string, userId: string): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const queue = await this.records.load(tx, this.def, queueId);
      const scope = this.permissions.grant(tx.user, this.def.entity).update;
      if (!this.permissions.inScope(tx.user, scope, queue))
        throw AppError.forbidden('update', 'queues');
      const rows = await this.db.query(
        tx,
        `DELETE FROM queue_members WHERE queue_id = $1 AND user_id = $2 RETURNING user_id`,
        [queueId, userId],
      );
      if (rows.length === 0) throw AppError.notFound('queue member', userId);
    });
  }

  /** The next case for the calling member, assigned to them; null when the queue is empty. */
  async next(ctx: RequestContext, queueId: string) {
    const taken = await this.db.transaction(ctx, async (tx) => {
      await this.records.load(tx, this.def, queueId);
      const agent = tx.user.userId;
      const member = await this.db.one(
        tx,
        `SELECT 1 FROM queue_members WHERE queue_id = $1 AND user_id = $2`,
        [queueId, agent],
      );
      if (!member) throw new AppError('queue_not_member');
      const rows = await this.db.query(
        tx,
        `WITH picked AS (
           SELECT id, owner_id FROM cases
            WHERE queue_id = $1 AND assignee_id IS NULL AND deleted_at IS NULL
              AND status NOT IN ('resolved', 'closed')
            ORDER BY priority_rank DESC, resolution_due_at, created_at
            LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE cases cs SET assignee_id = $2, owner_id = $2, version = version + 1,
                updated_at = now(), updated_by_id = $2
           FROM picked WHERE cs.id = picked.id
         RETURNING ${recordSelect(CASE_DEFINITION)}, picked.owner_id AS previous_owner_id`,
        [queueId, agent],
      );
      if (rows.length === 0) return null;
      const after = rowToRecord(CASE_DEFINITION, rows[0]);
      const previousOwner = rows[0].previous_owner_id as string;
      await this.db.query(
        tx,
        `UPDATE queue_members SET last_assigned_at = clock_timestamp() WHERE queue_id = $1 AND user_id = $2`,
        [queueId, agent],
      );
      await this.records.recordChange(
        tx,
        CASE_DEFINITION,
        after.id,
        [
          { field: 'assigneeId', old: null, new: agent },
          ...(previousOwner !== agent
            ? [{ field: 'ownerId', old: previousOwner, new: agent }]
            : []),
        ],
        'queue.next',
      );
      await this.outbox.append(tx, [
        CASE_ASSIGNED.of(after.id, {
          ...caseParties(after),
          previousAssigneeId: null,
          reason: 'next',
        }),
      ]);
      return after;
    });
    return taken && this.cases.present(ctx, taken);
  }
}
