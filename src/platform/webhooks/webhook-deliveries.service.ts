import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { listAdminTable } from '#platform/access/admin-list.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { matchesType, type DomainEvent } from '#platform/events/domain-event.js';
import { EventBus } from '#platform/events/event-bus.js';
import { AppError } from '#platform/http/app-error.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import type { ListRequest } from '#platform/query/list-request.js';
import type { WebhookDeliveryDto } from './dto/webhook-delivery.dto.js';
import { WebhookDeliveriesRepository, type DeliveryRow } from './webhook-deliveries.repository.js';
import { DELIVERY_FIELDS, DELIVERY_SCHEMA, presentDelivery } from './webhook-delivery-list.js';
import { DELIVER_QUEUE, WebhookDeliveryRunner } from './webhook-delivery-runner.js';
import { WebhooksService } from './webhooks.service.js';

const CLEANUP_QUEUE = 'webhooks.cleanup';
const CLEANUP_BATCH = 5000;

/**
 * Turns committed domain events into signed HTTP deliveries. The event subscriber writes
 * one delivery row and one job per matching webhook in a transaction (the unique
 * (webhook, event, attempt) key makes a replayed event a no-op); WebhookDeliveryRunner sends
 * it and schedules what follows. Admins list the log, resend an attempt and ping a webhook.
 */
@Injectable()
export class WebhookDeliveriesService implements OnModuleInit {
  private readonly repo: WebhookDeliveriesRepository;

  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly webhooks: WebhooksService,
    private readonly runner: WebhookDeliveryRunner,
    private readonly jobs: JobsService,
    private readonly bus: EventBus,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.repo = new WebhookDeliveriesRepository(db);
  }

  onModuleInit(): void {
    this.bus.subscribe({ name: 'webhooks', types: ['*'], handle: (e) => this.fanOut(e) });
    this.jobs.work<{ deliveryId: string }>(DELIVER_QUEUE, (job) => this.runner.deliver(job), {
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
      const original = await this.repo.find(tx, webhookId, deliveryId);
      if (!original) throw AppError.notFound('webhook delivery', deliveryId);
      if (webhook.status !== 'active')
        throw new AppError('webhook_not_active', { status: webhook.status });
      const created = await this.runner.addAttempt(tx, original, 'resend', 0);
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
      await this.repo.insertPingEvent(tx, eventId, webhookId, {
        message: 'Ping from Relasi: this webhook is reachable.',
      });
      const row = await this.repo.insertFirst(tx, webhookId, eventId, 'webhook.ping', 'ping');
      // The event was made just now for this delivery: nothing can have taken its key.
      if (!row) throw new Error(`ping ${eventId} has a delivery already`);
      await this.jobs.enqueue(tx, DELIVER_QUEUE, { deliveryId: row.id });
      return presentDelivery(row);
    });
  }

  // ---- fan-out: one delivery per matching webhook ---------------------------------------

  async fanOut(event: DomainEvent): Promise<void> {
    const ctx = RequestContext.system();
    const matching = (await this.repo.activeWebhooks(ctx)).filter(
      (w) =>
        matchesType(w.event_types, event.type) &&
        (w.entities.length === 0 || w.entities.includes(event.entity)),
    );
    if (matching.length === 0) return;
    await this.db.transaction(ctx, async (tx) => {
      for (const w of matching) {
        const row = await this.repo.insertFirst(tx, w.id, event.id, event.type, 'event');
        if (row) await this.runner.enqueue(tx, row);
      }
    });
  }

  /** Keeps the delivery log to CRM_WEBHOOK_LOG_RETENTION_DAYS, in batches. */
  async cleanup(): Promise<void> {
    for (;;) {
      const deleted = await this.db.transaction(RequestContext.system(), (tx) =>
        this.repo.deleteOlderThan(tx, this.env.webhookLogRetentionDays, CLEANUP_BATCH),
      );
      if (deleted < CLEANUP_BATCH) return;
    }
  }
}
