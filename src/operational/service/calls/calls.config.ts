import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `calls` section of crm.config.yaml. */
export interface CallsConfig {
  /** ISO 3166-1 alpha-2 country whose numbering plan reads numbers given without `+`. */
  readonly defaultCountry: string;
  /** When a requested callback is due if the call does not say: minutes after the call started. */
  readonly callbackDelayMinutes: number;
}

export const CALLS_SECTION = defineConfigSection<CallsConfig>({
  key: 'calls',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$' },
      callbackDelayMinutes: { type: 'integer', minimum: 0, maximum: 10080 },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<CallsConfig>;
    return {
      defaultCountry: g.defaultCountry ?? 'ID',
      callbackDelayMinutes: g.callbackDelayMinutes ?? 60,
    };
  },
});

export const CALLS_CONFIG: ConfigComposition = {
  sections: [CALLS_SECTION],
  reservedPaths: ['calls'],
};
