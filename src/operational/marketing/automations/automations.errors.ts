import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of automations; `{pointer}` is a JSON pointer into the request body. */
export const AUTOMATION_PROBLEMS_CATALOG = {
  automation_invalid: {
    status: 422,
    en: ['Automation definition is not valid', 'At {pointer}: {message}'],
    id: ['Definisi otomasi tidak valid', 'Pada {pointer}: {message}'],
    extensions: {
      pointer: {
        type: 'string',
        maxLength: 200,
        example: '/steps/2/then',
        description: 'Where in the definition the problem is',
      },
    },
  },
  automation_status_transition: {
    status: 409,
    en: ['Status change not allowed', 'An automation that is {from} cannot be {action}.'],
    id: ['Perubahan status tidak diizinkan', 'Otomasi berstatus {from} tidak dapat di-{action}.'],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    automation_invalid: true;
    automation_status_transition: true;
  }
}

export const AUTOMATION_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'automations', problems: AUTOMATION_PROBLEMS_CATALOG },
];
