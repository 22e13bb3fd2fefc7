import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { TimelineService, type RecordRef } from '#platform/timeline/index.js';

export const ORDER_TIMELINE_TYPE = 'order';

/**
 * Puts an order on the timelines of its account, its contact and its opportunity, as one
 * entry that follows the order's status; readers see it when they may read the order.
 */
@Injectable()
export class OrderTimeline {
  constructor(private readonly timeline: TimelineService) {
    timeline.defineTypes(ORDER_TIMELINE_TYPE);
  }

  async put(tx: RequestContext, order: ApiRecord): Promise<void> {
    const subjects: RecordRef[] = [{ entity: 'accounts', id: order.accountId as string }];
    if (order.contactId) subjects.push({ entity: 'contacts', id: order.contactId as string });
    if (order.opportunityId)
      subjects.push({ entity: 'opportunities', id: order.opportunityId as string });
    const total = order.total as { amount: string; currency: string };
    await this.timeline.put(tx, {
      type: ORDER_TIMELINE_TYPE,
      source: { entity: 'orders', id: order.id },
      subjects,
      occurredAt: order.orderedAt as string,
      title: `Order ${order.number as string}: ${total.amount} ${total.currency}, ${order.status as string}`,
      actorId: order.ownerId,
      data: {
        number: order.number,
        status: order.status,
        total: order.total,
        statusChangedAt: order.statusChangedAt,
      },
    });
  }
}
