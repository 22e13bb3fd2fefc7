import { defineConfigSection } from '#platform/config/index.js';

/** The `leadConversion` section: what a lead's conversion carries over to the records it becomes. */
export interface LeadConversionConfig {
  /** Per target (accounts, contacts, opportunities): lead custom field code → target code. */
  readonly customFieldMap: {
    readonly accounts?: Readonly<Record<string, string>>;
    readonly contacts?: Readonly<Record<string, string>>;
    readonly opportunities?: Readonly<Record<string, string>>;
  };
}

const FIELD_MAP = {
  type: 'object',
  maxProperties: 200,
  propertyNames: { pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
  additionalProperties: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
};

/** Whether the mapped fields exist is checked by LeadConversionService, which knows them. */
export const LEAD_CONVERSION_CONFIG = defineConfigSection<LeadConversionConfig>({
  key: 'leadConversion',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      customFieldMap: {
        type: 'object',
        additionalProperties: false,
        properties: { accounts: FIELD_MAP, contacts: FIELD_MAP, opportunities: FIELD_MAP },
      },
    },
  },
  resolve: (given) => ({
    customFieldMap: { ...(given as LeadConversionConfig | undefined)?.customFieldMap },
  }),
});
