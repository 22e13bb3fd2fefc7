import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { RetryPolicy } from '#platform/retry/index.js';
import { MARKETING_ENV, type MarketingEnv } from '../marketing.env.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string | null;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/** What an SMTP attempt tells about the message. */
export type SendOutcome =
  | { kind: 'accepted'; response: string }
  /** The server answered and refused it: certainly not delivered; `permanent` for 5xx. */
  | { kind: 'refused'; permanent: boolean; error: string }
  /** No connection, or it broke before the message was handed over: certainly not delivered. */
  | { kind: 'not_sent'; error: string }
  /** It broke after the message was handed over and before the answer: maybe delivered. */
  | { kind: 'unknown'; error: string };

/** How often a mail that certainly did not go out is tried again. */
const RETRY = new RetryPolicy({
  baseMs: 60_000,
  growth: 2,
  capMs: 3_600_000,
  jitter: 0.2,
  maxAttempts: 6,
});

/** What a queued mail becomes after an SMTP attempt (its `attempts`-th). */
export type AfterSend =
  | { status: 'sent'; error: null; retryAt: null }
  /** Certainly not delivered, and not refused for good: tried again at `retryAt`. */
  | { status: 'queued'; error: string; retryAt: Date }
  | { status: 'failed' | 'unconfirmed'; error: string; retryAt: null };

/**
 * The one rule for every sender that never sends twice: accepted is sent; a line broken
 * after the hand-over is unconfirmed (maybe delivered, never tried again); a temporary
 * refusal or no connection is tried again with a backoff until the tries run out; a
 * permanent refusal fails.
 */
export function afterSend(outcome: SendOutcome, attempts: number): AfterSend {
  switch (outcome.kind) {
    case 'accepted':
      return { status: 'sent', error: null, retryAt: null };
    case 'unknown':
      return { status: 'unconfirmed', error: outcome.error, retryAt: null };
    case 'refused':
    case 'not_sent': {
      const wait =
        outcome.kind === 'refused' && outcome.permanent ? null : RETRY.delayAfter(attempts);
      return wait === null
        ? { status: 'failed', error: outcome.error, retryAt: null }
        : { status: 'queued', error: outcome.error, retryAt: new Date(Date.now() + wait) };
    }
  }
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
}

/** SMTP through nodemailer, from CRM_SMTP_URL with optional DKIM signing. */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter | null;

  constructor(@Inject(MARKETING_ENV) env: MarketingEnv) {
    this.transporter = env.smtpUrl
      ? nodemailer.createTransport({
          url: env.smtpUrl,
          // One connection kept open and reused: a new SMTP conversation per message (connect,
          // greeting, EHLO, TLS) cost more than sending the message itself.
          pool: true,
          maxConnections: 2,
          maxMessages: 1000,
          ...(env.dkim ? { dkim: env.dkim } : {}),
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 60_000,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : null;
  }

  get enabled(): boolean {
    return this.transporter !== null;
  }

  async send(mail: OutgoingEmail): Promise<SendOutcome> {
    if (!this.transporter) return { kind: 'not_sent', error: 'no SMTP server configured' };
    try {
      const info = (await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html ?? undefined,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
      })) as { response?: string };
      return { kind: 'accepted', response: String(info.response ?? '') };
    } catch (e) {
      const err = e as SmtpError;
      const error = `${err.code ?? 'ERROR'}: ${err.message}`.slice(0, 1000);
      if (err.responseCode && err.responseCode >= 400)
        return { kind: 'refused', permanent: err.responseCode >= 500, error };
      // Until DATA is under way the server has not seen the message.
      if (
        !err.command ||
        err.command === 'CONN' ||
        err.code === 'ECONNECTION' ||
        err.code === 'EDNS'
      )
        return { kind: 'not_sent', error };
      return { kind: 'unknown', error };
    }
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
