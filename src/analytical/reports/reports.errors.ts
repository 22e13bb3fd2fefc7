import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of reports; `{name}` comes from the params. */
export const REPORT_PROBLEMS_CATALOG = {
  report_owner_inactive: {
    status: 409,
    en: ['Owner cannot run it', 'The report runs as its owner, who is no longer an active user.'],
    id: [
      'Pemilik tidak dapat menjalankannya',
      'Laporan dijalankan sebagai pemiliknya, yang tidak lagi menjadi pengguna aktif.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    report_owner_inactive: true;
  }
}

export const REPORT_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'reports', problems: REPORT_PROBLEMS_CATALOG },
];
