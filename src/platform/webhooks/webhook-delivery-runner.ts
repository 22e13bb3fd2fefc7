import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { HistoryService } from '#platform/audit/history.service.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import type { Job } from '#platform/jobs/job.types.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { metricsRegistry } from '#platform/observability/metrics.js';
import type { RetryPolicy } from '#platform/retry/retry-policy.js';
import type { DeliveryTrigger } from './dto/webhook-delivery.dto.js';
import {
  WebhookDeliveriesRepository,
  type DeliveryRow,
  type DeliveryWork,
} from './webhook-deliveries.repository.js';
import { webhookRetryPolicy } from './webhook-retry-policy.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';
import { WebhookUrlError } from './webhook-url-policy.js';
import { WEBHOOK_ENTITY, WEBHOOK_LABEL, WebhooksService } from './webhooks.service.js';

export const DELIVER_QUEUE = 'webhooks.deliver';
/** Subscriptions failing for this long are paused even below the failure count. */
const PAUSE_AFTER_FAILING_HOURS = 24;
const USER_AGENT = 'Relasi-Webhooks/1.0';

const deliveriesTotal = new Counter({
  name: 'relasi_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (success, failed, cancelled)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * The delivery job: sends one attempt, signed, records it, and decides what follows. A
 * failure is retried on the webhook retry policy until its 24 h window closes; a 410 Gone
 * disables the webhook; too many failures in a row pause it, with a `webhook.paused` event
 * and a warning in the log.
 */
@Injectable()
export class WebhookDeliveryRunner {
  private readonly logger = new Logger('Webhooks');
  private readonly repo: WebhookDeliveriesRepository;
  private readonly retries: RetryPolicy;

  constructor(
    private readonly db: DatabaseService,
    private readonly history: HistoryService,
    private readonly webhooks: WebhooksService,
    private readonly jobs: JobsService,
    private readonly outbox: EventOutbox,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.repo = new WebhookDeliveriesRepository(db);
    this.retries = webhookRetryPolicy(env.webhookRetryBaseMs);
  }

  /** Queues the job that sends `delivery`, once per attempt. */
  async enqueue(tx: RequestContext, delivery: DeliveryRow, delayMs = 0): Promise<void> {
    await this.jobs.enqueue(
      tx,
      DELIVER_QUEUE,
      { deliveryId: delivery.id },
      {
        delayMs,
        singletonKey: `${delivery.subscription_id}:${delivery.event_id}:${delivery.attempt}`,
      },
    );
  }

  /** Adds the next attempt for the event of `previous` and its job; under the webhook's row lock. */
  async addAttempt(
    tx: RequestContext,
    previous: DeliveryRow,
    trigger: DeliveryTrigger,
    delayMs: number,
  ): Promise<DeliveryRow> {
    const row = await this.repo.insertNext(tx, previous, trigger, delayMs);
    await this.enqueue(tx, row, delayMs);
    return row;
  }

  async deliver(job: Job<{ deliveryId: string }>): Promise<void> {
    const work = await this.repo.loadWork(RequestContext.system(), job.payload.deliveryId);
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
    await this.repo.cancel(RequestContext.system(), work.id, reason);
    deliveriesTotal.inc({ outcome: 'cancelled' });
  }

  /** Records the attempt and what follows from it, in one transaction. */
  private async record(work: DeliveryWork, result: SendResult): Promise<void> {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const error =
      result.error ?? (ok ? null : `the receiver answered ${result.status ?? 'nothing'}`);
    const stopped = await this.db.transaction(RequestContext.system(), async (tx) => {
      const webhookStatus = await this.repo.lockWebhook(tx, work.subscription_id);
      const recorded = await this.repo.recordAttempt(
        tx,
        work.id,
        ok ? 'success' : 'failed',
        result,
        error,
      );
      if (!recorded || !webhookStatus) return null;
      deliveriesTotal.inc({ outcome: ok ? 'success' : 'failed' });
      if (work.trigger === 'ping') return null;
      if (ok) {
        await this.repo.resetFailures(tx, work.subscription_id);
        return null;
      }
      const counters = await this.repo.countFailure(
        tx,
        work.subscription_id,
        PAUSE_AFTER_FAILING_HOURS,
      );
      if (webhookStatus !== 'active') return null;
      if (result.status === 410)
        return this.stopWebhook(tx, work, 'disabled', 'the receiver answered 410 Gone');
      if (counters.failures >= this.env.webhookPauseAfterFailures || counters.failing_long) {
        const reason = counters.failing_long
          ? `deliveries have failed for more than ${PAUSE_AFTER_FAILING_HOURS} hours; last: ${error}`
          : `${counters.failures} deliveries failed in a row; last: ${error}`;
        return this.stopWebhook(tx, work, 'paused', reason);
      }
      if (work.trigger === 'resend') return null;
      const so = await this.repo.automaticAttempts(tx, work.subscription_id, work.event_id);
      const delay = this.retries.delayAfter(so.count, so.spanMs);
      if (delay !== null) await this.addAttempt(tx, work, 'retry', delay);
      return null;
    });
    if (stopped)
      this.logger.warn(
        `webhook ${work.subscription_id} (${work.url}) ${stopped.status}: ${stopped.reason}`,
      );
  }

  private async stopWebhook(
    tx: RequestContext,
    work: DeliveryWork,
    status: 'paused' | 'disabled',
    reason: string,
  ): Promise<{ status: string; reason: string }> {
    await this.repo.stopWebhook(tx, work.subscription_id, status, reason);
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
}
