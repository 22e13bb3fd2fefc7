import { createHmac, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';

/** The e-mail channel's and the links' settings from the environment (secrets stay out of the config file). */
export interface MarketingEnv {
  /** `smtp://user:pass@host:587` or `smtps://…`; null: e-mail is off (messages wait queued). */
  readonly smtpUrl: string | null;
  /** `Name <address>` or an address; null: `marketing.email` from the config. */
  readonly smtpFrom: string | null;
  readonly dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** Key that signs preference, unsubscribe and tracking links. */
  readonly linkKey: Buffer;
  /** Per text channel: the provider's auth header value and the signing secret, from the environment. */
  readonly text: Readonly<
    Record<'sms' | 'whatsapp', { authToken: string | null; signingSecret: string | null }>
  >;
  /** Signs the POSTs of automations' webhook steps (Standard Webhooks); null: such steps cannot be activated. */
  readonly automationWebhookSecret: string | null;
}

export const MARKETING_ENV = Symbol('MARKETING_ENV');

type Source = Record<string, string | undefined>;

const value = (source: Source, name: string) => {
  const v = source[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
};

/**
 * Reads CRM_SMTP_URL, CRM_SMTP_FROM, CRM_DKIM_DOMAIN / CRM_DKIM_SELECTOR / CRM_DKIM_PRIVATE_KEY
 * CRM_MARKETING_LINK_SECRET and CRM_AUTOMATION_WEBHOOK_SECRET. Every problem is listed at once and stops the start. Without a
 * link secret the key is derived from CRM_JWT_SECRET, so every process of one installation signs
 * alike; without either, links made by this process die with it (a warning says so).
 */
export function parseMarketingEnv(source: Source = process.env): MarketingEnv {
  const problems: string[] = [];
  const smtpUrl = value(source, 'CRM_SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\/[^\s/]+/.test(smtpUrl))
    problems.push('CRM_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
  const smtpFrom = value(source, 'CRM_SMTP_FROM');
  if (smtpFrom && !/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(smtpFrom))
    problems.push('CRM_SMTP_FROM must be an address or "Name <address>"');
  const dkimParts = ['CRM_DKIM_DOMAIN', 'CRM_DKIM_SELECTOR', 'CRM_DKIM_PRIVATE_KEY'].map((n) =>
    value(source, n),
  );
  const dkimSet = dkimParts.filter((p) => p !== null).length;
  if (dkimSet > 0 && dkimSet < 3)
    problems.push('CRM_DKIM_DOMAIN, CRM_DKIM_SELECTOR and CRM_DKIM_PRIVATE_KEY go together');
  const linkSecret = value(source, 'CRM_MARKETING_LINK_SECRET');
  if (linkSecret !== null && linkSecret.length < 32)
    problems.push('CRM_MARKETING_LINK_SECRET must be at least 32 characters');
  const text = {
    sms: textSecrets(source, 'SMS', problems),
    whatsapp: textSecrets(source, 'WHATSAPP', problems),
  };
  const automationWebhookSecret = value(source, 'CRM_AUTOMATION_WEBHOOK_SECRET');
  if (automationWebhookSecret !== null && automationWebhookSecret.length < 24)
    problems.push('CRM_AUTOMATION_WEBHOOK_SECRET must be at least 24 characters');
  if (problems.length)
    throw new Error(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const jwtSecret = value(source, 'CRM_JWT_SECRET');
  let linkKey: Buffer;
  if (linkSecret) linkKey = Buffer.from(linkSecret);
  else if (jwtSecret) linkKey = createHmac('sha256', jwtSecret).update('marketing links').digest();
  else {
    new Logger('Marketing').warn(
      'Neither CRM_MARKETING_LINK_SECRET nor CRM_JWT_SECRET is set: preference and unsubscribe links stop working at restart',
    );
    linkKey = randomBytes(32);
  }
  return Object.freeze({
    smtpUrl,
    smtpFrom,
    dkim:
      dkimSet === 3
        ? {
            domainName: dkimParts[0]!,
            keySelector: dkimParts[1]!,
            privateKey: dkimParts[2]!.replace(/\\n/g, '\n'),
          }
        : null,
    linkKey,
    text,
    automationWebhookSecret,
  });
}

/**
 * CRM_<CHANNEL>_AUTH_TOKEN goes in the provider's auth header; CRM_<CHANNEL>_SIGNING_SECRET
 * signs each request and checks the provider's status callbacks (Standard Webhooks scheme).
 */
function textSecrets(source: Source, channel: string, problems: string[]) {
  const signingSecret = value(source, `CRM_${channel}_SIGNING_SECRET`);
  if (signingSecret !== null && signingSecret.length < 24)
    problems.push(`CRM_${channel}_SIGNING_SECRET must be at least 24 characters`);
  return { authToken: value(source, `CRM_${channel}_AUTH_TOKEN`), signingSecret };
}
