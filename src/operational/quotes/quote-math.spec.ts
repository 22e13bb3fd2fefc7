import fc from 'fast-check';
import { Money } from '#platform/currency/money-math.js';
import { allocate, computeQuote, highestDiscount, type LineInput } from './quote-math.js';

const currency = fc.constantFrom('IDR', 'USD', 'JPY', 'BHD');
const decimal = (maxInt: number, places: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: 10 ** places - 1 }))
    .map(([i, f]) => (places ? `${i}.${String(f).padStart(places, '0')}` : String(i)));
const percent = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 99 }))
  .map(([i, f]) => (i === 100 ? '100' : `${i}.${String(f).padStart(2, '0')}`));
const line: fc.Arbitrary<LineInput> = fc.record({
  quantity: decimal(500, 3).filter((q) => new Money(q).gt(0)),
  unitPrice: decimal(50_000_000, 2),
  discountPercent: fc.oneof(fc.constant('0'), percent),
  taxCategory: fc.constantFrom('standard', 'exempt', 'luxury'),
  taxRate: fc.constantFrom('11', '0', '12.5'),
  unitCost: fc.option(decimal(40_000_000, 2), { freq: 5 }),
});
// Categories keep one rate each within a quote, as the config has one rate per key.
const lines = fc.array(line, { minLength: 0, maxLength: 30 }).map((ls) =>
  ls.map((l) => ({
    ...l,
    taxRate: { standard: '11', exempt: '0', luxury: '12.5' }[l.taxCategory]!,
  })),
);
const header = fc.oneof(fc.constant('0'), percent);

const digitsOf = (c: string) => ({ IDR: 0, USD: 2, JPY: 0, BHD: 3 })[c]!;
const sum = (values: string[]) => values.reduce((a, v) => a.plus(v), new Money(0));
const isMinorUnits = (v: string, c: string) =>
  new Money(v).times(new Money(10).pow(digitsOf(c))).isInteger();

describe('quote math', () => {
  it('rounds every amount to the currency minor unit', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        const amounts = [
          q.subtotal,
          q.headerDiscount,
          q.discountTotal,
          q.taxTotal,
          q.grandTotal,
          ...q.taxes.flatMap((t) => [t.base, t.amount]),
          ...q.lines.flatMap((l) => [l.gross, l.discount, l.net, l.headerDiscount, l.tax, l.total]),
        ];
        for (const a of amounts) expect(isMinorUnits(a, c)).toBe(true);
        for (const a of amounts) expect(a.split('.')[1]?.length ?? 0).toBe(digitsOf(c));
      }),
    );
  });

  it('adds up: lines to subtotal, shares to the header discount, line taxes to each category', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        expect(sum(q.lines.map((l) => l.net)).eq(q.subtotal)).toBe(true);
        for (const l of q.lines) expect(new Money(l.gross).minus(l.discount).eq(l.net)).toBe(true);
        expect(sum(q.lines.map((l) => l.headerDiscount)).eq(q.headerDiscount)).toBe(true);
        expect(sum(q.lines.map((l) => l.tax)).eq(q.taxTotal)).toBe(true);
        expect(sum(q.taxes.map((t) => t.amount)).eq(q.taxTotal)).toBe(true);
        expect(
          sum(q.taxes.map((t) => t.base)).eq(new Money(q.subtotal).minus(q.headerDiscount)),
        ).toBe(true);
        for (const t of q.taxes) {
          const members = q.lines.filter((_, i) => ls[i].taxCategory === t.category);
          expect(sum(members.map((l) => l.tax)).eq(t.amount)).toBe(true);
        }
        expect(
          sum(q.lines.map((l) => l.discount))
            .plus(q.headerDiscount)
            .eq(q.discountTotal),
        ).toBe(true);
      }),
    );
  });

  it('never lets the grand total drift from its parts', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        const byParts = new Money(q.subtotal).minus(q.headerDiscount).plus(q.taxTotal);
        expect(byParts.eq(q.grandTotal)).toBe(true);
        expect(sum(q.lines.map((l) => l.total)).eq(q.grandTotal)).toBe(true);
        for (const l of q.lines)
          expect(new Money(l.net).minus(l.headerDiscount).plus(l.tax).eq(l.total)).toBe(true);
      }),
    );
  });

  it('keeps each rounded figure within half a minor unit of the exact one', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        const half = new Money(10).pow(-digitsOf(c)).div(2);
        ls.forEach((l, i) => {
          const exact = new Money(l.quantity).times(l.unitPrice);
          expect(exact.minus(q.lines[i].gross).abs().lte(half)).toBe(true);
          const disc = new Money(q.lines[i].gross).times(l.discountPercent).div(100);
          expect(disc.minus(q.lines[i].discount).abs().lte(half)).toBe(true);
        });
        const exactHeader = new Money(q.subtotal).times(h).div(100);
        expect(exactHeader.minus(q.headerDiscount).abs().lte(half)).toBe(true);
        for (const t of q.taxes) {
          const exactTax = new Money(t.base).times(t.rate).div(100);
          expect(exactTax.minus(t.amount).abs().lte(half)).toBe(true);
        }
      }),
    );
  });

  it('never turns a discount or a tax negative, and a line share never exceeds its net', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        for (const l of q.lines) {
          expect(new Money(l.net).gte(0)).toBe(true);
          expect(new Money(l.tax).gte(0)).toBe(true);
          expect(new Money(l.headerDiscount).lte(l.net)).toBe(true);
          expect(new Money(l.headerDiscount).gte(0)).toBe(true);
        }
      }),
    );
  });

  it('gives the same figures whatever the order of the lines', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const a = computeQuote(ls, h, c);
        const b = computeQuote([...ls].reverse(), h, c);
        expect(b.subtotal).toBe(a.subtotal);
        expect(b.headerDiscount).toBe(a.headerDiscount);
        expect(b.grandTotal).toBe(a.grandTotal);
        expect(new Set(b.taxes.map((t) => `${t.category}:${t.amount}`))).toEqual(
          new Set(a.taxes.map((t) => `${t.category}:${t.amount}`)),
        );
      }),
    );
  });

  it('computes a margin only when every cost is known', () => {
    fc.assert(
      fc.property(lines, header, currency, (ls, h, c) => {
        const q = computeQuote(ls, h, c);
        if (ls.some((l) => l.unitCost === null)) {
          expect(q.margin).toBeNull();
          expect(q.costTotal).toBeNull();
        } else {
          const revenue = new Money(q.subtotal).minus(q.headerDiscount);
          expect(revenue.minus(q.costTotal!).eq(q.margin!)).toBe(true);
        }
      }),
    );
  });

  it('allocates exactly, in proportion within one unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const ws = weights.map((w) => new Money(w));
          const shares = allocate(new Money(total), ws);
          const sumW = weights.reduce((a, w) => a + w, 0);
          expect(sum(shares.map((s) => s.toFixed())).toNumber()).toBe(sumW === 0 ? 0 : total);
          shares.forEach((s, i) => {
            expect(s.isInteger()).toBe(true);
            if (sumW)
              expect(s.minus(new Money(total).times(weights[i]).div(sumW)).abs().lt(1)).toBe(true);
          });
        },
      ),
    );
  });

  it('prices a worked example the way a reader checks it by hand', () => {
    const q = computeQuote(
      [
        {
          quantity: '3',
          unitPrice: '1000000',
          discountPercent: '10',
          taxCategory: 'standard',
          taxRate: '11',
          unitCost: '600000',
        },
        {
          quantity: '1',
          unitPrice: '500000',
          discountPercent: '0',
          taxCategory: 'exempt',
          taxRate: '0',
          unitCost: '100000',
        },
      ],
      '5',
      'IDR',
    );
    // 2,700,000 + 500,000 = 3,200,000; header 5% = 160,000 shared 135,000 / 25,000.
    expect(q.subtotal).toBe('3200000');
    expect(q.headerDiscount).toBe('160000');
    expect(q.discountTotal).toBe('460000');
    expect(q.taxes).toEqual([
      { category: 'exempt', rate: '0', base: '475000', amount: '0' },
      { category: 'standard', rate: '11', base: '2565000', amount: '282150' },
    ]);
    expect(q.grandTotal).toBe('3322150');
    expect(q.costTotal).toBe('1900000');
    expect(q.margin).toBe('1140000');
    expect(q.marginPercent).toBe('37.50');
    expect(highestDiscount(['10', '0'], '5').toFixed()).toBe('10');
  });
});
