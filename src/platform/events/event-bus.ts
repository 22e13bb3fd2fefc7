import { Injectable } from '@nestjs/common';
import type { EventSubscriber } from './domain-event.js';

/** The one event bus: modules register subscribers here at start; the dispatcher calls them. */
@Injectable()
export class EventBus {
  private readonly subscribers = new Map<string, EventSubscriber>();

  subscribe(subscriber: EventSubscriber): void {
    if (this.subscribers.has(subscriber.name))
      throw new Error(`Event subscriber "${subscriber.name}" registered twice`);
    this.subscribers.set(subscriber.name, subscriber);
  }

  all(): EventSubscriber[] {
    return [...this.subscribers.values()];
  }
}
