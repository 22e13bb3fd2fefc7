import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { HistoryService } from '#platform/audit/history.service.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { matchesType, type DomainEvent } from '#platform/events/domain-event.js';
import { EventBus } from '#platform/events/event-bus.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import { AppError } from '#platform/http/app-error.js';
import type { Job } from '#platform/jobs/job.types.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { metricsRegistry } from '#platform/observability/metrics.js';
import { adminField, listAdminTable } from '#platform/access/admin-list.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { RetryPolicy } from '#platform/retry/retry-policy.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import {
  DELIVERY_STATUSES,
  DELIVERY_TRIGGERS,
  type DeliveryStatus,
  type DeliveryTrigger,
  type WebhookDeliveryDto,
} from './dto/webhook-delivery.dto.js';
import type { WebhookStatus } from './dto/webhook.dto.js';
import { webhookRetryPolicy } from './webhook-retry-policy.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';
import { WebhookUrlError } from './webhook-url-policy.js';
import { WEBHOOK_ENTITY, WEBHOOK_LABEL, WebhooksService } from './webhooks.service.js';

export const DELIVER_QUEUE = 'webhooks.deliver';
const CLEANUP_QUEUE = 'webhooks.cleanup';
/** Subscriptions failing for this long are paused even below the failure count. */
const PAUSE_AFTER_FAILING_HOURS = 24;
const USER_AGENT = 'Relasi-Webhooks/1.0';

const deliveriesTotal = new Counter({
  name: 'relasi_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (success, failed, cancelled)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

interface DeliveryRow {
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
interface DeliveryWork extends DeliveryRow {
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

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentDelivery(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    webhookId: r.subscription_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attempt: r.attempt,
    trigger: r.trigger,
    status: r.status,
    scheduledAt: r.scheduled_at.toISOString(),
    attemptedAt: iso(r.attempted_at),
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.error,
    durationMs: r.duration_ms,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Delivery rows are never soft-deleted: the list reads the table as it is. */
const DELIVERY_SCHEMA: QuerySchema = {
  entity: 'webhook_deliveries',
  table: 'webhook_deliveries',
  softDelete: false,
  alias: 'd',
  fields: new Map([
    adminField('id', 'd.id', 'uuid', { sortable: true }),
    adminField('eventId', 'd.event_id', 'uuid'),
    adminField('eventType', 'd.event_type', 'string', { sortable: true }),
    adminField('attempt', 'd.attempt', 'integer', { sortable: true }),
    adminField('trigger', 'd.trigger', 'enum', { values: DELIVERY_TRIGGERS }),
    adminField('status', 'd.status', 'enum', { values: DELIVERY_STATUSES }),
    adminField('responseStatus', 'd.response_status', 'integer', { nullable: true }),
    adminField('scheduledAt', 'd.scheduled_at', 'datetime', { sortable: true }),
    adminField('attemptedAt', 'd.attempted_at', 'datetime', { nullable: true, sortable: true }),
    adminField('createdAt', 'd.created_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: null,
  defaultSort: '-createdAt',
  ownerColumn: null,
  teamColumn: null,
};

const DELIVERY_FIELDS = [
  'id',
  'webhookId',
  'eventId',
  'eventType',
  'attempt',
  'trigger',
  'status',
  'scheduledAt',
  'attemptedAt',
  'responseStatus',
  'responseBody',
  'error',
  'durationMs',
  'createdAt',
  'updatedAt',
] satisfies (keyof WebhookDeliveryDto)[];

/**
 * Turns committed domain events into signed HTTP deliveries. The event subscriber writes
 * one delivery row and one job per matching webhook in a transaction (the unique
 * (webhook, event, attempt) key makes a replayed event a no-op); the job sends it, records
 * the attempt, and schedules the next one on failure until the 24 h retry window closes. A
 * 410 Gone disables the webhook; too many failures in a row pause it, with a
 * `webhook.paused` event and a warning in the log.
 */
@Injectable()
export class WebhookDeliveriesService implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');
  private readonly retries: RetryPolicy;

  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly history: HistoryService,
    private readonly webhooks: WebhooksService,
    private readonly jobs: JobsService,
    private readonly bus: EventBus,
    private readonly outbox: EventOutbox,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.retries = webhookRetryPolicy(env.webhookRetryBaseMs);
  }

  onModuleInit(): void {
    this.bus.subscribe({ name: 'webhooks', types: ['*'], handle: (e) => this.fanOut(e) });
    this.jobs.work<{ deliveryId: string }>(DELIVER_QUEUE, (job) => this.deliver(job), {
      concurrency: this.env.webhookConcurrency,
    });
    this.jobs.work(CLEANUP_QUEUE, () => this.cleanup());
    this.jobs.schedule(CLEANUP_QUEUE, this.env.jobCleanupCron, CLEANUP_QUEUE);
  }

  // ---- admin API ----------------------------------------------------------------------

  async list(ctx: RequestContext, webhookId: string, request: ListRequest) {
    this.permissions.requireAdmin(ctx.user);
    await this.webhooks.load(ctx, webhookId);
    return listAdminTable(
      this.db,
      ctx,
      DELIVERY_SCHEMA,
      request,
      (rows) => rows.map((r) => presentDelivery(r as unknown as DeliveryRow)),
      DELIVERY_FIELDS,
      (params) => [`d.subscription_id = ${params.add(webhookId)}::uuid`],
    );
  }

  /**
   * Sends the event of a delivery again, now, as a new attempt with the same `webhook-id`
   * (receivers that deduplicate see it as the same message). One attempt, no automatic
   * retries: the admin is watching and can resend again.
   */
  async resend(
    ctx: RequestContext,
    webhookId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const webhook = await this.webhooks.load(tx, webhookId, { forUpdate: true });
      const original = await this.db.one<DeliveryRow>(
        tx,
        `SELECT * FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2`,
        [deliveryId, webhookId],
      );
      if (!original) throw AppError.notFound('webhook delivery', deliveryId);
      if (webhook.status !== 'active')
        throw new AppError('webhook_not_active', { status: webhook.status });
      const created = await this.addAttempt(tx, original, 'resend', 0);
      return presentDelivery(created);
    });
  }

  /**
   * Sends a `webhook.ping` event to this webhook alone, whatever events it subscribes to, so
   * an admin can try the receiver and its signature check. One attempt: a failed ping is
   * neither retried nor counted towards pausing the webhook.
   */
  async ping(ctx: RequestContext, webhookId: string): Promise<WebhookDeliveryDto> {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const webhook = await this.webhooks.load(tx, webhookId, { forUpdate: true });
      if (webhook.status !== 'active')
        throw new AppError('webhook_not_active', { status: webhook.status });
      const eventId = uuidv7();
      // Stored as dispatched: the event exists for this delivery only, no subscriber sees it.
      await this.db.query(
        tx,
        `INSERT INTO domain_events (id, type, entity, record_id, actor_id, request_id, data, dispatched_at)
         VALUES ($1, 'webhook.ping', 'webhooks', $2, $3, $4, $5, now())`,
        [
          eventId,
          webhookId,
          tx.user.userId,
          tx.requestId ?? null,
          JSON.stringify({ message: 'Ping from Relasi: this webhook is reachable.' }),
        ],
      );
      const [row] = await this.db.query<DeliveryRow>(
        tx,
        `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, attempt, trigger)
         VALUES ($1, $2, $3, 'webhook.ping', 1, 'ping') RETURNING *`,
        [uuidv7(), webhookId, eventId],
      );
      await this.jobs.enqueue(tx, DELIVER_QUEUE, { deliveryId: row.id });
      return presentDelivery(row);
    });
  }

  // ---- fan-out: one delivery per matching webhook ---------------------------------------

  async fanOut(event: DomainEvent): Promise<void> {
    const ctx = RequestContext.system();
    const webhooks = await this.db.query<{ id: string; event_types: string[]; entities: string[] }>(
      ctx,
      `SELECT id, event_types, entities FROM webhook_subscriptions WHERE status = 'active' AND deleted_at IS NULL`,
    );
    const matching = webhooks.filter(
      (w) =>
        matchesType(w.event_types, event.type) &&
        (w.entities.length === 0 || w.entities.includes(event.entity)),
    );
    if (matching.length === 0) return;
    await this.db.transaction(ctx, async (tx) => {
      for (const w of matching) {
        const [row] = await this.db.query<{ id: string }>(
          tx,
          `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, attempt, trigger)
           VALUES ($1, $2, $3, $4, 1, 'event')
           ON CONFLICT (subscription_id, event_id, attempt) DO NOTHING RETURNING id`,
          [uuidv7(), w.id, event.id, event.type],
        );
        if (row)
          await this.jobs.enqueue(
            tx,
            DELIVER_QUEUE,
            { deliveryId: row.id },
            { singletonKey: `${w.id}:${event.id}:1` },
          );
      }
    });
  }

  // ---- the delivery job -----------------------------------------------------------------

  async deliver(job: Job<{ deliveryId: string }>): Promise<void> {
    const ctx = RequestContext.system();
    const work = await this.db.one<DeliveryWork>(
      ctx,
      `SELECT d.*, w.url, w.status AS webhook_status, w.deleted_at IS NOT NULL AS webhook_deleted,
              w.secret, w.previous_secret,
              coalesce(w.previous_secret_expires_at > now(), false) AS previous_valid,
              e.entity, e.record_id, e.actor_id, e.occurred_at, e.data
         FROM webhook_deliveries d
         JOIN webhook_subscriptions w ON w.id = d.subscription_id
         LEFT JOIN domain_events e ON e.id = d.event_id
        WHERE d.id = $1`,
      [job.payload.deliveryId],
    );
    // Settled already: this is a rerun after a crash between recording and completing.
    if (!work || work.status !== 'pending') return;
    if (work.webhook_deleted || work.webhook_status !== 'active')
      return this.cancel(
        work,
        `not sent: the webhook is ${work.webhook_deleted ? 'deleted' : work.webhook_status}`,
      );
    if (!work.occurred_at) return this.cancel(work, 'not sent: the event is no longer stored');
    const result = await this.send(work, job.signal);
    // Stopping mid-request proves nothing about the receiver: the job goes back to the queue.
    if (job.signal.aborted) throw new Error('stopped before the delivery finished');
    await this.record(work, result);
  }

  private async send(work: DeliveryWork, signal: AbortSignal): Promise<SendResult> {
    const body = JSON.stringify({
      id: work.event_id,
      type: work.event_type,
      timestamp: work.occurred_at?.toISOString(),
      data: {
        entity: work.entity,
        recordId: work.record_id,
        actorId: work.actor_id,
        ...(work.data ?? {}),
      },
    });
    try {
      const secrets = [this.webhooks.secrets.open(work.secret)];
      if (work.previous_secret && work.previous_valid)
        secrets.push(this.webhooks.secrets.open(work.previous_secret));
      // Checked again now, after resolving: the address may have changed since the URL was saved.
      const target = await this.webhooks.policy.check(work.url);
      const timestamp = Math.floor(Date.now() / 1000);
      return await sendWebhook(
        target,
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': work.event_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, work.event_id, timestamp, body),
        },
        body,
        this.env.webhookTimeoutMs,
        signal,
      );
    } catch (err) {
      const refused = err instanceof WebhookUrlError ? 'refused: ' : '';
      return { status: null, body: null, error: refused + (err as Error).message, durationMs: 0 };
    }
  }

  private async cancel(work: DeliveryWork, reason: string): Promise<void> {
    await this.db.query(
      RequestContext.system(),
      `UPDATE webhook_deliveries SET status = 'cancelled', error = $2, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [work.id, reason],
    );
    deliveriesTotal.inc({ outcome: 'cancelled' });
  }

  /** Records the attempt and what follows from it, in one transaction. */
  private async record(work: DeliveryWork, result: SendResult): Promise<void> {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const gone = result.status === 410;
    const error =
      result.error ?? (ok ? null : `the receiver answered ${result.status ?? 'nothing'}`);
    const stopped = await this.db.transaction(RequestContext.system(), async (tx) => {
      // The webhook row lock orders attempts of one webhook: counters and attempt numbers stay exact.
      const webhook = await this.db.one<{ status: WebhookStatus }>(
        tx,
        `SELECT status FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`,
        [work.subscription_id],
      );
      const updated = await this.db.query(
        tx,
        `UPDATE webhook_deliveries SET status = $2, attempted_at = now() - make_interval(secs => $7::float8 / 1000),
                response_status = $3, response_body = $4, error = $5, duration_ms = $6, updated_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [
          work.id,
          ok ? 'success' : 'failed',
          result.status,
          result.body,
          error?.slice(0, 1000) ?? null,
          result.durationMs,
          result.durationMs,
        ],
      );
      if (updated.length === 0 || !webhook) return null;
      deliveriesTotal.inc({ outcome: ok ? 'success' : 'failed' });
      if (work.trigger === 'ping') return null;
      if (ok) {
        await this.db.query(
          tx,
          `UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL,
                  last_success_at = now() WHERE id = $1`,
          [work.subscription_id],
        );
        return null;
      }
      const [counters] = await this.db.query<{ failures: number; failing_long: boolean }>(
        tx,
        `UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
                failing_since = coalesce(failing_since, now()), last_failure_at = now()
          WHERE id = $1
          RETURNING consecutive_failures AS failures,
                    failing_since < now() - make_interval(hours => ${PAUSE_AFTER_FAILING_HOURS}) AS failing_long`,
        [work.subscription_id],
      );
      if (webhook.status !== 'active') return null;
      if (gone) return this.stopWebhook(tx, work, 'disabled', 'the receiver answered 410 Gone');
      if (counters.failures >= this.env.webhookPauseAfterFailures || counters.failing_long) {
        const reason = counters.failing_long
          ? `deliveries have failed for more than ${PAUSE_AFTER_FAILING_HOURS} hours; last: ${error}`
          : `${counters.failures} deliveries failed in a row; last: ${error}`;
        return this.stopWebhook(tx, work, 'paused', reason);
      }
      if (work.trigger === 'resend') return null;
      // Measured on the schedule, not the clock: a worker that was down does not cut retries short.
      const [{ n, elapsed_ms }] = await this.db.query<{ n: number; elapsed_ms: number }>(
        tx,
        `SELECT count(*)::int AS n,
                (extract(epoch FROM max(scheduled_at) - min(scheduled_at)) * 1000)::float8 AS elapsed_ms
           FROM webhook_deliveries
          WHERE subscription_id = $1 AND event_id = $2 AND trigger <> 'resend'`,
        [work.subscription_id, work.event_id],
      );
      const delay = this.retries.delayAfter(n, elapsed_ms);
      if (delay !== null) await this.addAttempt(tx, work, 'retry', delay);
      return null;
    });
    if (stopped)
      this.logger.warn(
        `webhook ${work.subscription_id} (${work.url}) ${stopped.status}: ${stopped.reason}`,
      );
  }

  /** Adds the next attempt for the event of `previous` and its job; under the webhook's row lock. */
  private async addAttempt(
    tx: RequestContext,
    previous: DeliveryRow,
    trigger: DeliveryTrigger,
    delayMs: number,
  ): Promise<DeliveryRow> {
    const [row] = await this.db.query<DeliveryRow>(
      tx,
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
    await this.jobs.enqueue(
      tx,
      DELIVER_QUEUE,
      { deliveryId: row.id },
      { delayMs, singletonKey: `${row.subscription_id}:${row.event_id}:${row.attempt}` },
    );
    return row;
  }

  private async stopWebhook(
    tx: RequestContext,
    work: DeliveryWork,
    status: 'paused' | 'disabled',
    reason: string,
  ): Promise<{ status: string; reason: string }> {
    await this.db.query(
      tx,
      `UPDATE webhook_subscriptions SET status = $2, paused_reason = $3, paused_at = now(),
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [work.subscription_id, status, reason.slice(0, 1000)],
    );
    await this.history.record(tx, WEBHOOK_ENTITY, work.subscription_id, 'update', [
      { field: 'status', old: 'active', new: status },
      { field: 'pausedReason', old: null, new: reason },
    ]);
    await this.outbox.append(tx, [
      {
        type: `${WEBHOOK_LABEL}.${status}`,
        entity: WEBHOOK_ENTITY,
        recordId: work.subscription_id,
        data: { url: work.url, status, reason },
      },
    ]);
    return { status, reason };
  }

  /** Keeps the delivery log to CRM_WEBHOOK_LOG_RETENTION_DAYS, in batches. */
  async cleanup(): Promise<void> {
    for (;;) {
      const deleted = await this.db.transaction(RequestContext.system(), (tx) =>
        this.db.query(
          tx,
          `DELETE FROM webhook_deliveries WHERE id IN (
             SELECT id FROM webhook_deliveries
              WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)
              LIMIT 5000)
           RETURNING id`,
          [this.env.webhookLogRetentionDays],
        ),
      );
      if (deleted.length < 5000) return;
    }
  }
}
