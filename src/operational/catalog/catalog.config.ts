import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { LOCALIZED_TEXT_SCHEMA, type LocalizedText } from '#platform/customization/index.js';

export interface TaxCategoryConfig {
  readonly key: string;
  readonly label: LocalizedText;
  /** Percent as a decimal string, e.g. "11" or "12.5": quotes compute taxes from it. */
  readonly rate: string;
  /** The category a product takes when it names none; the first one otherwise. */
  readonly default?: boolean;
}

/** The `catalog` section: tax categories of products and where an account keeps its tier. */
export interface CatalogConfig {
  readonly taxCategories: readonly TaxCategoryConfig[];
  /** Code of the account custom field that holds the customer tier price books match on. */
  readonly accountTierField: string;
}

export const DEFAULT_TAX_CATEGORIES: readonly TaxCategoryConfig[] = [
  { key: 'standard', label: { en: 'VAT 11%', id: 'PPN 11%' }, rate: '11', default: true },
  { key: 'exempt', label: { en: 'VAT exempt', id: 'Bebas PPN' }, rate: '0' },
];

export const CATALOG_SECTION = defineConfigSection<CatalogConfig>({
  key: 'catalog',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      taxCategories: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'label', 'rate'],
          properties: {
            key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' },
            label: LOCALIZED_TEXT_SCHEMA,
            rate: { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,4})?$' },
            default: { type: 'boolean' },
          },
        },
      },
      accountTierField: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<CatalogConfig>;
    return {
      taxCategories: g.taxCategories ?? DEFAULT_TAX_CATEGORIES,
      accountTierField: g.accountTierField ?? 'tier',
    };
  },
  problems: (value) => {
    const problems: string[] = [];
    const seen = new Set<string>();
    value.taxCategories.forEach((c, i) => {
      if (seen.has(c.key))
        problems.push(`/catalog/taxCategories/${i}/key: "${c.key}" is listed twice`);
      seen.add(c.key);
      if (Number(c.rate) > 100)
        problems.push(`/catalog/taxCategories/${i}/rate: must be at most 100 (percent)`);
    });
    if (value.taxCategories.filter((c) => c.default).length > 1)
      problems.push('/catalog/taxCategories: only one category may be the default');
    return problems;
  },
});

/** The catalog's part of crm.config.yaml and the API paths it serves. */
export const CATALOG_CONFIG: ConfigComposition = {
  sections: [CATALOG_SECTION],
  reservedPaths: [
    'products',
    'product-families',
    'price-books',
    'price-book-entries',
    'prices',
    'tax-categories',
    'product-option-groups',
    'product-options',
    'product-bundles',
    'product-option-rules',
    'configuration-discounts',
    'configurations',
  ],
};

/** The tax category a product takes when it names none. */
export function defaultTaxCategory(config: CatalogConfig): string {
  return (config.taxCategories.find((c) => c.default) ?? config.taxCategories[0]).key;
}
