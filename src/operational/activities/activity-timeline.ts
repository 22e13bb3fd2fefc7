import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { TimelineService, type RecordRef } from '#platform/timeline/index.js';

/**
 * Puts an activity on the timelines it belongs to: the record it relates to, each contact
 * taking part, and the accounts of those contacts and of a related opportunity, so an
 * account's page shows every conversation with its people.
 */
@Injectable()
export class ActivityTimeline {
  constructor(
    private readonly db: DatabaseService,
    private readonly timeline: TimelineService,
  ) {}

  async put(tx: RequestContext, a: ApiRecord): Promise<void> {
    await this.timeline.put(tx, {
      type: a.type as string,
      source: { entity: 'activities', id: a.id },
      subjects: await this.subjectsOf(tx, a),
      occurredAt: a.occurredAt as string,
      title: a.subject as string,
      actorId: a.ownerId,
      data: {
        status: a.status,
        priority: a.priority,
        direction: a.direction,
        dueAt: a.dueAt,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        outcome: a.outcome,
        relatedEntity: a.relatedEntity,
        relatedId: a.relatedId,
      },
    });
  }

  private async subjectsOf(tx: RequestContext, a: ApiRecord): Promise<RecordRef[]> {
    const subjects: RecordRef[] = [];
    const related = a.relatedEntity
      ? { entity: a.relatedEntity as string, id: a.relatedId as string }
      : null;
    if (related) subjects.push(related);
    const contactIds = [...(a.participantContactIds as string[])];
    if (related?.entity === 'contacts') contactIds.push(related.id);
    for (const id of contactIds) subjects.push({ entity: 'contacts', id });
    const opportunityId = related?.entity === 'opportunities' ? related.id : null;
    if (!contactIds.length && !opportunityId) return subjects;
    const accounts = await this.db.query<{ id: string }>(
      tx,
      `SELECT account_id::text AS id FROM contacts WHERE id = ANY($1::uuid[]) AND account_id IS NOT NULL
       UNION
       SELECT account_id::text FROM opportunities WHERE id = $2::uuid`,
      [contactIds, opportunityId],
    );
    for (const { id } of accounts) subjects.push({ entity: 'accounts', id });
    return subjects;
  }
}
