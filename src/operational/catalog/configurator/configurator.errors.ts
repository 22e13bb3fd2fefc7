import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the product configurator; `{name}` comes from the params. */
export const CONFIGURATOR_PROBLEMS_CATALOG = {
  configuration_invalid: {
    status: 422,
    en: [
      'Configuration breaks its rules',
      'The configuration of {sku} breaks {count} rule(s); see `violations`.',
    ],
    id: [
      'Konfigurasi melanggar aturannya',
      'Konfigurasi {sku} melanggar {count} aturan; lihat `violations`.',
    ],
    extensions: {
      violations: {
        type: 'array',
        maxItems: 1000,
        items: { $ref: '#/components/schemas/ViolationDto' },
        description: 'Every rule the configuration breaks',
      },
    },
  },
  option_surcharge_missing: {
    status: 422,
    en: [
      'No surcharge in the currency',
      'The option {option} has no surcharge in {currency}; surcharges are never converted from another currency.',
    ],
    id: [
      'Biaya tambahan tidak ada dalam mata uang ini',
      'Opsi {option} tidak memiliki biaya tambahan dalam {currency}; biaya tambahan tidak pernah dikonversi dari mata uang lain.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    configuration_invalid: true;
    option_surcharge_missing: true;
  }
}

export const CONFIGURATOR_PROBLEMS: ModuleProblems = {
  module: 'configurator',
  problems: CONFIGURATOR_PROBLEMS_CATALOG,
};
