import { AppError } from '#platform/http/app-error.js';
import { Money } from '#platform/currency/money-math.js';
import { hasLanguage } from './dto/localized-text.dto.js';

/** A validity window ends on or after the day it starts (both inclusive). */
export function checkWindow(record: Record<string, unknown>, from: string, to: string): void {
  const start = record[from] as string | null | undefined;
  const end = record[to] as string | null | undefined;
  if (start && end && start > end)
    throw AppError.field(to, 'min', `must be on or after ${from} (${start})`, { min: start });
}

/** Localized texts the request set must name a language; a name is required, a description may be null. */
export function checkLanguages(
  record: Record<string, unknown>,
  changed: ReadonlySet<string>,
  fields: readonly string[],
): void {
  for (const field of fields) {
    const value = record[field];
    if (!changed.has(field) || (value === null && field !== 'name')) continue;
    if (!hasLanguage(value))
      throw AppError.field(
        field,
        'required',
        'must give the text in at least one language (en, id)',
      );
  }
}

/** A money amount the request set is zero or more. */
export function checkNotNegative(record: Record<string, unknown>, field: string): void {
  const money = record[field] as { amount: string } | null | undefined;
  if (money && new Money(money.amount).isNegative())
    throw AppError.field(field, 'min', 'must not be negative', { min: 0 });
}

/** Whether a day lies in a window whose open ends are unbounded. */
export function withinWindow(day: string, from: string | null, to: string | null): boolean {
  return (from === null || from <= day) && (to === null || day <= to);
}

/** 422 unless the product is active and available on the day: what cannot be sold is not priced. */
export function checkSellable(product: Record<string, unknown>, day: string): void {
  const sku = product.sku as string;
  if (!product.active) throw new AppError('product_inactive', { sku });
  const from = product.availableFrom as string | null;
  const to = product.availableTo as string | null;
  if (!withinWindow(day, from, to))
    throw new AppError('product_not_available', {
      sku,
      date: day,
      from: from ?? '…',
      to: to ?? '…',
    });
}
