/** Something that happened to a record, as other modules and webhooks see it. */
export interface DomainEvent {
  id: string;
  /** `<entity label>.<verb>`, e.g. `contact.created`, `contact.updated`. */
  type: string;
  /** Plural entity key, e.g. `contacts`. */
  entity: string;
  recordId: string | null;
  actorId: string | null;
  requestId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

export type NewDomainEvent = Pick<DomainEvent, 'type' | 'entity' | 'recordId' | 'data'>;

/** A handler of domain events; `name` must be stable: deliveries are recorded under it. */
export interface EventSubscriber {
  name: string;
  /** Exact types or `<label>.*` or `*`. */
  types: readonly string[];
  handle(event: DomainEvent): Promise<void>;
}

export function matchesType(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))),
  );
}
