import { Decimal } from 'decimal.js';

/**
 * Decimal arithmetic for money and for statistics over money: 40 significant digits, ties
 * rounded to even so that rounding many figures does not drift one way.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = Decimal;

const digits = new Map<string, number>();

/** Decimal places of a currency's minor unit (IDR 2, JPY 0, BHD 3), as ISO 4217 lists them. */
export function minorUnitDigits(currency: string): number {
  let n = digits.get(currency);
  if (n === undefined) {
    n =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digits.set(currency, n);
  }
  return n;
}

/** A decimal string (from SQL or a sum) rounded to the currency's minor unit: `"1234.50"`. */
export function roundMoney(value: Decimal.Value | null | undefined, currency: string): string {
  return new Money(value ?? 0).toFixed(minorUnitDigits(currency));
}
