const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code known to the runtime's currency table (`IDR`, `USD`; not `usd`, not `XYZ`). */
export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && CURRENCIES.has(value);
}
