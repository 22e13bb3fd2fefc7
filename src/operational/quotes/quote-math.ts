import { Money, minorUnitDigits } from '#platform/currency/index.js';

/** What a line contributes to the sums: all decimal strings. */
export interface LineInput {
  quantity: string;
  unitPrice: string;
  /** 0–100. */
  discountPercent: string;
  taxCategory: string;
  /** Percent, e.g. "11". */
  taxRate: string;
  /** Cost of one unit in the quote's currency; null when unknown. */
  unitCost: string | null;
}

/** A line's amounts, each a whole number of the currency's minor unit. */
export interface LineFigures {
  gross: string;
  discount: string;
  net: string;
  /** The line's share of the quote's header discount. */
  headerDiscount: string;
  tax: string;
  total: string;
  cost: string | null;
}

export interface TaxFigure {
  category: string;
  rate: string;
  /** Net of all discounts. */
  base: string;
  amount: string;
}

export interface QuoteFigures {
  lines: LineFigures[];
  /** Sum of the lines' nets (after line discounts, before the header discount). */
  subtotal: string;
  lineDiscountTotal: string;
  headerDiscount: string;
  discountTotal: string;
  taxes: TaxFigure[];
  taxTotal: string;
  grandTotal: string;
  /** Null when a line's cost is unknown: a margin over part of the quote would mislead. */
  costTotal: string | null;
  margin: string | null;
  /** Margin over the net revenue, 2 decimals; null without costs or revenue. */
  marginPercent: string | null;
}

const HUNDRED = new Money(100);
const PERCENT = new Money('0.01');

/**
 * Splits `total` minor units over `weights` in proportion, each share a whole number of
 * units and the shares summing to `total` exactly (largest remainder; earlier lines win
 * ties, so the split is stable).
 */
export function allocate(total: Money, weights: readonly Money[]): Money[] {
  // Whole units in bigint: exact, and far cheaper than decimal division per line.
  const t = BigInt(total.toFixed(0));
  const ws = weights.map((w) => BigInt(w.toFixed(0)));
  const sum = ws.reduce((a, w) => a + w, 0n);
  if (sum === 0n || t === 0n) return weights.map(() => new Money(0));
  const shares = ws.map((w) => (t * w) / sum);
  const remainders = ws.map((w, i) => ({ i, r: (t * w) % sum }));
  let left = t - shares.reduce((a, s) => a + s, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : b.r > a.r ? 1 : -1));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    shares[i] += 1n;
    left -= 1n;
  }
  return shares.map((s) => new Money(s.toString()));
}

/**
 * The quote's figures from its lines and header discount, rounded to the currency's minor
 * unit at each step a document shows, so that every printed sum adds up:
 *
 * - a line's gross is quantity × unit price, its discount a percent of the gross, its net
 *   the difference;
 * - the header discount is a percent of the subtotal (the sum of nets), shared over the
 *   lines in proportion to their nets;
 * - tax is computed once per category on the discounted base, then shared over its lines;
 * - a line's total is net − header share + tax, and the grand total is their sum, which is
 *   also subtotal − header discount + tax total.
 */
export function computeQuote(
  lines: readonly LineInput[],
  headerDiscountPercent: string,
  currency: string,
): QuoteFigures {
  const digits = minorUnitDigits(currency);
  const unit = new Money(10).pow(-digits);
  const scale = new Money(10).pow(digits);
  // Work in whole minor units so that sums cannot drift; multiplying by powers of ten is
  // exact, so no step divides but the allocations.
  const toUnits = (v: Money) => v.times(scale).toDecimalPlaces(0);
  const percentOf = (units: Money, percent: string) =>
    units.times(percent).times(PERCENT).toDecimalPlaces(0);
  const fromUnits = (v: Money) => v.times(unit).toFixed(digits);

  const gross = lines.map((l) => toUnits(new Money(l.quantity).times(l.unitPrice)));
  const discount = lines.map((l, i) => percentOf(gross[i], l.discountPercent));
  const net = gross.map((g, i) => g.minus(discount[i]));
  const subtotal = sum(net);
  const headerDiscount = percentOf(subtotal, headerDiscountPercent);

  // The header discount goes to the tax categories first (in key order), then to their
  // lines: each category's tax then depends on its lines alone, not on their order.
  const keyOf = (l: LineInput) => `${l.taxCategory}\u0000${l.taxRate}`;
  const categories = [...new Set(lines.map(keyOf))].sort();
  const members = categories.map((key) => lines.flatMap((l, i) => (keyOf(l) === key ? [i] : [])));
  const categoryNet = members.map((m) => sum(m.map((i) => net[i])));
  const categoryShare = allocate(headerDiscount, categoryNet);
  const headerShare = lines.map(() => new Money(0));
  const tax = lines.map(() => new Money(0));
  const taxes: TaxFigure[] = categories.map((key, c) => {
    const [category, rate] = key.split('\u0000');
    const m = members[c];
    allocate(
      categoryShare[c],
      m.map((i) => net[i]),
    ).forEach((share, k) => (headerShare[m[k]] = share));
    const base = categoryNet[c].minus(categoryShare[c]);
    const amount = percentOf(base, rate);
    allocate(
      amount,
      m.map((i) => net[i].minus(headerShare[i])),
    ).forEach((share, k) => (tax[m[k]] = share));
    return { category, rate, base: fromUnits(base), amount: fromUnits(amount) };
  });
  const taxable = net.map((n, i) => n.minus(headerShare[i]));

  const total = taxable.map((t, i) => t.plus(tax[i]));
  const cost = lines.map((l) =>
    l.unitCost === null ? null : toUnits(new Money(l.quantity).times(l.unitCost)),
  );
  const costKnown = cost.every((c): c is Money => c !== null);
  const revenue = subtotal.minus(headerDiscount);
  const costTotal = costKnown ? sum(cost) : null;
  const margin = costTotal !== null ? revenue.minus(costTotal) : null;
  const lineDiscountTotal = sum(discount);

  return {
    lines: lines.map((_, i) => ({
      gross: fromUnits(gross[i]),
      discount: fromUnits(discount[i]),
      net: fromUnits(net[i]),
      headerDiscount: fromUnits(headerShare[i]),
      tax: fromUnits(tax[i]),
      total: fromUnits(total[i]),
      cost: cost[i] === null ? null : fromUnits(cost[i]),
    })),
    subtotal: fromUnits(subtotal),
    lineDiscountTotal: fromUnits(lineDiscountTotal),
    headerDiscount: fromUnits(headerDiscount),
    discountTotal: fromUnits(lineDiscountTotal.plus(headerDiscount)),
    taxes,
    taxTotal: fromUnits(sum(tax)),
    grandTotal: fromUnits(sum(total)),
    costTotal: costTotal !== null ? fromUnits(costTotal) : null,
    margin: margin !== null ? fromUnits(margin) : null,
    marginPercent:
      margin !== null && !revenue.isZero() ? margin.div(revenue).times(HUNDRED).toFixed(2) : null,
  };
}

function sum(values: readonly Money[]): Money {
  return values.reduce((a, v) => a.plus(v), new Money(0));
}

/** The highest discount a quote gives, line or header: what its approval depends on. */
export function highestDiscount(lineDiscounts: readonly string[], header: string): Money {
  return [...lineDiscounts, header].reduce(
    (max, d) => (new Money(d).gt(max) ? new Money(d) : max),
    new Money(0),
  );
}
