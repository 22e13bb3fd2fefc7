import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { LOCALIZED_TEXT_SCHEMA, type LocalizedText } from '#platform/customization/index.js';

/** A subject a contact may say they want to hear about (product news, events, offers …). */
export interface MarketingTopicConfig {
  readonly key: string;
  readonly label: LocalizedText;
}

/** Local wall-clock times, `HH:MM`; a window whose end is before its start spans midnight. */
export interface QuietHoursConfig {
  readonly start: string;
  readonly end: string;
}

/** Channels that carry a short text through an HTTP provider. */
export const TEXT_CHANNELS = ['sms', 'whatsapp'] as const;
export type TextChannel = (typeof TEXT_CHANNELS)[number];

/**
 * An SMS or WhatsApp gateway reached over HTTP: one signed POST per message. Its secrets (the
 * auth header's value, the signing secret) come from the environment, not from this file.
 */
export interface TextProviderConfig {
  readonly url: string;
  /** The sender id or number the provider shows to the contact. */
  readonly senderId: string;
  /** The header that carries CRM_<CHANNEL>_AUTH_TOKEN, e.g. `authorization` or `x-api-key`. */
  readonly authHeader: string;
  /**
   * The JSON body sent, any shape the provider wants; string values may hold the placeholders
   * `{{to}}`, `{{from}}`, `{{text}}`, `{{reference}}` (the message id) and `{{statusUrl}}`.
   */
  readonly body: Readonly<Record<string, unknown>>;
  /** Where in the provider's JSON answer its message id is (a top-level field). */
  readonly idField: string;
  readonly timeoutMs: number;
  /** Tries in all for a message the provider did not take (5xx, 408, 429, no connection). */
  readonly maxAttempts: number;
  /** Wait before the first retry; each later one doubles. */
  readonly retryDelayMs: number;
}

export const DEFAULT_TEXT_BODY: Readonly<Record<string, unknown>> = {
  to: '{{to}}',
  from: '{{from}}',
  text: '{{text}}',
  reference: '{{reference}}',
  statusUrl: '{{statusUrl}}',
};

/** The `marketing` section: topics, the e-mail channel's pace and sender, and preference links. */
export interface MarketingConfig {
  readonly topics: readonly MarketingTopicConfig[];
  readonly email: {
    /** Marketing e-mails handed to the SMTP server per minute, across every worker process. */
    readonly messagesPerMinute: number;
    /** Sender when CRM_SMTP_FROM is not set. */
    readonly fromAddress: string;
    readonly fromName: string;
  };
  /** Days a preference-centre or unsubscribe link in a message stays valid. */
  readonly tokenLifetimeDays: number;
  /** Quiet hours of a contact who set none; null: none. */
  readonly defaultQuietHours: QuietHoursConfig | null;
  /**
   * Where the server is reached from the outside, for the links in messages (preference
   * centre, unsubscribe, open pixel, click redirects), e.g. `https://crm.example.com`.
   */
  readonly publicBaseUrl: string;
  /** SMS and WhatsApp providers; a channel without one sends nothing. */
  readonly text: Readonly<Record<TextChannel, TextProviderConfig | null>>;
}

export const DEFAULT_TOPICS: readonly MarketingTopicConfig[] = [
  { key: 'newsletter', label: { en: 'Newsletter', id: 'Buletin' } },
  { key: 'product_news', label: { en: 'Product news', id: 'Berita produk' } },
  { key: 'events', label: { en: 'Events and webinars', id: 'Acara dan webinar' } },
  { key: 'offers', label: { en: 'Offers', id: 'Penawaran' } },
];

const TEXT_PROVIDER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'senderId'],
  properties: {
    url: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', maxLength: 500 },
    senderId: { type: 'string', minLength: 1, maxLength: 30 },
    authHeader: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9-]{0,63}$' },
    body: { type: 'object' },
    idField: { type: 'string', minLength: 1, maxLength: 64 },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 20 },
    retryDelayMs: { type: 'integer', minimum: 100, maximum: 3_600_000 },
  },
};

function textProvider(given: Partial<TextProviderConfig> | null | undefined) {
  if (!given?.url || !given.senderId) return null;
  return {
    url: given.url,
    senderId: given.senderId,
    authHeader: (given.authHeader ?? 'authorization').toLowerCase(),
    body: given.body ?? DEFAULT_TEXT_BODY,
    idField: given.idField ?? 'id',
    timeoutMs: given.timeoutMs ?? 10_000,
    maxAttempts: given.maxAttempts ?? 5,
    retryDelayMs: given.retryDelayMs ?? 30_000,
  };
}

const LOCAL_TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const MARKETING_SECTION = defineConfigSection<MarketingConfig>({
  key: 'marketing',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      topics: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'label'],
          properties: {
            key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' },
            label: LOCALIZED_TEXT_SCHEMA,
          },
        },
      },
      email: {
        type: 'object',
        additionalProperties: false,
        properties: {
          messagesPerMinute: { type: 'integer', minimum: 1, maximum: 100_000 },
          fromAddress: {
            type: 'string',
            minLength: 3,
            maxLength: 254,
            pattern: '^[^\\s@]+@[^\\s@]+$',
          },
          fromName: { type: 'string', minLength: 1, maxLength: 100 },
        },
      },
      tokenLifetimeDays: { type: 'integer', minimum: 1, maximum: 3650 },
      defaultQuietHours: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['start', 'end'],
            properties: {
              start: { type: 'string', pattern: LOCAL_TIME },
              end: { type: 'string', pattern: LOCAL_TIME },
            },
          },
        ],
      },
      publicBaseUrl: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', maxLength: 300 },
      text: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(TEXT_CHANNELS.map((c) => [c, TEXT_PROVIDER_SCHEMA])),
      },
    },
  },
  resolve: (given, settings) => {
    const g = (given ?? {}) as Partial<MarketingConfig> & {
      email?: Partial<MarketingConfig['email']>;
      text?: Partial<Record<TextChannel, Partial<TextProviderConfig> | null>>;
    };
    return {
      topics: g.topics ?? DEFAULT_TOPICS,
      email: {
        messagesPerMinute: g.email?.messagesPerMinute ?? 600,
        fromAddress: g.email?.fromAddress ?? 'marketing@localhost',
        fromName: g.email?.fromName ?? settings.organization.name,
      },
      tokenLifetimeDays: g.tokenLifetimeDays ?? 60,
      defaultQuietHours: g.defaultQuietHours === undefined ? null : g.defaultQuietHours,
      publicBaseUrl: (g.publicBaseUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
      text: {
        sms: textProvider(g.text?.sms),
        whatsapp: textProvider(g.text?.whatsapp),
      },
    };
  },
  problems: (value) => {
    const problems: string[] = [];
    const seen = new Set<string>();
    value.topics.forEach((t, i) => {
      if (seen.has(t.key)) problems.push(`/marketing/topics/${i}/key: "${t.key}" is listed twice`);
      seen.add(t.key);
    });
    const q = value.defaultQuietHours;
    if (q && q.start === q.end)
      problems.push('/marketing/defaultQuietHours: start and end must differ');
    return problems;
  },
});

/** Marketing's part of crm.config.yaml and the API paths it serves. */
export const MARKETING_CONFIG: ConfigComposition = {
  sections: [MARKETING_SECTION],
  reservedPaths: ['marketing', 'message-templates'],
};
