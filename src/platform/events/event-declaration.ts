import type { NewDomainEvent } from './domain-event.js';

/**
 * One kind of domain event a module announces: its wire name, the entity it is about and
 * the shape of its payload. Modules declare theirs in `<feature>.events.ts`, so what a
 * subscriber or webhook receives is written down once, next to the code that causes it.
 */
export interface DomainEventType<P extends object> {
  readonly type: string;
  readonly entity: string;
  /** The event as the outbox stores it. */
  of(recordId: string | null, payload: P): NewDomainEvent;
}

const declared = new Set<string>();

/** Every event type a module has declared, for features that let admins pick one. */
export function declaredEventTypes(): string[] {
  return [...declared].sort();
}

export function declareEvent<P extends object>(type: string, entity: string): DomainEventType<P> {
  declared.add(type);
  return {
    type,
    entity,
    of: (recordId, payload) => ({
      type,
      entity,
      recordId,
      data: { ...payload } as Record<string, unknown>,
    }),
  };
}
