import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the call centre; `{name}` comes from the params. */
export const CALL_PROBLEMS_CATALOG = {
  call_number_invalid: {
    status: 422,
    en: [
      'Invalid phone number',
      '{field} "{number}" is not a valid phone number (read as {country} when it has no +).',
    ],
    id: [
      'Nomor telepon tidak valid',
      '{field} "{number}" bukan nomor telepon yang valid (dibaca sebagai {country} bila tanpa +).',
    ],
    extensions: {
      field: {
        type: 'string',
        maxLength: 50,
        example: 'fromNumber',
        description: 'The field holding the number',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    call_number_invalid: true;
  }
}

export const CALL_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'calls', problems: CALL_PROBLEMS_CATALOG },
];
