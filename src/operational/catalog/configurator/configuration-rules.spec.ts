import fc from 'fast-check';
import type { ConfigurationModel, OptionRule, Selection } from './configuration-model.js';
import { checkConfiguration, type Violation } from './configuration-rules.js';
import { modelArb, selectionsOf } from '../../../../test/support/configurator-arbitraries.js';

const DAY = '2026-05-04';
const key = (v: Violation) =>
  `${v.code}|${v.ruleId}|${v.groupId}|${[...v.optionIds].sort().join()}`;
const withRule = (model: ConfigurationModel, rule: OptionRule): ConfigurationModel => ({
  ...model,
  rules: [...model.rules, rule],
});

const modelAndSelections = modelArb.chain((model) =>
  fc.tuple(fc.constant(model), selectionsOf(model)),
);

describe('checkConfiguration', () => {
  it('always reports a broken excludes rule, whatever else is chosen', () => {
    fc.assert(
      fc.property(modelAndSelections, fc.nat(), fc.nat(), ([model, selections], a, b) => {
        const ids = [...model.options.keys()];
        const option = ids[a % ids.length];
        const excluded = ids[(a + 1 + (b % (ids.length - 1))) % ids.length];
        const rule: OptionRule = {
          id: '00000000-0000-7000-8000-00000000e0e0',
          kind: 'excludes',
          optionId: option,
          targetOptionIds: [excluded],
          minQuantity: null,
          maxQuantity: null,
          message: null,
        };
        const chosen = [
          ...selections.filter((s) => s.optionId !== option && s.optionId !== excluded),
          { optionId: option },
          { optionId: excluded },
        ];
        const violations = checkConfiguration(withRule(model, rule), chosen, DAY, 'en');
        return violations.some(
          (v) => v.code === 'excludes' && v.ruleId === rule.id && v.optionIds.includes(excluded),
        );
      }),
    );
  });

  it('reports a requires rule exactly when one of its targets is missing', () => {
    fc.assert(
      fc.property(modelAndSelections, fc.nat(), ([model, selections], a) => {
        const ids = [...model.options.keys()];
        const option = ids[a % ids.length];
        const target = ids[(a + 1) % ids.length];
        const rule: OptionRule = {
          id: '00000000-0000-7000-8000-00000000f0f0',
          kind: 'requires',
          optionId: option,
          targetOptionIds: [target],
          minQuantity: null,
          maxQuantity: null,
          message: { id: 'Perlu target' },
        };
        const chosen = selections.map((s) => s.optionId);
        const broken = chosen.includes(option) && !chosen.includes(target);
        const found = checkConfiguration(withRule(model, rule), selections, DAY, 'id').filter(
          (v) => v.ruleId === rule.id,
        );
        return broken
          ? found.length === 1 && found[0].message === 'Perlu target'
          : found.length === 0;
      }),
    );
  });

  it('does not depend on the order of the selections', () => {
    fc.assert(
      fc.property(modelAndSelections, fc.func(fc.integer()), ([model, selections], order) => {
        const shuffled = [...selections].sort((x, y) => order(x.optionId) - order(y.optionId));
        const a = checkConfiguration(model, selections, DAY, 'en').map(key).sort();
        const b = checkConfiguration(model, shuffled, DAY, 'en').map(key).sort();
        return JSON.stringify(a) === JSON.stringify(b);
      }),
    );
  });

  it('reports more choices than a group allows, and a required group left empty', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const violations = checkConfiguration(model, [], DAY, 'en');
        const required = model.groups.filter((g) => g.required).map((g) => g.id);
        const reported = violations.filter((v) => v.code === 'group_required');
        if (reported.map((v) => v.groupId).join() !== required.join()) return false;
        for (const group of model.groups) {
          if (group.maxChoices === null) continue;
          const inGroup = [...model.options.values()].filter((o) => o.groupId === group.id);
          if (inGroup.length <= group.maxChoices) continue;
          const all: Selection[] = inGroup.map((o) => ({ optionId: o.id }));
          const found = checkConfiguration(model, all, DAY, 'en');
          if (!found.some((v) => v.code === 'group_max' && v.groupId === group.id)) return false;
        }
        return true;
      }),
    );
  });

  it('reports options that are unknown, of another product, repeated, inactive or unavailable', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const [first, second] = [...model.options.values()];
        const foreign = { ...second, id: '00000000-0000-7000-8000-0000000f0000', productId: 'x' };
        const unavailable = first.optionProduct
          ? { ...first, optionProduct: { ...first.optionProduct, availableTo: '2026-01-01' } }
          : { ...first, active: false };
        const options = new Map(model.options);
        options.set(foreign.id, foreign);
        options.set(first.id, unavailable);
        const violations = checkConfiguration(
          { ...model, options },
          [
            { optionId: '00000000-0000-7000-8000-00000000dead' },
            { optionId: foreign.id },
            { optionId: first.id },
            { optionId: first.id },
          ],
          DAY,
          'en',
        );
        const codes = violations.map((v) => v.code);
        return (
          codes.includes('option_unknown') &&
          codes.includes('option_other_product') &&
          codes.includes('option_repeated') &&
          codes.includes(first.optionProduct ? 'option_unavailable' : 'option_inactive')
        );
      }),
    );
  });

  it('checks a quantity limit over the summed quantity of its options', () => {
    fc.assert(
      fc.property(modelArb, fc.integer({ min: 1, max: 5 }), (model, max) => {
        const [a, b] = [...model.options.keys()];
        const rule: OptionRule = {
          id: '00000000-0000-7000-8000-00000000aaaa',
          kind: 'quantity-limit',
          optionId: a,
          targetOptionIds: [b],
          minQuantity: null,
          maxQuantity: String(max),
          message: null,
        };
        const at = (qa: number, qb: number) =>
          checkConfiguration(
            withRule(model, rule),
            [
              { optionId: a, quantity: String(qa) },
              { optionId: b, quantity: String(qb) },
            ],
            DAY,
            'en',
          ).some((v) => v.code === 'quantity_limit' && v.ruleId === rule.id);
        return !at(max - 0.5, 0.5) && at(max, 0.5);
      }),
    );
  });
});
