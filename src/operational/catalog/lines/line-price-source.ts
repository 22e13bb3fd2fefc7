import { Money } from '#platform/currency/index.js';

/**
 * Where a sales line's unit price came from: `price_book` when the books priced it (the
 * line follows them when its quantity changes, so volume tiers apply), `manual` when the
 * request gave it (it stays as given).
 */
export const PRICE_SOURCES = ['price_book', 'manual'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/**
 * Whether an update of a quote or opportunity line asks the books for its price again: the
 * quantity changed while the price was the books' and the request gave none. A line selling
 * a saved configuration keeps the configuration's price, which volume tiers of the line's
 * product do not describe.
 */
export function repricesFromBook(
  existing: Record<string, unknown>,
  record: Record<string, unknown>,
  changed: ReadonlySet<string>,
): boolean {
  return (
    existing.priceSource === 'price_book' &&
    !existing.configurationId &&
    changed.has('quantity') &&
    !changed.has('unitPrice') &&
    !new Money(record.quantity as string).eq(existing.quantity as string)
  );
}
