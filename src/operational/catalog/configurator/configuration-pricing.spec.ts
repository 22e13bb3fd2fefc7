import fc from 'fast-check';
import { minorUnitDigits, Money } from '#platform/currency/money-math.js';
import type { ConfigurationModel } from './configuration-model.js';
import {
  chooseDiscount,
  priceConfiguration,
  type BookPriceOf,
  type SegmentDiscount,
} from './configuration-pricing.js';
import {
  CURRENCIES,
  modelArb,
  PRODUCT_ID,
  selectionsOf,
  unitPriceArb,
} from '../../../../test/support/configurator-arbitraries.js';

const DAY = '2026-05-04';

/** Prices per product from a seed list, with a cheaper tier from 10 units on. */
function booksFrom(prices: string[]): BookPriceOf {
  return (productId, quantity) => {
    const n = Number(productId.slice(-6)) % prices.length;
    const tier = new Money(quantity).gte(10);
    return {
      unitPrice: tier ? new Money(prices[n]).times(0.9).toFixed(4) : prices[n],
      minQuantity: tier ? '10' : '1',
      priceBookId: 'b',
      entryId: `e${n}`,
    };
  };
}

const discountArb: fc.Arbitrary<SegmentDiscount | null> = fc.option(
  fc.integer({ min: 0, max: 10000 }).map((bp) => ({
    id: 'd',
    name: 'Gold',
    productId: null,
    accountType: null,
    industry: null,
    tier: 'gold',
    discountPercent: (bp / 100).toFixed(2),
    validFrom: null,
    validTo: null,
  })),
);

const input = modelArb.chain((model) =>
  fc.record({
    model: fc.constant(model),
    selections: selectionsOf(model),
    prices: fc.array(unitPriceArb, { minLength: 1, maxLength: 8 }),
    currency: fc.constantFrom(...CURRENCIES),
    quantity: fc.constantFrom('1', '3', '7.5', '12', '250'),
    discount: discountArb,
  }),
);

const price = (i: {
  model: ConfigurationModel;
  selections: { optionId: string; quantity?: string }[];
  prices: string[];
  currency: string;
  quantity: string;
  discount: SegmentDiscount | null;
}) =>
  priceConfiguration(
    i.model,
    { currency: i.currency, quantity: i.quantity, selections: i.selections, date: DAY },
    booksFrom(i.prices),
    i.discount,
    'en',
  );

describe('priceConfiguration', () => {
  it('totals exactly the sum of its lines, each rounded to the minor unit', () => {
    fc.assert(
      fc.property(input, (i) => {
        const priced = price(i);
        const digits = minorUnitDigits(i.currency);
        const shape = new RegExp(digits ? `^-?\\d+\\.\\d{${digits}}$` : '^-?\\d+$');
        const sum = priced.lines.reduce((s, l) => s.plus(l.amount.amount), new Money(0));
        return (
          priced.lines.every(
            (l) => shape.test(l.amount.amount) && l.amount.currency === i.currency,
          ) &&
          sum.eq(priced.total.amount) &&
          new Money(priced.subtotal.amount)
            .plus(priced.discountTotal.amount)
            .eq(priced.total.amount)
        );
      }),
    );
  });

  it('is never off by a minor unit per line from the exact computation', () => {
    fc.assert(
      fc.property(input, (i) => {
        const priced = price(i);
        const half = new Money(10).pow(-minorUnitDigits(i.currency)).div(2);
        return priced.lines
          .filter((l) => l.unitPrice)
          .every((l) =>
            new Money(l.unitPrice!.amount)
              .times(l.quantity!)
              .minus(l.amount.amount)
              .abs()
              .lte(half),
          );
      }),
    );
  });

  it('prices one line per selection and the base product first, never below zero', () => {
    fc.assert(
      fc.property(input, (i) => {
        const priced = price(i);
        const items = priced.lines.filter((l) => !l.kind.endsWith('discount'));
        return (
          items.length === i.selections.length + 1 &&
          items[0].kind === 'product' &&
          items[0].refId === PRODUCT_ID &&
          new Money(priced.total.amount).gte(0) &&
          new Money(priced.discountTotal.amount).lte(0)
        );
      }),
    );
  });

  it('takes the volume tier the line quantity reaches', () => {
    fc.assert(
      fc.property(input, (i) => {
        const priced = price(i);
        return priced.lines
          .filter((l) => l.tierMinQuantity !== null)
          .every((l) =>
            new Money(l.quantity!).gte(10) ? l.tierMinQuantity === '10' : l.tierMinQuantity === '1',
          );
      }),
    );
  });

  it('discounts each option in one bundle at most', () => {
    fc.assert(
      fc.property(input, (i) => {
        const priced = price(i);
        const applied = priced.lines
          .filter((l) => l.kind === 'bundle-discount')
          .flatMap((l) => i.model.bundles.find((b) => b.id === l.refId)!.optionIds);
        const chosen = new Set(i.selections.map((s) => s.optionId));
        return new Set(applied).size === applied.length && applied.every((id) => chosen.has(id));
      }),
    );
  });
});

describe('chooseDiscount', () => {
  const base: SegmentDiscount = {
    id: 'a',
    name: 'All',
    productId: null,
    accountType: null,
    industry: null,
    tier: null,
    discountPercent: '1',
    validFrom: null,
    validTo: null,
  };
  it('prefers the most specific discount the account matches, within its days', () => {
    const gold = { ...base, id: 'g', tier: 'gold' };
    const goldPartner = { ...base, id: 'gp', tier: 'gold', accountType: 'partner' };
    const expired = { ...base, id: 'x', tier: 'gold', industry: 'retail', validTo: '2026-01-01' };
    const all = [base, gold, goldPartner, expired];
    const segment = { accountType: 'partner', industry: 'retail', tier: 'gold' };
    expect(chooseDiscount(all, PRODUCT_ID, DAY, segment)?.id).toBe('gp');
    expect(chooseDiscount(all, PRODUCT_ID, DAY, { ...segment, accountType: 'customer' })?.id).toBe(
      'g',
    );
    expect(chooseDiscount(all, PRODUCT_ID, DAY, null)?.id).toBe('a');
    expect(chooseDiscount([gold], PRODUCT_ID, DAY, null)).toBeNull();
  });
});
