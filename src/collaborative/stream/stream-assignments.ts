import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventBus, type DomainEvent } from '#platform/events/index.js';
import { StreamPublisher } from './stream-publisher.js';

/** Record types whose change of owner is an assignment worth telling the new owner live. */
const OWNED = ['account', 'contact', 'lead', 'opportunity', 'case', 'order', 'quote'];

interface Change {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * Puts assignments on the stream of whoever receives them: a case given to an agent
 * (`case.assigned`), a lead routed by the rules (`lead.assigned`), and any record whose
 * owner changed (`<label>.updated` with an `ownerId` change).
 */
@Injectable()
export class StreamAssignments implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly db: DatabaseService,
    private readonly stream: StreamPublisher,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'stream.assignments',
      types: ['case.assigned', 'lead.assigned', ...OWNED.map((l) => `${l}.updated`)],
      handle: (event) => this.handle(event),
    });
  }

  async handle(event: DomainEvent): Promise<void> {
    const to = assigneeOf(event);
    if (!to || to === event.actorId || !event.recordId) return;
    await this.db.transaction(RequestContext.system(), (tx) =>
      this.stream.publish(tx, [
        {
          type: 'assignment',
          userIds: [to],
          data: {
            entity: event.entity,
            recordId: event.recordId,
            event: event.type,
            byUserId: event.actorId,
            occurredAt: event.occurredAt,
          },
        },
      ]),
    );
  }
}

/** The user a domain event assigns a record to, if it does. */
export function assigneeOf(event: DomainEvent): string | null {
  const d = event.data;
  if (event.type === 'case.assigned') return (d.assigneeId as string | null) ?? null;
  if (event.type === 'lead.assigned') return (d.ownerId as string | null) ?? null;
  if (!event.type.endsWith('.updated')) return null;
  const change = ((d.changes as Change[] | undefined) ?? []).find((c) => c.field === 'ownerId');
  return change && typeof change.new === 'string' ? change.new : null;
}
