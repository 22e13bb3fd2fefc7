const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code known to the runtime's currency table (`IDR`, `USD`; not `usd`, not `XYZ`). */
export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && CURRENCIES.has(value);
}

/**
 * A bound on lists with one entry per currency: the runtime's table holds about 300 codes at
 * most (full ICU, historic ones included), and only codes in it are ever stored.
 */
export const MAX_CURRENCIES = 400;
