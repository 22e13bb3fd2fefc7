import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/**
 * A distribution rule: a lead matching every criterion that is set goes to one of the active
 * partners matching the rule's own partner criteria, round-robin among those with capacity.
 */
export interface DistributionRule {
  readonly key: string;
  /** Lead criteria: the country of its address, its industry. */
  readonly countries: readonly string[] | null;
  readonly industries: readonly string[] | null;
  /** Partner criteria: tiers, and a territory the partner covers (the lead's country if unset). */
  readonly partnerTiers: readonly string[] | null;
}

/** What partner users may do with one kind of shared record. */
export interface PartnerRecordAccess {
  /** Fields of the partner view they do not see (left out of answers, not filterable). */
  readonly hidden: readonly string[];
  /** Fields of the partner update they may change; empty: the record is read-only to them. */
  readonly editable: readonly string[];
}

/** What a partner sees of a shared lead; scores, owners and custom fields stay inside. */
export const PARTNER_LEAD_FIELDS = [
  'id',
  'firstName',
  'lastName',
  'company',
  'title',
  'email',
  'phone',
  'industry',
  'website',
  'address',
  'status',
  'rating',
  'createdAt',
  'updatedAt',
  'version',
] as const;

/** What a partner sees of a shared opportunity; probability, forecast and notes stay inside. */
export const PARTNER_OPPORTUNITY_FIELDS = [
  'id',
  'name',
  'accountId',
  'amount',
  'stage',
  'status',
  'expectedCloseDate',
  'nextStep',
  'closedAt',
  'createdAt',
  'updatedAt',
  'version',
] as const;

/** Always in a partner view: what names the record and its version. */
const ALWAYS_SHOWN: readonly string[] = ['id', 'createdAt', 'updatedAt', 'version'];
const hideable = (fields: readonly string[]) => fields.filter((f) => !ALWAYS_SHOWN.includes(f));

/**
 * The fields a partner view can hide, and those a partner update can change at most, per
 * shared record type; `partners.access` narrows them.
 */
export const PARTNER_ACCESS_LIMITS = {
  leads: { hideable: hideable(PARTNER_LEAD_FIELDS), editable: ['status'] },
  opportunities: { hideable: hideable(PARTNER_OPPORTUNITY_FIELDS), editable: ['nextStep'] },
} as const;

/** The `partners` section of crm.config.yaml: the partner channel. */
export interface PartnersConfig {
  /** The partner role: which fields of shared leads and opportunities partner users see and edit. */
  readonly access: {
    readonly leads: PartnerRecordAccess;
    readonly opportunities: PartnerRecordAccess;
  };
  /** Partner tiers, lowest first. */
  readonly tiers: readonly string[];
  /** Where the partner front end lives; an invitation links to `<baseUrl>/accept-invitation?token=…`. */
  readonly baseUrl: string;
  readonly fromAddress: string;
  readonly fromName: string;
  readonly invitationTtlHours: number;
  /** How long an approved registration protects the partner's deal. */
  readonly protectionDays: number;
  /** Cron (organization time zone) of the run that expires lapsed registrations. */
  readonly expirySchedule: string;
  /** Leads given to partners by rules: on create (when set) and on demand. */
  readonly distribution: {
    readonly onLeadCreate: boolean;
    readonly rules: readonly DistributionRule[];
  };
}

const codes = {
  type: 'array',
  maxItems: 200,
  items: { type: 'string', minLength: 1, maxLength: 100 },
};

const accessSchema = (type: keyof typeof PARTNER_ACCESS_LIMITS) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    hidden: {
      type: 'array',
      uniqueItems: true,
      items: { enum: [...PARTNER_ACCESS_LIMITS[type].hideable] },
    },
    editable: {
      type: 'array',
      uniqueItems: true,
      items: { enum: [...PARTNER_ACCESS_LIMITS[type].editable] },
    },
  },
});

type AccessGiven = Partial<Record<'leads' | 'opportunities', Partial<PartnerRecordAccess>>>;
const accessOf = (g: AccessGiven | undefined, type: keyof typeof PARTNER_ACCESS_LIMITS) => ({
  hidden: g?.[type]?.hidden ?? [],
  editable: g?.[type]?.editable ?? [...PARTNER_ACCESS_LIMITS[type].editable],
});

export const PARTNERS_SECTION = defineConfigSection<PartnersConfig>({
  key: 'partners',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      tiers: { ...codes, minItems: 1, maxItems: 20, uniqueItems: true },
      baseUrl: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', maxLength: 300 },
      fromAddress: { type: 'string', pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 254 },
      fromName: { type: 'string', minLength: 1, maxLength: 100 },
      invitationTtlHours: { type: 'integer', minimum: 1, maximum: 720 },
      protectionDays: { type: 'integer', minimum: 1, maximum: 730 },
      expirySchedule: { type: 'string', minLength: 9, maxLength: 100 },
      access: {
        type: 'object',
        additionalProperties: false,
        properties: { leads: accessSchema('leads'), opportunities: accessSchema('opportunities') },
      },
      distribution: {
        type: 'object',
        additionalProperties: false,
        properties: {
          onLeadCreate: { type: 'boolean' },
          rules: {
            type: 'array',
            maxItems: 100,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key'],
              properties: {
                key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' },
                countries: codes,
                industries: codes,
                partnerTiers: codes,
              },
            },
          },
        },
      },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<
      Omit<PartnersConfig, 'distribution' | 'access'> & {
        distribution: { onLeadCreate?: boolean; rules?: Partial<DistributionRule>[] };
        access: AccessGiven;
      }
    >;
    return {
      access: {
        leads: accessOf(g.access, 'leads'),
        opportunities: accessOf(g.access, 'opportunities'),
      },
      tiers: g.tiers ?? ['registered', 'silver', 'gold'],
      baseUrl: (g.baseUrl ?? 'http://localhost:3000/partner').replace(/\/+$/, ''),
      fromAddress: g.fromAddress ?? 'channel@localhost',
      fromName: g.fromName ?? 'Partner programme',
      invitationTtlHours: g.invitationTtlHours ?? 72,
      protectionDays: g.protectionDays ?? 90,
      expirySchedule: g.expirySchedule ?? '15 1 * * *',
      distribution: {
        onLeadCreate: g.distribution?.onLeadCreate ?? true,
        rules: (g.distribution?.rules ?? []).map((r) => ({
          key: r.key as string,
          countries: r.countries?.map((c) => c.toUpperCase()) ?? null,
          industries: r.industries ?? null,
          partnerTiers: r.partnerTiers ?? null,
        })),
      },
    };
  },
  problems: (value) => {
    const seen = new Set<string>();
    return value.distribution.rules.flatMap((r, i) => {
      const out = seen.has(r.key)
        ? [`/partners/distribution/rules/${i}/key: ${r.key} is used twice`]
        : [];
      seen.add(r.key);
      const unknown = (r.partnerTiers ?? []).filter((t) => !value.tiers.includes(t));
      if (unknown.length)
        out.push(
          `/partners/distribution/rules/${i}/partnerTiers: ${unknown.join(', ')} not in partners.tiers`,
        );
      return out;
    });
  },
});

export const PARTNERS_CONFIG: ConfigComposition = {
  sections: [PARTNERS_SECTION],
  reservedPaths: ['partners', 'partner', 'deal-registrations'],
};
