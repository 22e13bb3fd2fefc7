import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of data-subject requests; `{name}` comes from the params. */
export const PRIVACY_PROBLEMS_CATALOG = {
  subject_already_erased: {
    status: 409,
    en: [
      'Personal data already erased',
      "This contact's personal data was erased on {erasedAt}; there is nothing left to erase.",
    ],
    id: [
      'Data pribadi sudah dihapus',
      'Data pribadi kontak ini sudah dihapus pada {erasedAt}; tidak ada lagi yang dapat dihapus.',
    ],
    extensions: {
      erasedAt: {
        type: 'string',
        format: 'date-time',
        maxLength: 40,
        description: 'When the earlier erasure was carried out',
      },
    },
  },
} satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    subject_already_erased: true;
  }
}

export const PRIVACY_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'privacy', problems: PRIVACY_PROBLEMS_CATALOG },
];
