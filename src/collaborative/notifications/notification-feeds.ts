import { Injectable, type OnModuleInit } from '@nestjs/common';
import { assigneeOf } from '#collaborative/stream/index.js';
import { EventBus, type DomainEvent } from '#platform/events/index.js';
import type { ReportRunDeliveredPayload } from './notifications.events.js';
import { NotificationsService, type NewNotification } from './notifications.service.js';

type Feed = (event: DomainEvent) => NewNotification | null;

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const noun = (entity: string) => entity.replace(/-/g, ' ').replace(/s$/, '');

/** Domain events that notify someone, by type, and what they tell whom. */
const FEEDS: Record<string, Feed> = {
  'thread.message_posted': (e) => ({
    kind: 'mention',
    userIds: (e.data.mentionedUserIds as string[] | undefined) ?? [],
    title: `You were mentioned in "${String(e.data.subject)}"`,
    entity: 'threads',
    recordId: str(e.data.threadId),
    data: { threadId: e.data.threadId, messageId: e.data.messageId, byUserId: e.actorId },
  }),
  'case.sla_at_risk': (e) => sla(e, 'at risk'),
  'case.sla_breached': (e) => sla(e, 'breached'),
  'quote.status_changed': (e) => {
    const to = str(e.data.to);
    if (to !== 'approved' && to !== 'rejected' && to !== 'in_review') return null;
    const owner = str(e.data.ownerId);
    if (!owner || owner === e.actorId) return null;
    return {
      kind: 'approval',
      userIds: [owner],
      title: `Quote ${String(e.data.number)} is ${to.replace('_', ' ')}`,
      entity: 'quotes',
      recordId: e.recordId,
      data: { from: e.data.from, to, byUserId: e.actorId },
    };
  },
  'report.run.delivered': (e) => {
    const d = e.data as unknown as ReportRunDeliveredPayload;
    return {
      kind: 'report',
      userIds: Array.isArray(d.userIds) ? d.userIds.filter((u) => typeof u === 'string') : [],
      title: `Report ${d.name ?? ''} is ready`.replace('  ', ' '),
      entity: 'reports',
      recordId: str(d.reportId),
      data: { reportId: d.reportId, runId: d.runId },
    };
  },
};

function sla(e: DomainEvent, state: string): NewNotification {
  const to = str(e.data.assigneeId) ?? str(e.data.ownerId);
  return {
    kind: 'sla_warning',
    userIds: to ? [to] : [],
    title: `Case ${String(e.data.number)}: ${String(e.data.target).replace('_', ' ')} ${state}`,
    entity: 'cases',
    recordId: e.recordId,
    data: { target: e.data.target, dueAt: e.data.dueAt ?? null, state },
  };
}

/** Record types whose owner change is an assignment. */
const OWNED = ['account', 'contact', 'lead', 'opportunity', 'case', 'order', 'quote'];

function assignment(e: DomainEvent): NewNotification | null {
  const to = assigneeOf(e);
  if (!to || to === e.actorId || !e.recordId) return null;
  return {
    kind: 'assignment',
    userIds: [to],
    title: `A ${noun(e.entity)} was assigned to you`,
    entity: e.entity,
    recordId: e.recordId,
    data: { event: e.type, byUserId: e.actorId },
  };
}

/**
 * Feeds the inbox from the event bus: mentions, assignments, approvals, SLA warnings and
 * pushed reports. Each notification keeps the id of its event, so a retry adds none.
 */
@Injectable()
export class NotificationFeeds implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'notifications.inbox',
      types: [
        ...Object.keys(FEEDS),
        'case.assigned',
        'lead.assigned',
        ...OWNED.map((l) => `${l}.updated`),
      ],
      handle: (event) => this.handle(event),
    });
  }

  async handle(event: DomainEvent): Promise<void> {
    const made = FEEDS[event.type]?.(event) ?? assignment(event);
    if (!made || !made.userIds.length) return;
    await this.notifications.notify({ ...made, sourceEventId: event.id });
  }
}
