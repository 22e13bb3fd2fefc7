import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { UUID_PATTERN } from '#platform/database/index.js';
import { type DomainEvent, EventBus } from '#platform/events/index.js';
import { LeadScoreStore } from './lead-score-store.js';
import { LeadScoringService } from './lead-scoring.service.js';

/** The record events of activities; reminders (`activity.due`) change nothing a rule reads. */
const ACTIVITY_CHANGES = [
  'activity.created',
  'activity.updated',
  'activity.deleted',
  'activity.restored',
  'activity.merged',
  'activity.imported',
];

/**
 * Scores a lead again when it is restored (signals may have aged while it was deleted), or
 * when one of its activities is logged, changed, deleted, restored, merged or imported. The leads are read from the activities table, deleted rows included,
 * plus the lead an activity was moved away from (`relatedId` in the event's changes), so
 * both ends of a move are scored.
 */
@Injectable()
export class LeadScoreActivityTrigger implements OnModuleInit {
  constructor(
    private readonly scoring: LeadScoringService,
    private readonly store: LeadScoreStore,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    if (!this.scoring.enabled) return;
    this.bus.subscribe({
      name: 'leads.scoring-activities',
      types: ACTIVITY_CHANGES,
      handle: (event) => this.handle(event),
    });
    this.bus.subscribe({
      name: 'leads.scoring-restored',
      types: ['lead.restored'],
      handle: async (event) => {
        if (event.recordId) await this.scoring.rescoreLeads([event.recordId], 'change');
      },
    });
  }

  async handle(event: DomainEvent): Promise<void> {
    const data = event.data as { created?: unknown; changes?: unknown };
    const activityIds = event.recordId ? [event.recordId] : uuids(data.created);
    const movedFrom = (Array.isArray(data.changes) ? data.changes : [])
      .filter((c: { field?: unknown }) => c.field === 'relatedId')
      .map((c: { old?: unknown }) => c.old);
    const leadIds = await this.store.leadsOfActivities(RequestContext.system(), activityIds);
    await this.scoring.rescoreLeads([...new Set([...leadIds, ...uuids(movedFrom)])], 'activity');
  }
}

/** The ids in an event's data; anything else is ignored rather than sent to SQL. */
function uuids(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && UUID_PATTERN.test(v))
    : [];
}
