import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { ExportFile } from './report-export.js';
import { REPORTS_SECTION } from './reports.config.js';

/** SMTP settings from the environment, read once at start: secrets stay out of the config file. */
export interface ReportMailEnv {
  smtpUrl: string | null;
  from: string | null;
}

export const REPORT_MAIL_ENV = Symbol('REPORT_MAIL_ENV');

/** CRM_SMTP_URL and CRM_SMTP_FROM, the same variables the e-mail channel reads. */
export function parseReportMailEnv(
  source: Record<string, string | undefined> = process.env,
): ReportMailEnv {
  const value = (name: string) => {
    const v = source[name]?.trim();
    return v ? v : null;
  };
  return Object.freeze({ smtpUrl: value('CRM_SMTP_URL'), from: value('CRM_SMTP_FROM') });
}

/** Sends a report run as an e-mail with its file attached; a report mail is not marketing. */
@Injectable()
export class ReportMailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Reports');
  private readonly transporter: Transporter | null;
  private readonly from: string;

  constructor(@Inject(REPORT_MAIL_ENV) env: ReportMailEnv, @Inject(CRM_CONFIG) config: CrmConfig) {
    this.transporter = env.smtpUrl
      ? nodemailer.createTransport({
          url: env.smtpUrl,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 60_000,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : null;
    this.from =
      REPORTS_SECTION.read(config).emailFrom ??
      env.from ??
      `reports@${config.organization.name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'relasi'}.invalid`;
  }

  /** 'sent', 'failed' (logged) or 'off' when no SMTP server is configured. */
  async send(
    to: string[],
    subject: string,
    text: string,
    file: ExportFile,
  ): Promise<'sent' | 'failed' | 'off'> {
    if (!this.transporter) return 'off';
    try {
      await this.transporter.sendMail({
        from: this.from,
        to,
        subject,
        text,
        attachments: [
          { filename: file.fileName, content: file.body, contentType: file.contentType },
        ],
      });
      return 'sent';
    } catch (e) {
      this.logger.warn(
        `report e-mail to ${to.length} recipient(s) failed: ${(e as Error).message}`,
      );
      return 'failed';
    }
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
