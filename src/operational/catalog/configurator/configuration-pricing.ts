import { Money, roundMoney } from '#platform/currency/index.js';
import { AppError } from '#platform/http/index.js';
import { withinWindow } from '../catalog-rules.js';
import type { AccountSegment } from '../prices/price-choice.js';
import {
  optionLabel,
  textIn,
  type Bundle,
  type ConfigurationModel,
  type Locale,
  type MoneyValue,
  type Selection,
} from './configuration-model.js';
import { selectedQuantity } from './configuration-rules.js';

export const LINE_KINDS = [
  'product',
  'option',
  'surcharge',
  'bundle-discount',
  'segment-discount',
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** One line of a priced configuration; discounts are negative amounts. */
export interface PricedLine {
  kind: LineKind;
  /** The product, option, bundle or segment discount the line is for. */
  refId: string;
  /** The option a product or surcharge line comes from; null for the base product. */
  optionId: string | null;
  sku: string | null;
  description: string;
  /** Units priced: the option's quantity per configured unit times the configured quantity. */
  quantity: string | null;
  unitPrice: MoneyValue | null;
  /** For a price from a book: the entry's minimum quantity (the volume tier reached). */
  tierMinQuantity: string | null;
  priceBookId: string | null;
  entryId: string | null;
  /** For a discount line: its percent. */
  percent: string | null;
  amount: MoneyValue;
}

export interface PricedConfiguration {
  currency: string;
  quantity: string;
  date: string;
  lines: PricedLine[];
  /** Products, options and surcharges before discounts. */
  subtotal: MoneyValue;
  discountTotal: MoneyValue;
  total: MoneyValue;
}

/** The unit price a book gives a product for a quantity, as the price lookup chose it. */
export interface BookPrice {
  unitPrice: string;
  minQuantity: string;
  priceBookId: string;
  entryId: string;
}

export type BookPriceOf = (productId: string, quantity: string) => BookPrice | null;

/** A percent off a whole configuration for the accounts of a segment. */
export interface SegmentDiscount {
  id: string;
  name: string;
  productId: string | null;
  accountType: string | null;
  industry: string | null;
  tier: string | null;
  discountPercent: string;
  validFrom: string | null;
  validTo: string | null;
}

const CRITERIA = ['accountType', 'industry', 'tier'] as const;

/**
 * The segment discount that holds, chosen as price books are: of those valid on the day for
 * the product (or every product) whose criteria the account all matches, the one setting the
 * most criteria, then the one for this product, then the latest validFrom, then by id.
 */
export function chooseDiscount(
  discounts: readonly SegmentDiscount[],
  productId: string,
  day: string,
  segment: AccountSegment | null,
): SegmentDiscount | null {
  const count = (d: SegmentDiscount) => CRITERIA.filter((k) => d[k] !== null).length;
  const applicable = discounts.filter(
    (d) =>
      (d.productId === null || d.productId === productId) &&
      withinWindow(day, d.validFrom, d.validTo) &&
      CRITERIA.every((k) => d[k] === null || (segment !== null && d[k] === segment[k])),
  );
  return (
    applicable.sort(
      (a, b) =>
        count(b) - count(a) ||
        Number(b.productId !== null) - Number(a.productId !== null) ||
        (b.validFrom ?? '').localeCompare(a.validFrom ?? '') ||
        a.id.localeCompare(b.id),
    )[0] ?? null
  );
}

export interface PricingRequest {
  currency: string;
  quantity: string;
  selections: readonly Selection[];
  date: string;
}

/**
 * Prices a configuration that passed checkConfiguration. Every line is rounded to the
 * currency's minor unit on its own and the total is the sum of the lines, so the breakdown
 * always adds up to the total a customer sees. Bundles apply when all their options are
 * chosen, the largest discount first, each option in one bundle at most; the segment
 * discount applies to what is left after bundles.
 */
export function priceConfiguration(
  model: ConfigurationModel,
  request: PricingRequest,
  priceOf: BookPriceOf,
  discount: SegmentDiscount | null,
  locale: Locale,
): PricedConfiguration {
  const { currency, quantity } = request;
  const money = (amount: Money | string | number): MoneyValue => ({
    amount: roundMoney(amount, currency),
    currency,
  });
  const lines: PricedLine[] = [];
  const bookLine = (
    kind: 'product' | 'option',
    product: ConfigurationModel['product'],
    optionId: string | null,
    units: string,
  ) => {
    const price = priceOf(product.id, units);
    if (!price)
      throw new AppError('price_not_found', {
        sku: product.sku,
        currency,
        date: request.date,
        quantity: units,
      });
    lines.push({
      kind,
      refId: product.id,
      optionId,
      sku: product.sku,
      description: textIn(product.name, locale) || product.sku,
      quantity: units,
      unitPrice: { amount: price.unitPrice, currency },
      tierMinQuantity: price.minQuantity,
      priceBookId: price.priceBookId,
      entryId: price.entryId,
      percent: null,
      amount: money(new Money(price.unitPrice).times(units)),
    });
  };

  bookLine('product', model.product, null, quantity);
  const optionAmounts = new Map<string, Money>();
  for (const selection of request.selections) {
    const option = model.options.get(selection.optionId)!;
    const units = new Money(selectedQuantity(selection, option)).times(quantity).toString();
    const before = lines.length;
    if (option.optionProduct) bookLine('option', option.optionProduct, option.id, units);
    else {
      const surcharge = option.surcharges.find((s) => s.currency === currency);
      if (!surcharge)
        throw new AppError('option_surcharge_missing', {
          option: optionLabel(option, locale),
          currency,
        });
      lines.push({
        kind: 'surcharge',
        refId: option.id,
        optionId: option.id,
        sku: null,
        description: optionLabel(option, locale),
        quantity: units,
        unitPrice: { amount: surcharge.amount, currency },
        tierMinQuantity: null,
        priceBookId: null,
        entryId: null,
        percent: null,
        amount: money(new Money(surcharge.amount).times(units)),
      });
    }
    optionAmounts.set(option.id, new Money(lines[before].amount.amount));
  }
  const subtotal = sum(lines);

  const chosen = new Set(optionAmounts.keys());
  const used = new Set<string>();
  const bundleOff = (b: Bundle) =>
    new Money(
      roundMoney(
        b.optionIds
          .reduce((s, id) => s.plus(optionAmounts.get(id) ?? 0), new Money(0))
          .times(b.discountPercent)
          .div(100),
        currency,
      ),
    );
  const bundles = model.bundles
    .filter((b) => b.optionIds.every((id) => chosen.has(id)))
    .map((b) => ({ bundle: b, off: bundleOff(b) }))
    .sort((a, b) => b.off.comparedTo(a.off) || a.bundle.id.localeCompare(b.bundle.id));
  for (const { bundle, off } of bundles) {
    if (bundle.optionIds.some((id) => used.has(id))) continue;
    bundle.optionIds.forEach((id) => used.add(id));
    lines.push(discountLine('bundle-discount', bundle.id, textIn(bundle.name, locale), off));
  }
  if (discount) {
    const off = new Money(sum(lines)).times(discount.discountPercent).div(100);
    lines.push(discountLine('segment-discount', discount.id, discount.name, off));
  }
  const total = sum(lines);
  return {
    currency,
    quantity,
    date: request.date,
    lines,
    subtotal: money(subtotal),
    discountTotal: money(new Money(total).minus(subtotal)),
    total: money(total),
  };

  function discountLine(kind: LineKind, refId: string, description: string, off: Money) {
    const percent =
      kind === 'bundle-discount'
        ? model.bundles.find((b) => b.id === refId)!.discountPercent
        : discount!.discountPercent;
    return {
      kind,
      refId,
      optionId: null,
      sku: null,
      description,
      quantity: null,
      unitPrice: null,
      tierMinQuantity: null,
      priceBookId: null,
      entryId: null,
      percent,
      amount: money(off.isZero() ? 0 : off.negated()),
    };
  }
}

function sum(lines: readonly PricedLine[]): string {
  return lines.reduce((s, l) => s.plus(l.amount.amount), new Money(0)).toString();
}
