import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of customer analytics; `{name}` comes from the params. */
export const CUSTOMER_ANALYTICS_PROBLEMS_CATALOG = {
  analytics_contact_without_account: {
    status: 422,
    en: [
      'Contact has no account',
      'Purchases belong to accounts; the contact {id} has no account you may read, so it has no purchases to analyse.',
    ],
    id: [
      'Kontak tidak memiliki akun',
      'Pembelian tercatat pada akun; kontak {id} tidak memiliki akun yang dapat Anda baca, sehingga tidak ada pembelian untuk dianalisis.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    analytics_contact_without_account: true;
  }
}

export const CUSTOMER_ANALYTICS_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'customer-analytics', problems: CUSTOMER_ANALYTICS_PROBLEMS_CATALOG },
];
