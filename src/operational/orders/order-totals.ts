import { lineTotal } from '#operational/sales/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';

/** A line as the totals see it; a credit line has a negative quantity. */
export interface PricedLine {
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxCategory: string;
  /** Percent, e.g. "11". */
  taxRate: string;
}

export interface TaxByCategory {
  category: string;
  rate: string;
  /** The net amount of the category's lines, which the rate applies to. */
  base: string;
  tax: string;
}

export interface OrderTotals {
  /** Each line's net amount, in the order given. */
  lineNets: string[];
  subtotal: string;
  taxes: TaxByCategory[];
  taxTotal: string;
  total: string;
}

/** `quantity × unit price − discount percent`, rounded as an opportunity line's total is. */
export function lineNet(line: PricedLine, currency: string): string {
  return lineTotal(line.quantity, line.unitPrice, line.discountPercent, currency);
}

/**
 * An order's totals: each line's net rounded to the currency's minor unit, the tax of each
 * category (and rate) computed once on the sum of its lines' nets and rounded, so the taxes
 * shown add up to the tax total; the total is the subtotal plus the taxes. Credit lines count
 * negatively, so returning everything brings every figure back to zero.
 */
export function orderTotals(lines: readonly PricedLine[], currency: string): OrderTotals {
  const lineNets = lines.map((l) => lineNet(l, currency));
  const groups = new Map<string, { category: string; rate: string; base: Money }>();
  lines.forEach((l, i) => {
    const rate = new Money(l.taxRate).toString();
    const key = `${l.taxCategory}\u0000${rate}`;
    const group = groups.get(key) ?? { category: l.taxCategory, rate, base: new Money(0) };
    group.base = group.base.plus(lineNets[i]);
    groups.set(key, group);
  });
  const taxes = [...groups.values()]
    .sort((a, b) => a.category.localeCompare(b.category) || new Money(a.rate).cmp(b.rate))
    .map((g) => ({
      category: g.category,
      rate: g.rate,
      base: roundMoney(g.base, currency),
      tax: roundMoney(g.base.times(g.rate).dividedBy(100), currency),
    }));
  const subtotal = lineNets.reduce((sum, n) => sum.plus(n), new Money(0));
  const taxTotal = taxes.reduce((sum, t) => sum.plus(t.tax), new Money(0));
  return {
    lineNets,
    subtotal: roundMoney(subtotal, currency),
    taxes,
    taxTotal: roundMoney(taxTotal, currency),
    total: roundMoney(subtotal.plus(taxTotal), currency),
  };
}
