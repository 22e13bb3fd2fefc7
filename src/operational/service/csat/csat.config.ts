import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `csat` section of crm.config.yaml: the survey sent when a case is resolved. */
export interface CsatConfig {
  readonly enabled: boolean;
  /** Minutes after the resolution before the invitation goes out. */
  readonly delayMinutes: number;
  /** How long the survey link can be answered. */
  readonly linkTtlDays: number;
  /** The consent purpose the marketing gate checks for the invitation. */
  readonly purpose: string;
}

export const CSAT_SECTION = defineConfigSection<CsatConfig>({
  key: 'csat',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      delayMinutes: { type: 'integer', minimum: 0, maximum: 10080 },
      linkTtlDays: { type: 'integer', minimum: 1, maximum: 365 },
      purpose: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<CsatConfig>;
    return {
      enabled: g.enabled ?? true,
      delayMinutes: g.delayMinutes ?? 0,
      linkTtlDays: g.linkTtlDays ?? 14,
      purpose: g.purpose ?? 'service_feedback',
    };
  },
});

export const CSAT_CONFIG: ConfigComposition = { sections: [CSAT_SECTION], reservedPaths: [] };
