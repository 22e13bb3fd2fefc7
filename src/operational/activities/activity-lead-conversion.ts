import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { type DomainEvent, EventBus } from '#platform/events/index.js';
import { RecordService, recordSelect, rowToRecord } from '#platform/records/index.js';
import { ActivityTimeline } from './activity-timeline.js';
import { ACTIVITY_DEFINITION } from './activity.definition.js';

/**
 * When a lead converts, its activities follow the person: each one about the lead becomes
 * about the contact it turned into (or the account, when no contact was made), with history,
 * an `activity.updated` event and its place on the new timelines. The lead's own timeline
 * keeps the conversion entry.
 */
@Injectable()
export class ActivityLeadConversion implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly records: RecordService,
    private readonly timeline: ActivityTimeline,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'activities.follow-converted-lead',
      types: ['lead.converted'],
      handle: (event) => this.follow(event),
    });
  }

  async follow(event: DomainEvent): Promise<void> {
    const leadId = event.recordId;
    const contactId = event.data.contactId as string | null;
    const accountId = event.data.accountId as string | null;
    const target = contactId
      ? { entity: 'contacts', id: contactId }
      : accountId && { entity: 'accounts', id: accountId };
    if (!leadId || !target) return;
    const def = ACTIVITY_DEFINITION;
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const rows = await this.db.query(
        tx,
        `UPDATE activities ${def.alias} SET related_entity = $2, related_id = $3, version = version + 1, updated_at = now()
          WHERE related_entity = 'leads' AND related_id = $1 AND deleted_at IS NULL
          RETURNING ${recordSelect(def)}`,
        [leadId, target.entity, target.id],
      );
      for (const row of rows) {
        const activity = rowToRecord(def, row);
        const changes = [
          { field: 'relatedEntity', old: 'leads', new: target.entity },
          { field: 'relatedId', old: leadId, new: target.id },
        ];
        await this.records.recordChange(tx, def, activity.id, changes, 'lead.converted');
        await this.timeline.put(tx, activity);
      }
    });
  }
}
