import { Injectable } from '@nestjs/common';

/** Flipped on once migrations are done; until then the API answers 503. */
@Injectable()
export class Readiness {
  private ready = false;
  private reason = 'starting';

  markReady(): void {
    this.ready = true;
    this.reason = 'ready';
  }

  markNotReady(reason: string): void {
    this.ready = false;
    this.reason = reason;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get state(): string {
    return this.reason;
  }
}
