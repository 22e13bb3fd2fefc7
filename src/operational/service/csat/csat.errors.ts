import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of satisfaction surveys; `{name}` comes from the params. */
export const CSAT_PROBLEMS_CATALOG = {
  csat_link_invalid: {
    status: 404,
    en: ['Survey not found', 'The survey link is not valid.'],
    id: ['Survei tidak ditemukan', 'Tautan survei tidak valid.'],
  },
  csat_link_expired: {
    status: 410,
    en: ['Survey closed', 'The survey could be answered until {expiredAt}.'],
    id: ['Survei ditutup', 'Survei dapat dijawab sampai {expiredAt}.'],
  },
  csat_already_answered: {
    status: 409,
    en: ['Survey already answered', 'The survey was answered already; thank you.'],
    id: ['Survei sudah dijawab', 'Survei sudah dijawab; terima kasih.'],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    csat_link_invalid: true;
    csat_link_expired: true;
    csat_already_answered: true;
  }
}

export const CSAT_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'csat', problems: CSAT_PROBLEMS_CATALOG },
];
