export type { DomainEvent, NewDomainEvent } from './domain-event.js';
export { EventBus } from './event-bus.js';
export { declareEvent, declaredEventTypes } from './event-declaration.js';
export { EventOutbox } from './event-outbox.service.js';
