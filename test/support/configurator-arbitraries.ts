import fc from 'fast-check';
import type {
  Bundle,
  ConfigurationModel,
  OptionGroup,
  OptionRule,
  ProductOption,
  Selection,
} from '../../src/operational/catalog/configurator/configuration-model.js';

/** Random configurable products for the property tests of the rule and pricing functions. */

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
export const PRODUCT_ID = uuid(999_999);

const decimal = (max: number, digits: number) =>
  fc
    .tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max: 10 ** digits - 1 }))
    .map(([i, f]) => (digits ? `${i}.${String(f).padStart(digits, '0')}` : String(i)));

export const CURRENCIES = ['IDR', 'JPY', 'BHD', 'USD'] as const;

export const modelArb: fc.Arbitrary<ConfigurationModel> = fc
  .record({
    groups: fc.array(
      fc.record({
        min: fc.integer({ min: 0, max: 2 }),
        extra: fc.option(fc.integer({ min: 0, max: 3 })),
        required: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    options: fc.array(
      fc.record({
        group: fc.nat(),
        isProduct: fc.boolean(),
        amounts: fc.tuple(...CURRENCIES.map(() => decimal(5_000_000, 4))),
        max: fc.option(fc.integer({ min: 1, max: 5 })),
      }),
      { minLength: 2, maxLength: 12 },
    ),
    rules: fc.array(
      fc.record({
        kind: fc.constantFrom('requires', 'excludes', 'only-with', 'quantity-limit' as const),
        option: fc.nat(),
        targets: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        max: fc.integer({ min: 1, max: 6 }),
      }),
      { maxLength: 6 },
    ),
    bundles: fc.array(
      fc.record({
        options: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }),
        pct: decimal(100, 2),
      }),
      { maxLength: 3 },
    ),
  })
  .map((r) => {
    const groups: OptionGroup[] = r.groups.map((g, i) => ({
      id: uuid(100 + i),
      name: { en: `Group ${i}` },
      minChoices: g.min,
      maxChoices: g.extra === null ? null : Math.max(g.min, 1) + g.extra,
      required: g.required,
      sortOrder: i,
      active: true,
    }));
    const options: ProductOption[] = r.options.map((o, i) => ({
      id: uuid(1000 + i),
      groupId: groups[o.group % groups.length].id,
      productId: PRODUCT_ID,
      name: { en: `Option ${i}`, id: `Opsi ${i}` },
      optionProduct: o.isProduct
        ? {
            id: uuid(5000 + i),
            sku: `OPT-${i}`,
            name: { en: `Part ${i}` },
            active: true,
            availableFrom: null,
            availableTo: null,
          }
        : null,
      surcharges: o.isProduct
        ? []
        : CURRENCIES.map((currency, c) => ({ currency, amount: o.amounts[c] })),
      isDefault: false,
      minQuantity: '1',
      maxQuantity: o.max === null ? null : String(o.max),
      sortOrder: i,
      active: true,
    }));
    const pick = (n: number) => options[n % options.length].id;
    const rules: OptionRule[] = r.rules.map((x, i) => {
      const optionId = pick(x.option);
      return {
        id: uuid(3000 + i),
        kind: x.kind,
        optionId,
        targetOptionIds: [...new Set(x.targets.map(pick))].filter((t) => t !== optionId),
        minQuantity: null,
        maxQuantity: x.kind === 'quantity-limit' ? String(x.max) : null,
        message: null,
      };
    });
    const bundles: Bundle[] = r.bundles
      .map((b, i) => ({
        id: uuid(4000 + i),
        name: { en: `Bundle ${i}` },
        optionIds: [...new Set(b.options.map(pick))],
        discountPercent: b.pct,
      }))
      .filter((b) => b.optionIds.length >= 2);
    return {
      product: {
        id: PRODUCT_ID,
        sku: 'BASE',
        name: { en: 'Base' },
        active: true,
        availableFrom: null,
        availableTo: null,
      },
      groups,
      options: new Map(options.map((o) => [o.id, o])),
      rules,
      bundles,
    };
  });

/** A set of distinct options of the model, with quantities. */
export function selectionsOf(model: ConfigurationModel): fc.Arbitrary<Selection[]> {
  const ids = [...model.options.keys()];
  return fc
    .subarray(ids)
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((optionId) =>
          fc.record({
            optionId: fc.constant(optionId),
            quantity: fc.constantFrom('1', '2', '3', '0.5'),
          }),
        ),
      ),
    )
    .map((s) => [...s]);
}

/** A deterministic book price per product from a seed, with volume tiers from 10 units on. */
export const unitPriceArb = decimal(20_000_000, 4);
