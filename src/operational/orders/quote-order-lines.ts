import { lineTotal } from '#operational/sales/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';

/**
 * The discount percent that gives a quote line, at its quoted unit price, the net it was
 * taxed on in the quote: its line discount and its share of the header discount together.
 * An order line's net is `quantity × unit price × (100 − discount) / 100` rounded, so this
 * percent is the exact ratio, shortened to the fewest decimals (4 or more) that still give
 * that net to the minor unit. With every line's net equal to its quoted taxable amount, the
 * tax per category (one rounding on the category's sum, half to even in both) and the order
 * total equal the quote's.
 */
export function frozenDiscount(
  quantity: string,
  unitPrice: string,
  taxable: string,
  currency: string,
): string {
  const gross = new Money(quantity).times(unitPrice);
  const target = roundMoney(taxable, currency);
  if (gross.isZero()) return '0';
  const exact = Money.min(
    100,
    Money.max(0, new Money(1).minus(new Money(taxable).dividedBy(gross)).times(100)),
  );
  for (let places = 4; places <= 30; places += 2) {
    const d = exact.toDecimalPlaces(places).toFixed();
    if (lineTotal(quantity, unitPrice, d, currency) === target) return d;
  }
  // A net the rounding cannot hit exactly (a gross under one minor unit): the exact ratio.
  return exact.toFixed();
}
