import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import type { ChannelListener } from '#platform/database/channel-listener.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { matchesType, type DomainEvent } from './domain-event.js';
import { EventBus } from './event-bus.js';
import { OUTBOX_CHANNEL } from './event-outbox.service.js';
import { EVENT_RETRIES } from './event-retry-policy.js';

interface EventRow {
  id: string;
  type: string;
  entity: string;
  record_id: string | null;
  actor_id: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
  attempts: number;
}

interface DeliveryOutcome {
  succeeded: string[];
  errors: string[];
}

const BATCH = 100;
const MARK_EVERY_MS = 250;

/**
 * Hands committed events to subscribers. Woken by NOTIFY and by a slow poll (for events
 * committed while it was down). Rows are claimed with SKIP LOCKED, so several processes share
 * the work without handing one event out twice at once. When some subscribers of an event
 * fail, the ones that succeeded are recorded, so the retry only calls those that failed; the
 * events that went through are marked in one statement per batch or quarter second, not one
 * per event, because the dispatcher must keep up with the busiest writer (a campaign send
 * makes two events per message). Failing events back off exponentially and
 * stop after the last attempt EVENT_RETRIES allows, kept with their last error for an operator to see.
 */
@Injectable()
export class EventDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('EventDispatcher');
  private listener: ChannelListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.listener = this.db.channelListener({
      name: 'relasi-events',
      channel: OUTBOX_CHANNEL,
      onNotify: () => this.wake(),
      logger: this.logger,
    });
    await this.listener.ensure();
    this.timer = setInterval(() => {
      void this.listener?.ensure();
      this.wake();
    }, this.env.outboxPollMs);
    this.wake();
  }

  /** Runs a pass now, or right after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.logger.error(`outbox pass failed: ${(err as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const handled = await this.pass();
      if (handled < BATCH) return;
    }
  }

  /** One claimed batch; returns how many events it took. */
  async pass(): Promise<number> {
    const ctx = RequestContext.system();
    const rows = await this.db.transaction(ctx, async (tx) => {
      const claimed = await this.db.query<EventRow>(
        tx,
        `SELECT id, type, entity, record_id, actor_id, request_id, data, occurred_at, attempts FROM domain_events
          WHERE dispatched_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
          ORDER BY occurred_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (claimed.length) {
        // Claimed for a minute: another process skips them meanwhile; a crash releases them.
        await this.db.query(
          tx,
          `UPDATE domain_events SET next_attempt_at = now() + interval '1 minute', attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
          [claimed.map((r) => r.id)],
        );
      }
      return claimed;
    });
    const delivered = await this.deliveredBefore(ctx, rows);
    // Events that went through are marked together, at most MARK_EVERY_MS apart: a crash before
    // a mark hands those events out again, which subscribers tolerate (delivery is at least once).
    let dispatched: string[] = [];
    let markedAt = Date.now();
    const mark = async () => {
      if (dispatched.length === 0) return;
      const ids = dispatched;
      dispatched = [];
      markedAt = Date.now();
      await this.db.query(
        ctx,
        `UPDATE domain_events SET dispatched_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    };
    try {
      for (const row of rows) {
        const outcome = await this.deliver(row, delivered.get(row.id));
        if (outcome.errors.length === 0) dispatched.push(row.id);
        else await this.recordFailure(ctx, row, outcome);
        if (Date.now() - markedAt >= MARK_EVERY_MS) await mark();
      }
    } finally {
      await mark();
    }
    return rows.length;
  }

  /** The subscribers earlier attempts got through, for the events being retried. */
  private async deliveredBefore(
    ctx: RequestContext,
    rows: EventRow[],
  ): Promise<Map<string, Set<string>>> {
    const delivered = new Map<string, Set<string>>();
    const retried = rows.filter((r) => r.attempts > 0).map((r) => r.id);
    if (retried.length === 0) return delivered;
    const found = await this.db.query<{ event_id: string; subscriber: string }>(
      ctx,
      `SELECT event_id, subscriber FROM domain_event_deliveries WHERE event_id = ANY($1::uuid[])`,
      [retried],
    );
    for (const { event_id, subscriber } of found) {
      const names = delivered.get(event_id) ?? new Set<string>();
      names.add(subscriber);
      delivered.set(event_id, names);
    }
    return delivered;
  }

  /** Calls every subscriber of the event that has not had it yet; failures do not stop the rest. */
  private async deliver(row: EventRow, before = new Set<string>()): Promise<DeliveryOutcome> {
    const event: DomainEvent = {
      id: row.id,
      type: row.type,
      entity: row.entity,
      recordId: row.record_id,
      actorId: row.actor_id,
      requestId: row.request_id,
      occurredAt: row.occurred_at.toISOString(),
      data: row.data,
    };
    const succeeded: string[] = [];
    const errors: string[] = [];
    for (const subscriber of this.bus.all()) {
      if (before.has(subscriber.name) || !matchesType(subscriber.types, event.type)) continue;
      try {
        await subscriber.handle(event);
        succeeded.push(subscriber.name);
      } catch (err) {
        errors.push(`${subscriber.name}: ${(err as Error).message}`);
      }
    }
    return { succeeded, errors };
  }

  /**
   * Keeps which subscribers got the event, so the retry calls only the ones that failed, and
   * schedules that retry (or gives up after the last attempt).
   */
  private async recordFailure(
    ctx: RequestContext,
    row: EventRow,
    { succeeded, errors }: DeliveryOutcome,
  ): Promise<void> {
    if (succeeded.length)
      await this.db.query(
        ctx,
        `INSERT INTO domain_event_deliveries (event_id, subscriber)
         SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [row.id, succeeded],
      );
    const attempts = row.attempts + 1;
    this.logger.warn(
      `event ${row.type} ${row.id} failed (attempt ${attempts}): ${errors.join('; ')}`,
    );
    const delay = EVENT_RETRIES.delayAfter(attempts);
    await this.db.query(
      ctx,
      `UPDATE domain_events SET last_error = $2,
         failed_at = CASE WHEN $3::float8 IS NULL THEN now() ELSE NULL END,
         next_attempt_at = coalesce(now() + make_interval(secs => $3::float8 / 1000), next_attempt_at)
       WHERE id = $1`,
      [row.id, errors.join('; ').slice(0, 2000), delay],
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.listener?.close();
    this.listener = null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
