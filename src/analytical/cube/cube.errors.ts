import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the cube API; `{name}` comes from the params. */
export const CUBE_PROBLEMS_CATALOG = {
  cube_result_too_large: {
    status: 422,
    en: [
      'Result too large',
      'The query gives more than {limit} rows; filter it, drop a dimension or raise `limit` (at most {max}).',
    ],
    id: [
      'Hasil terlalu besar',
      'Kueri menghasilkan lebih dari {limit} baris; saring, kurangi dimensi, atau naikkan `limit` (maksimal {max}).',
    ],
  },
  cube_field_hidden: {
    status: 403,
    en: [
      'Field hidden from your role',
      'The query is made of {fields}, which your role may not see; leave those measures, dimensions and filters out.',
    ],
    id: [
      'Field tersembunyi bagi peran Anda',
      'Kueri memakai {fields}, yang tidak boleh dilihat peran Anda; hapus ukuran, dimensi, dan filter tersebut.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    cube_result_too_large: true;
    cube_field_hidden: true;
  }
}

export const CUBE_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'cube', problems: CUBE_PROBLEMS_CATALOG },
];
