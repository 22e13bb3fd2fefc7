import type { ProblemCatalog } from '#platform/http/index.js';

/** The problems of opportunities. Registered at boot by the application root; `{name}` comes from the params. */
export const OPPORTUNITY_PROBLEMS = {
  stage_transition_not_allowed: {
    status: 409,
    en: [
      'Stage change not allowed',
      'The opportunity is closed ({status}) in stage {from}; it can only be reopened to an open stage, not moved to {to}.',
    ],
    id: [
      'Perubahan tahap tidak diizinkan',
      'Peluang ini sudah ditutup ({status}) pada tahap {from}; peluang hanya dapat dibuka kembali ke tahap terbuka, bukan dipindahkan ke {to}.',
    ],
    extensions: {
      from: {
        type: 'string',
        maxLength: 100,
        example: 'closed_lost',
        description: 'Stage key the opportunity is in',
      },
      to: {
        type: 'string',
        maxLength: 100,
        example: 'negotiation',
        description: 'Stage key it was to move to',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    stage_transition_not_allowed: true;
  }
}
