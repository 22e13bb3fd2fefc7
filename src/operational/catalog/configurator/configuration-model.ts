import type { Locale } from '#platform/http/index.js';

/**
 * What a configuration is checked and priced against, as plain data: the configurable
 * product, its option groups, options, rules and bundles. Loaded once per request by
 * ConfigurationModelLoader; the rule and pricing functions never touch the database.
 */

/** A text in each language the catalog speaks; at least one is set. */
export interface LocalizedText {
  en?: string;
  id?: string;
}

export type { Locale };

export interface MoneyValue {
  amount: string;
  currency: string;
}

export interface ModelProduct {
  id: string;
  sku: string;
  name: LocalizedText;
  active: boolean;
  availableFrom: string | null;
  availableTo: string | null;
}

export interface OptionGroup {
  id: string;
  name: LocalizedText;
  minChoices: number;
  maxChoices: number | null;
  required: boolean;
  sortOrder: number;
  active: boolean;
}

export interface ProductOption {
  id: string;
  groupId: string;
  /** The configurable product the option belongs to. */
  productId: string;
  name: LocalizedText | null;
  /** Set for an option that is a product of its own, priced from the price books. */
  optionProduct: ModelProduct | null;
  /** Set for an option priced as a fixed surcharge, one amount per currency. */
  surcharges: MoneyValue[];
  isDefault: boolean;
  minQuantity: string;
  maxQuantity: string | null;
  sortOrder: number;
  active: boolean;
}

export const RULE_KINDS = ['requires', 'excludes', 'only-with', 'quantity-limit'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface OptionRule {
  id: string;
  kind: RuleKind;
  optionId: string;
  targetOptionIds: string[];
  minQuantity: string | null;
  maxQuantity: string | null;
  message: LocalizedText | null;
}

export interface Bundle {
  id: string;
  name: LocalizedText;
  optionIds: string[];
  discountPercent: string;
}

export interface ConfigurationModel {
  product: ModelProduct;
  groups: OptionGroup[];
  /** Every option the request named or the product offers, including other products' ones. */
  options: ReadonlyMap<string, ProductOption>;
  rules: OptionRule[];
  bundles: Bundle[];
}

export interface Selection {
  optionId: string;
  /** Per unit of the configured product; defaults to the option's minimum quantity. */
  quantity?: string;
}

/** The text in the caller's language, else in the one it has. */
export function textIn(text: LocalizedText | null | undefined, locale: Locale): string {
  if (!text) return '';
  return (locale === 'id' ? (text.id ?? text.en) : (text.en ?? text.id)) ?? '';
}

/** How an option is named to a seller: its own name, else its product's name and SKU. */
export function optionLabel(option: ProductOption, locale: Locale): string {
  const own = textIn(option.name, locale);
  if (own) return own;
  const p = option.optionProduct;
  return p ? `${textIn(p.name, locale) || p.sku} (${p.sku})` : option.id;
}
