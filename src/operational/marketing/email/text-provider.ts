import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { signWebhook } from '#platform/webhooks/index.js';
import {
  MARKETING_SECTION,
  type MarketingConfig,
  type TextChannel,
  type TextProviderConfig,
} from '../marketing.config.js';
import { MARKETING_ENV, type MarketingEnv } from '../marketing.env.js';

export interface OutgoingText {
  /** Our id of the message: the request's `webhook-id` and the `{{reference}}` placeholder. */
  id: string;
  to: string;
  text: string;
}

/** What one request to the provider tells about the message. */
export type TextOutcome =
  | { kind: 'accepted'; providerMessageId: string | null }
  /** The provider answered and will not take it (4xx other than 408 and 429). */
  | { kind: 'refused'; error: string }
  /** Certainly not taken: no connection, or the provider answered 5xx, 408 or 429. */
  | { kind: 'not_sent'; error: string }
  /** The request went out and no answer came back in time: maybe taken. */
  | { kind: 'unknown'; error: string };

/** Connection errors that happen before a byte of the request reached the provider. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const PLACEHOLDER = /\{\{(to|from|text|reference|statusUrl)\}\}/g;

/** Fills the placeholders inside string values only, so a message's text never changes the JSON's shape. */
function fill(template: unknown, vars: Record<string, string>): unknown {
  if (typeof template === 'string') return template.replace(PLACEHOLDER, (_, k: string) => vars[k]);
  if (Array.isArray(template)) return template.map((v) => fill(v, vars));
  if (template && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, vars)]));
  return template;
}

/**
 * The HTTP side of SMS and WhatsApp: one signed POST per message to the provider configured
 * under `marketing.text.<channel>`. The request is signed with the Standard Webhooks scheme
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`) keyed with
 * CRM_<CHANNEL>_SIGNING_SECRET, so the gateway can tell it came from this installation.
 */
@Injectable()
export class TextProvider {
  private readonly config: MarketingConfig;

  constructor(
    @Inject(MARKETING_ENV) private readonly env: MarketingEnv,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
  }

  /** The channel's provider settings, or null when the channel is not set up. */
  settings(channel: TextChannel): TextProviderConfig | null {
    return this.config.text[channel];
  }

  /** Where the provider posts its delivery reports for the channel. */
  statusUrl(channel: TextChannel): string {
    return `${this.config.publicBaseUrl}/api/v1/public/sms-status/${channel}`;
  }

  /** The secret that signs requests and status callbacks of the channel, if any. */
  signingSecret(channel: TextChannel): string | null {
    return this.env.text[channel].signingSecret;
  }

  async send(channel: TextChannel, message: OutgoingText): Promise<TextOutcome> {
    const provider = this.settings(channel);
    if (!provider) return { kind: 'not_sent', error: `no ${channel} provider configured` };
    const body = JSON.stringify(
      fill(provider.body, {
        to: message.to,
        from: provider.senderId,
        text: message.text,
        reference: message.id,
        statusUrl: this.statusUrl(channel),
      }),
    );
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const { authToken, signingSecret } = this.env.text[channel];
    if (authToken) headers[provider.authHeader] = authToken;
    if (signingSecret) {
      const timestamp = Math.floor(Date.now() / 1000);
      headers['webhook-id'] = message.id;
      headers['webhook-timestamp'] = String(timestamp);
      headers['webhook-signature'] = signWebhook(signingSecret, message.id, timestamp, body);
    }
    let response: Response;
    try {
      response = await fetch(provider.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(provider.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const code = err.cause?.code;
      if (code && NOT_CONNECTED.has(code)) return { kind: 'not_sent', error: code };
      return { kind: 'unknown', error: err.name === 'TimeoutError' ? 'timed out' : err.message };
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) return { kind: 'accepted', providerMessageId: idOf(answer, provider.idField) };
    const error = `HTTP ${response.status}: ${answer.slice(0, 300)}`;
    const transient = response.status >= 500 || response.status === 408 || response.status === 429;
    return transient ? { kind: 'not_sent', error } : { kind: 'refused', error };
  }
}

function idOf(answer: string, field: string): string | null {
  try {
    const id = (JSON.parse(answer) as Record<string, unknown>)[field];
    return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
  } catch {
    return null;
  }
}
