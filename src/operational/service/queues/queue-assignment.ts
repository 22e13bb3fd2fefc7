import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

export const QUEUE_STRATEGIES = ['round_robin', 'least_open', 'skills'] as const;
export type QueueStrategy = (typeof QUEUE_STRATEGIES)[number];

/** Cases an agent is working: assigned and not resolved or closed. */
const OPEN_CASES = `(SELECT count(*) FROM cases oc
    WHERE oc.assignee_id = m.user_id AND oc.deleted_at IS NULL AND oc.status NOT IN ('resolved', 'closed'))`;

const ORDER: Record<QueueStrategy, string> = {
  round_robin: 'm.last_assigned_at NULLS FIRST, m.user_id',
  least_open: `${OPEN_CASES}, m.last_assigned_at NULLS FIRST, m.user_id`,
  skills: `${OPEN_CASES}, m.last_assigned_at NULLS FIRST, m.user_id`,
};

/**
 * Who of a queue's available members gets a new case, by the queue's strategy: the one
 * waiting longest since their last case (round_robin), the one with the fewest open cases
 * (least_open), or among those whose skills cover the case's category and language, the one
 * with the fewest open cases (skills; a member listing no categories or languages takes any).
 * The queue row is locked while choosing, so concurrent cases take turns.
 */
@Injectable()
export class QueueAssignment {
  constructor(private readonly db: DatabaseService) {}

  /** The member to assign, or null when the queue does not assign or nobody is available. */
  async pick(
    tx: RequestContext,
    queueId: string,
    c: { category: string | null; language: string | null },
  ): Promise<string | null> {
    const queue = await this.db.one<{ strategy: QueueStrategy; auto_assign: boolean }>(
      tx,
      `SELECT strategy, auto_assign FROM queues WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [queueId],
    );
    if (!queue?.auto_assign) return null;
    const skills =
      queue.strategy === 'skills'
        ? `AND ($2::text IS NULL OR cardinality(m.categories) = 0 OR $2 = ANY (m.categories))
           AND ($3::text IS NULL OR cardinality(m.languages) = 0 OR $3 = ANY (m.languages))`
        : // The parameters are typed even when the strategy ignores them.
          'AND ($2::text IS NULL OR TRUE) AND ($3::text IS NULL OR TRUE)';
    const chosen = await this.db.one<{ user_id: string }>(
      tx,
      `SELECT m.user_id FROM queue_members m JOIN users u ON u.id = m.user_id
        WHERE m.queue_id = $1 AND m.available AND u.active AND u.deleted_at IS NULL ${skills}
        ORDER BY ${ORDER[queue.strategy]} LIMIT 1`,
      [queueId, c.category, c.language],
    );
    if (!chosen) return null;
    await this.db.query(
      tx,
      `UPDATE queue_members SET last_assigned_at = clock_timestamp() WHERE queue_id = $1 AND user_id = $2`,
      [queueId, chosen.user_id],
    );
    return chosen.user_id;
  }
}
