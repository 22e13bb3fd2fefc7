import { Money } from '#platform/currency/index.js';
import { withinWindow } from '../catalog-rules.js';
import {
  optionLabel,
  textIn,
  type ConfigurationModel,
  type Locale,
  type OptionRule,
  type ProductOption,
  type Selection,
} from './configuration-model.js';

export const VIOLATION_CODES = [
  'option_unknown',
  'option_other_product',
  'option_repeated',
  'option_inactive',
  'option_unavailable',
  'option_quantity',
  'group_required',
  'group_min',
  'group_max',
  'requires',
  'excludes',
  'only_with',
  'quantity_limit',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

/** One broken rule of a configuration, worded in the caller's language. */
export interface Violation {
  code: ViolationCode;
  /** The configuration rule broken, for `requires`, `excludes`, `only_with`, `quantity_limit`. */
  ruleId: string | null;
  /** The option group, for `group_*`. */
  groupId: string | null;
  optionIds: string[];
  message: string;
}

type Params = Record<string, string>;

const MESSAGES: Record<ViolationCode, Record<Locale, string>> = {
  option_unknown: {
    en: 'The option {option} does not exist.',
    id: 'Opsi {option} tidak ada.',
  },
  option_other_product: {
    en: 'The option {option} belongs to another product, not to {product}.',
    id: 'Opsi {option} milik produk lain, bukan {product}.',
  },
  option_repeated: {
    en: 'The option {option} is selected more than once; give one quantity instead.',
    id: 'Opsi {option} dipilih lebih dari sekali; berikan satu jumlah saja.',
  },
  option_inactive: {
    en: 'The option {option} is inactive and cannot be sold.',
    id: 'Opsi {option} tidak aktif dan tidak dapat dijual.',
  },
  option_unavailable: {
    en: 'The option {option} is not available on {date}.',
    id: 'Opsi {option} tidak tersedia pada {date}.',
  },
  option_quantity: {
    en: 'The option {option} takes a quantity from {min} to {max}; {quantity} was asked.',
    id: 'Opsi {option} menerima jumlah {min} sampai {max}; diminta {quantity}.',
  },
  group_required: {
    en: 'Choose at least {min} in "{group}".',
    id: 'Pilih sedikitnya {min} pada "{group}".',
  },
  group_min: {
    en: 'Choose at least {min} in "{group}"; {count} chosen.',
    id: 'Pilih sedikitnya {min} pada "{group}"; {count} dipilih.',
  },
  group_max: {
    en: 'Choose at most {max} in "{group}"; {count} chosen.',
    id: 'Pilih paling banyak {max} pada "{group}"; {count} dipilih.',
  },
  requires: {
    en: '{option} requires {targets}.',
    id: '{option} memerlukan {targets}.',
  },
  excludes: {
    en: '{option} cannot be combined with {targets}.',
    id: '{option} tidak dapat digabung dengan {targets}.',
  },
  only_with: {
    en: '{option} is sold only with one of {targets}.',
    id: '{option} hanya dijual bersama salah satu dari {targets}.',
  },
  quantity_limit: {
    en: 'The quantity of {targets} must be from {min} to {max}; it is {quantity}.',
    id: 'Jumlah {targets} harus {min} sampai {max}; saat ini {quantity}.',
  },
};

const fill = (template: string, params: Params) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);

/** The quantity asked for a selection, per unit of the configured product. */
export function selectedQuantity(selection: Selection, option: ProductOption | undefined): string {
  return selection.quantity ?? option?.minQuantity ?? '1';
}

/**
 * Every rule the selections break, in a stable order: each selection's own problems, then
 * the groups in their sort order, then the configuration rules. An empty list means the
 * configuration may be priced and sold on `day`.
 */
export function checkConfiguration(
  model: ConfigurationModel,
  selections: readonly Selection[],
  day: string,
  locale: Locale,
): Violation[] {
  const out: Violation[] = [];
  const add = (
    code: ViolationCode,
    optionIds: string[],
    params: Params,
    extra: { ruleId?: string; groupId?: string; custom?: OptionRule['message'] } = {},
  ) =>
    out.push({
      code,
      ruleId: extra.ruleId ?? null,
      groupId: extra.groupId ?? null,
      optionIds,
      message: textIn(extra.custom, locale) || fill(MESSAGES[code][locale], params),
    });
  const label = (id: string) => {
    const option = model.options.get(id);
    return option ? optionLabel(option, locale) : id;
  };
  const groups = new Map(model.groups.map((g) => [g.id, g]));
  const product = textIn(model.product.name, locale) || model.product.sku;

  const quantities = new Map<string, string>();
  for (const selection of selections) {
    const option = model.options.get(selection.optionId);
    const name = { option: label(selection.optionId) };
    if (!option) {
      add('option_unknown', [selection.optionId], name);
      continue;
    }
    if (option.productId !== model.product.id) {
      add('option_other_product', [option.id], { ...name, product });
      continue;
    }
    if (quantities.has(option.id)) {
      add('option_repeated', [option.id], name);
      continue;
    }
    const quantity = selectedQuantity(selection, option);
    quantities.set(option.id, quantity);
    const sub = option.optionProduct;
    if (!option.active || !groups.get(option.groupId)?.active || (sub && !sub.active))
      add('option_inactive', [option.id], name);
    else if (sub && !withinWindow(day, sub.availableFrom, sub.availableTo))
      add('option_unavailable', [option.id], { ...name, date: day });
    if (outside(quantity, option.minQuantity, option.maxQuantity))
      add('option_quantity', [option.id], {
        ...name,
        min: option.minQuantity,
        max: option.maxQuantity ?? '∞',
        quantity,
      });
  }

  for (const group of [...model.groups].sort((a, b) => a.sortOrder - b.sortOrder)) {
    if (!group.active) continue;
    const chosen = [...quantities.keys()].filter(
      (id) => model.options.get(id)?.groupId === group.id,
    );
    const params = {
      group: textIn(group.name, locale),
      min: String(Math.max(group.minChoices, 1)),
      max: String(group.maxChoices),
      count: String(chosen.length),
    };
    if (chosen.length === 0 && group.required)
      add('group_required', [], params, { groupId: group.id });
    else if (chosen.length > 0 && chosen.length < group.minChoices)
      add('group_min', chosen, { ...params, min: String(group.minChoices) }, { groupId: group.id });
    else if (group.maxChoices !== null && chosen.length > group.maxChoices)
      add('group_max', chosen, params, { groupId: group.id });
  }

  const names = (ids: string[]) => ids.map(label).join(', ');
  for (const rule of model.rules) {
    const extra = { ruleId: rule.id, custom: rule.message };
    const selected = quantities.has(rule.optionId);
    const option = label(rule.optionId);
    switch (rule.kind) {
      case 'requires': {
        const missing = rule.targetOptionIds.filter((id) => !quantities.has(id));
        if (selected && missing.length)
          add('requires', [rule.optionId, ...missing], { option, targets: names(missing) }, extra);
        break;
      }
      case 'excludes': {
        const present = rule.targetOptionIds.filter((id) => quantities.has(id));
        if (selected && present.length)
          add('excludes', [rule.optionId, ...present], { option, targets: names(present) }, extra);
        break;
      }
      case 'only-with': {
        const any = rule.targetOptionIds.some((id) => quantities.has(id));
        if (selected && !any)
          add(
            'only_with',
            [rule.optionId, ...rule.targetOptionIds],
            { option, targets: names(rule.targetOptionIds) },
            extra,
          );
        break;
      }
      case 'quantity-limit': {
        const ids = [rule.optionId, ...rule.targetOptionIds].filter((id) => quantities.has(id));
        if (ids.length === 0) break;
        const total = ids.reduce((sum, id) => sum.plus(quantities.get(id)!), new Money(0));
        if (outside(total.toString(), rule.minQuantity ?? '0', rule.maxQuantity))
          add(
            'quantity_limit',
            ids,
            {
              targets: names([rule.optionId, ...rule.targetOptionIds]),
              min: rule.minQuantity ?? '0',
              max: rule.maxQuantity ?? '∞',
              quantity: total.toString(),
            },
            extra,
          );
        break;
      }
    }
  }
  return out;
}

function outside(quantity: string, min: string, max: string | null): boolean {
  return new Money(quantity).lt(min) || (max !== null && new Money(quantity).gt(max));
}
