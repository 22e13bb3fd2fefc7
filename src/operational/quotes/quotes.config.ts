import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

export const QUOTE_LANGUAGES = ['en', 'id'] as const;
export type QuoteLanguage = (typeof QUOTE_LANGUAGES)[number];

/** The company as the top of a proposal shows it. */
export interface LetterheadConfig {
  readonly companyName: string;
  readonly address: string;
  readonly taxId?: string;
  /** A PNG or JPEG file on the server, drawn at the top left. */
  readonly logoPath?: string;
}

/** The `quotes` section: discount limits and approvers, validity, expiry and the proposal's letterhead and terms. */
export interface QuotesConfig {
  /**
   * Highest discount percent (line or header) a role's user may give without approval, by
   * role key (built-in roles) or role name; roles not listed get `defaultMaxDiscountPercent`.
   */
  readonly maxDiscountPercent: Readonly<Record<string, number>>;
  readonly defaultMaxDiscountPercent: number;
  /** Roles (key or name) whose users may approve a quote in review; admins always may. */
  readonly approverRoles: readonly string[];
  /** Days from today a new quote is valid unless it gives validUntil. */
  readonly defaultValidityDays: number;
  /** Cron (organization time zone) of the run that expires quotes past their validity. */
  readonly expirySchedule: string;
  readonly letterhead: LetterheadConfig;
  /** Terms printed on a proposal without terms of its own, per language. */
  readonly terms: Readonly<Record<QuoteLanguage, string>>;
}

const ROLE_KEY = '^[A-Za-z0-9_ .-]{1,100}$';

export const DEFAULT_TERMS: Record<QuoteLanguage, string> = {
  en: 'Prices are valid until the date shown. Payment within 30 days of invoice.',
  id: 'Harga berlaku sampai tanggal yang tertera. Pembayaran dalam 30 hari setelah faktur.',
};

export const QUOTES_SECTION = defineConfigSection<QuotesConfig>({
  key: 'quotes',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxDiscountPercent: {
        type: 'object',
        maxProperties: 100,
        propertyNames: { pattern: ROLE_KEY },
        additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
      },
      defaultMaxDiscountPercent: { type: 'number', minimum: 0, maximum: 100 },
      approverRoles: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', pattern: ROLE_KEY },
      },
      defaultValidityDays: { type: 'integer', minimum: 1, maximum: 3650 },
      expirySchedule: { type: 'string', minLength: 9, maxLength: 100 },
      letterhead: {
        type: 'object',
        additionalProperties: false,
        required: ['companyName', 'address'],
        properties: {
          companyName: { type: 'string', minLength: 1, maxLength: 200 },
          address: { type: 'string', minLength: 1, maxLength: 1000 },
          taxId: { type: 'string', minLength: 1, maxLength: 100 },
          logoPath: { type: 'string', minLength: 1, maxLength: 1000 },
        },
      },
      terms: {
        type: 'object',
        additionalProperties: false,
        properties: {
          en: { type: 'string', minLength: 1, maxLength: 10000 },
          id: { type: 'string', minLength: 1, maxLength: 10000 },
        },
      },
    },
  },
  resolve: (given, settings) => {
    const g = (given ?? {}) as Partial<QuotesConfig>;
    return {
      maxDiscountPercent: g.maxDiscountPercent ?? { admin: 100, sales_manager: 30, sales_rep: 10 },
      defaultMaxDiscountPercent: g.defaultMaxDiscountPercent ?? 0,
      approverRoles: g.approverRoles ?? ['admin', 'sales_manager'],
      defaultValidityDays: g.defaultValidityDays ?? 30,
      expirySchedule: g.expirySchedule ?? '5 0 * * *',
      letterhead: g.letterhead ?? { companyName: settings.organization.name, address: '' },
      terms: { ...DEFAULT_TERMS, ...g.terms },
    };
  },
});

/** The quotes' part of crm.config.yaml and the API paths they serve. */
export const QUOTES_CONFIG: ConfigComposition = {
  sections: [QUOTES_SECTION],
  reservedPaths: ['quotes', 'quote-lines'],
};
