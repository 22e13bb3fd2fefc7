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

const BATCH = 100;

/**
 * Hands committed events to subscribers. Woken by NOTIFY and by a slow poll (for events
 * committed while it was down). Rows are claimed with SKIP LOCKED, so several processes share
 * the work without handing one event out twice at once; each subscriber's success is recorded,
 * so a retry only calls the subscribers that failed. Failing events back off exponentially and
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
    for (const row of rows) await this.deliver(ctx, row);
    return rows.length;
  }

  private async deliver(ctx: RequestContext, row: EventRow): Promise<void> {
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
    const done = new Set(
      (
        await this.db.query<{ subscriber: string }>(
          ctx,
          `SELECT subscriber FROM domain_event_deliveries WHERE event_id = $1`,
          [row.id],
        )
      ).map((r) => r.subscriber),
    );
    const errors: string[] = [];
    for (const subscriber of this.bus.all()) {
      if (done.has(subscriber.name) || !matchesType(subscriber.types, event.type)) continue;
      try {
        await subscriber.handle(event);
        await this.db.query(
          ctx,
          `INSERT INTO domain_event_deliveries (event_id, subscriber) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          [row.id, subscriber.name],
        );
      } catch (err) {
        errors.push(`${subscriber.name}: ${(err as Error).message}`);
      }
    }
    if (errors.length === 0) {
      await this.db.query(
        ctx,
        `UPDATE domain_events SET dispatched_at = now(), last_error = NULL WHERE id = $1`,
        [row.id],
      );
      return;
    }
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
