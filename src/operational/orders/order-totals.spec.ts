import fc from 'fast-check';
import { Money } from '#platform/currency/money-math.js';
import { lineNet, orderTotals, type PricedLine } from './order-totals.js';

const decimal = (max: number, places: number) =>
  fc
    .integer({ min: 0, max: max * 10 ** places })
    .map((n) => new Money(n).dividedBy(10 ** places).toFixed(places));

const line: fc.Arbitrary<PricedLine> = fc.record({
  quantity: decimal(1000, 3).filter((q) => new Money(q).gt(0)),
  unitPrice: decimal(10_000_000, 2),
  discountPercent: decimal(100, 2),
  taxCategory: fc.constantFrom('standard', 'exempt', 'luxury'),
  taxRate: fc.constantFrom('11', '0', '12.5'),
});
const currency = fc.constantFrom('IDR', 'USD', 'JPY', 'BHD');
const places = { IDR: 0, USD: 2, JPY: 0, BHD: 3 } as Record<string, number>;
const decimals = (s: string) => (s.split('.')[1] ?? '').length;

describe('order totals', () => {
  it('rounds every figure to the currency minor unit', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), currency, (lines, cur) => {
        const t = orderTotals(lines, cur);
        for (const v of [...t.lineNets, t.subtotal, t.taxTotal, t.total])
          expect(decimals(v)).toBe(places[cur]);
        for (const tax of t.taxes) expect(decimals(tax.tax)).toBe(places[cur]);
      }),
    );
  });

  it('adds up: subtotal is the sum of the lines, taxes sum to the tax total, total = subtotal + tax', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), currency, (lines, cur) => {
        const t = orderTotals(lines, cur);
        const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Money(0));
        expect(sum(t.lineNets).eq(t.subtotal)).toBe(true);
        expect(sum(t.taxes.map((x) => x.base)).eq(t.subtotal)).toBe(true);
        expect(sum(t.taxes.map((x) => x.tax)).eq(t.taxTotal)).toBe(true);
        expect(new Money(t.subtotal).plus(t.taxTotal).eq(t.total)).toBe(true);
      }),
    );
  });

  it('keeps each category tax within half a minor unit of the exact tax of its base', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), currency, (lines, cur) => {
        const half = new Money(10).pow(-places[cur]).dividedBy(2);
        for (const tax of orderTotals(lines, cur).taxes) {
          const exact = new Money(tax.base).times(tax.rate).dividedBy(100);
          expect(exact.minus(tax.tax).abs().lte(half)).toBe(true);
        }
      }),
    );
  });

  it('brings everything to zero when every line is credited back in full', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), currency, (lines, cur) => {
        const credits = lines.map((l) => ({
          ...l,
          quantity: new Money(l.quantity).neg().toString(),
        }));
        const t = orderTotals([...lines, ...credits], cur);
        expect(new Money(t.total).isZero()).toBe(true);
        expect(new Money(t.taxTotal).isZero()).toBe(true);
        for (const [i, l] of lines.entries())
          expect(new Money(lineNet(credits[i], cur)).eq(new Money(lineNet(l, cur)).neg())).toBe(
            true,
          );
      }),
    );
  });

  it('groups taxes by category and rate, in a stable order', () => {
    const t = orderTotals(
      [
        {
          quantity: '2',
          unitPrice: '100.005',
          discountPercent: '0',
          taxCategory: 'standard',
          taxRate: '11',
        },
        {
          quantity: '1',
          unitPrice: '50',
          discountPercent: '10',
          taxCategory: 'exempt',
          taxRate: '0',
        },
        {
          quantity: '3',
          unitPrice: '0.10',
          discountPercent: '0',
          taxCategory: 'standard',
          taxRate: '11',
        },
      ],
      'USD',
    );
    expect(t).toEqual({
      lineNets: ['200.01', '45.00', '0.30'],
      subtotal: '245.31',
      taxes: [
        { category: 'exempt', rate: '0', base: '45.00', tax: '0.00' },
        { category: 'standard', rate: '11', base: '200.31', tax: '22.03' },
      ],
      taxTotal: '22.03',
      total: '267.34',
    });
  });
});
