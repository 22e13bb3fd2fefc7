import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
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
