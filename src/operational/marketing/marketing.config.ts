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
}

export const DEFAULT_TOPICS: readonly MarketingTopicConfig[] = [
  { key: 'newsletter', label: { en: 'Newsletter', id: 'Buletin' } },
  { key: 'product_news', label: { en: 'Product news', id: 'Berita produk' } },
  { key: 'events', label: { en: 'Events and webinars', id: 'Acara dan webinar' } },
  { key: 'offers', label: { en: 'Offers', id: 'Penawaran' } },
];

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
    },
  },
  resolve: (given, settings) => {
    const g = (given ?? {}) as Partial<MarketingConfig> & {
      email?: Partial<MarketingConfig['email']>;
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
