import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import type { DeliveryStatus, DeliveryTrigger } from './dto/webhook-delivery.dto.js';
import type { WebhookStatus } from './dto/webhook.dto.js';
import type { SendResult } from './webhook-sender.js';

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  trigger: DeliveryTrigger;
  status: DeliveryStatus;
  scheduled_at: Date;
  attempted_at: Date | null;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  created_at: Date;
  updated_at: Date;
}

/** A pending delivery with what sending it needs: the webhook and the stored event. */
export interface DeliveryWork extends DeliveryRow {
  url: string;
  webhook_status: WebhookStatus;
  webhook_deleted: boolean;
  secret: string;
  previous_secret: string | null;
  previous_valid: boolean;
  entity: string | null;
  record_id: string | null;
  actor_id: string | null;
  occurred_at: Date | null;
  data: Record<string, unknown> | null;
}

/** A webhook's failure counters after one more failed delivery. */
export interface FailureCounters {
  failures: number;
  /** Failing for longer than the pause window given. */
  failing_long: boolean;
}

/**
 * The SQL of webhook deliveries and of the delivery state kept on their webhook (failure
 * counters, pausing). Waits are added to the database's clock. A plain class owned by the
 * delivery services, not a provider, so no other module can inject it.
 */
export class WebhookDeliveriesRepository {
  constructor(private readonly db: DatabaseService) {}

  async find(ctx: RequestContext, webhookId: string, id: string): Promise<DeliveryRow | null> {
    return this.db.one<DeliveryRow>(
      ctx,
      `SELECT * FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2`,
      [id, webhookId],
    );
  }

  /** The webhooks that take events now, with what they subscribe to. */
  async activeWebhooks(
    ctx: RequestContext,
  ): Promise<{ id: string; event_types: string[]; entities: string[] }[]> {
    return this.db.query(
      ctx,
      `SELECT id, event_types, entities FROM webhook_subscriptions WHERE status = 'active' AND deleted_at IS NULL`,
    );
  }

  /**
   * Stores a `webhook.ping` event as dispatched already: it exists for one delivery, no
   * subscriber sees it.
   */
  async insertPingEvent(
    ctx: RequestContext,
    eventId: string,
    webhookId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      ctx,
      `INSERT INTO domain_events (id, type, entity, record_id, actor_id, request_id, data, dispatched_at)
       VALUES ($1, 'webhook.ping', 'webhooks', $2, $3, $4, $5, now())`,
      [eventId, webhookId, ctx.user.userId, ctx.requestId ?? null, JSON.stringify(data)],
    );
  }

  /**
   * The first attempt of an event for a webhook, or null when it exists already: the unique
   * (webhook, event, attempt) key makes a replayed event a no-op.
   */
  async insertFirst(
    ctx: RequestContext,
    webhookId: string,
    eventId: string,
    eventType: string,
    trigger: 'event' | 'ping',
  ): Promise<DeliveryRow | null> {
    const [row] = await this.db.query<DeliveryRow>(
      ctx,
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, attempt, trigger)
       VALUES ($1, $2, $3, $4, 1, $5)
       ON CONFLICT (subscription_id, event_id, attempt) DO NOTHING RETURNING *`,
      [uuidv7(), webhookId, eventId, eventType, trigger],
    );
    return row ?? null;
  }

  /** The next attempt for the event of `previous`, due in `delayMs`; under the webhook's row lock. */
  async insertNext(
    ctx: RequestContext,
    previous: DeliveryRow,
    trigger: DeliveryTrigger,
    delayMs: number,
  ): Promise<DeliveryRow> {
    const [row] = await this.db.query<DeliveryRow>(
      ctx,
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, attempt, trigger, scheduled_at)
       SELECT $1, $2, $3, $4, max(attempt) + 1, $5, now() + make_interval(secs => $6::float8 / 1000)
         FROM webhook_deliveries WHERE subscription_id = $2 AND event_id = $3
       RETURNING *`,
      [
        uuidv7(),
        previous.subscription_id,
        previous.event_id,
        previous.event_type,
        trigger,
        delayMs,
      ],
    );
    return row;
  }

  async loadWork(ctx: RequestContext, id: string): Promise<DeliveryWork | null> {
    return this.db.one<DeliveryWork>(
      ctx,
      `SELECT d.*, w.url, w.status AS webhook_status, w.deleted_at IS NOT NULL AS webhook_deleted,
              w.secret, w.previous_secret,
              coalesce(w.previous_secret_expires_at > now(), false) AS previous_valid,
              e.entity, e.record_id, e.actor_id, e.occurred_at, e.data
         FROM webhook_deliveries d
         JOIN webhook_subscriptions w ON w.id = d.subscription_id
         LEFT JOIN domain_events e ON e.id = d.event_id
        WHERE d.id = $1`,
      [id],
    );
  }

  async cancel(ctx: RequestContext, id: string, reason: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE webhook_deliveries SET status = 'cancelled', error = $2, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, reason],
    );
  }

  /** Locks the webhook, which orders the attempts of one webhook: counters and attempt numbers stay exact. */
  async lockWebhook(ctx: RequestContext, webhookId: string): Promise<WebhookStatus | null> {
    const row = await this.db.one<{ status: WebhookStatus }>(
      ctx,
      `SELECT status FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`,
      [webhookId],
    );
    return row?.status ?? null;
  }

  /** Records a sent attempt; false when it was settled already (a rerun after a crash). */
  async recordAttempt(
    ctx: RequestContext,
    id: string,
    status: 'success' | 'failed',
    result: SendResult,
    error: string | null,
  ): Promise<boolean> {
    const updated = await this.db.query(
      ctx,
      `UPDATE webhook_deliveries SET status = $2, attempted_at = now() - make_interval(secs => $7::float8 / 1000),
              response_status = $3, response_body = $4, error = $5, duration_ms = $6, updated_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [
        id,
        status,
        result.status,
        result.body,
        error?.slice(0, 1000) ?? null,
        result.durationMs,
        result.durationMs,
      ],
    );
    return updated.length > 0;
  }

  async resetFailures(ctx: RequestContext, webhookId: string): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL,
              last_success_at = now() WHERE id = $1`,
      [webhookId],
    );
  }

  async countFailure(
    ctx: RequestContext,
    webhookId: string,
    pauseAfterHours: number,
  ): Promise<FailureCounters> {
    const [counters] = await this.db.query<FailureCounters>(
      ctx,
      `UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
              failing_since = coalesce(failing_since, now()), last_failure_at = now()
        WHERE id = $1
        RETURNING consecutive_failures AS failures,
                  failing_since < now() - make_interval(hours => $2) AS failing_long`,
      [webhookId, pauseAfterHours],
    );
    return counters;
  }

  /**
   * The automatic attempts of an event so far (resends by an admin left out), and how long
   * after the first one the latest was due: measured on the schedule, not the clock, so that
   * a worker that was down does not cut the retries short.
   */
  async automaticAttempts(
    ctx: RequestContext,
    webhookId: string,
    eventId: string,
  ): Promise<{ count: number; spanMs: number }> {
    const [row] = await this.db.query<{ n: number; span_ms: number }>(
      ctx,
      `SELECT count(*)::int AS n,
              coalesce(extract(epoch FROM max(scheduled_at) - min(scheduled_at)) * 1000, 0)::float8 AS span_ms
         FROM webhook_deliveries
        WHERE subscription_id = $1 AND event_id = $2 AND trigger <> 'resend'`,
      [webhookId, eventId],
    );
    return { count: row.n, spanMs: row.span_ms };
  }

  async stopWebhook(
    ctx: RequestContext,
    webhookId: string,
    status: 'paused' | 'disabled',
    reason: string,
  ): Promise<void> {
    await this.db.query(
      ctx,
      `UPDATE webhook_subscriptions SET status = $2, paused_reason = $3, paused_at = now(),
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [webhookId, status, reason.slice(0, 1000)],
    );
  }

  /** Deletes up to `limit` settled deliveries older than `days`; returns how many. */
  async deleteOlderThan(ctx: RequestContext, days: number, limit: number): Promise<number> {
    const deleted = await this.db.query(
      ctx,
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries
          WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)
          LIMIT $2)
       RETURNING id`,
      [days, limit],
    );
    return deleted.length;
  }
}
