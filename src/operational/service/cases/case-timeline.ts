import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { TimelineService, type RecordRef } from '#platform/timeline/index.js';

export const CASE_TIMELINE_TYPE = 'case';

/**
 * Puts a case on its account's and contact's timelines, as one entry that follows its status;
 * readers see it when they may read the case.
 */
@Injectable()
export class CaseTimeline {
  constructor(private readonly timeline: TimelineService) {
    timeline.defineTypes(CASE_TIMELINE_TYPE);
  }

  async put(tx: RequestContext, c: ApiRecord): Promise<void> {
    const subjects: RecordRef[] = [];
    if (c.accountId) subjects.push({ entity: 'accounts', id: c.accountId as string });
    if (c.contactId) subjects.push({ entity: 'contacts', id: c.contactId as string });
    await this.timeline.put(tx, {
      type: CASE_TIMELINE_TYPE,
      source: { entity: 'cases', id: c.id },
      subjects,
      occurredAt: c.createdAt as string,
      title: `Case ${c.number as string}: ${c.subject as string} (${c.status as string})`,
      actorId: c.ownerId,
      data: {
        number: c.number,
        status: c.status,
        priority: c.priority,
        channel: c.channel,
        slaStatus: c.slaStatus,
      },
    });
  }
}
