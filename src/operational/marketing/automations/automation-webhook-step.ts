import { Inject, Injectable } from '@nestjs/common';
import { ENV, type Env } from '#platform/config/index.js';
import {
  sendWebhook,
  signatureHeader,
  WebhookUrlError,
  WebhookUrlPolicy,
} from '#platform/webhooks/index.js';
import { MARKETING_ENV, type MarketingEnv } from '../marketing.env.js';
import type { RunRow } from './automation-runs.repository.js';
import type { Step } from './automation-steps.js';

/** Tries of one webhook step in all, the first one included. */
export const WEBHOOK_STEP_ATTEMPTS = 6;
const USER_AGENT = 'Relasi-Automations/1.0';

/** One POST of a webhook step, as the run's step outcome lists it. */
export interface WebhookAttempt {
  attempt: number;
  at: string;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export type WebhookTry = WebhookAttempt & { ok: boolean; retryable: boolean };

/**
 * The webhook step: a signed POST (Standard Webhooks, keyed with
 * CRM_AUTOMATION_WEBHOOK_SECRET) to the step's URL, under the same address policy, timeout
 * and sender as the platform's webhooks. The message id is the run and step, the same on
 * every try, so a receiver can drop a repeat.
 */
@Injectable()
export class AutomationWebhookStep {
  private readonly policy: WebhookUrlPolicy;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(MARKETING_ENV) private readonly marketing: MarketingEnv,
  ) {
    this.policy = new WebhookUrlPolicy(env.webhookAllowedHosts);
  }

  get signing(): boolean {
    return this.marketing.automationWebhookSecret !== null;
  }

  /** Why the URL may not be called (a private address not allowed, no such host), or null. */
  async refusal(url: string): Promise<string | null> {
    try {
      await this.policy.check(url);
      return null;
    } catch (e) {
      if (e instanceof WebhookUrlError) return e.message;
      throw e;
    }
  }

  async attempt(
    run: RunRow,
    step: Step,
    attempt: number,
    signal: AbortSignal,
  ): Promise<WebhookTry> {
    const at = new Date();
    const id = `${run.id}:${step.id}`;
    const body = JSON.stringify({
      id,
      type: 'automation.webhook',
      timestamp: at.toISOString(),
      data: {
        automationId: run.automationId,
        runId: run.id,
        stepId: step.id,
        contactId: run.contactId,
        event: { id: run.eventId, type: run.eventType, data: run.event },
      },
    });
    const secret = this.marketing.automationWebhookSecret;
    let result;
    try {
      if (!secret) throw new Error('CRM_AUTOMATION_WEBHOOK_SECRET is not set');
      const target = await this.policy.check(step.url!);
      const timestamp = Math.floor(at.getTime() / 1000);
      result = await sendWebhook(
        target,
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader([secret], id, timestamp, body),
        },
        body,
        this.env.webhookTimeoutMs,
        signal,
      );
    } catch (e) {
      const refused = e instanceof WebhookUrlError ? 'refused: ' : '';
      return {
        attempt,
        at: at.toISOString(),
        status: null,
        error: refused + (e as Error).message,
        durationMs: 0,
        ok: false,
        retryable: false,
      };
    }
    const { status } = result;
    const ok = status !== null && status >= 200 && status < 300;
    return {
      attempt,
      at: at.toISOString(),
      status,
      error: result.error ?? (ok ? null : `the receiver answered ${status}`),
      durationMs: result.durationMs,
      ok,
      // No answer, a server error, "timeout" or "too many requests" may pass; other answers will not.
      retryable: status === null || status >= 500 || status === 408 || status === 429,
    };
  }
}
