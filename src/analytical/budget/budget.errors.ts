import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the budget planner; `{name}` comes from the params. */
export const BUDGET_PROBLEMS_CATALOG = {
  budget_plan_infeasible: {
    status: 422,
    en: [
      'No plan meets the constraints',
      'These constraints cannot all hold together: {constraints}.',
    ],
    id: [
      'Tidak ada rencana yang memenuhi batasan',
      'Batasan berikut tidak dapat dipenuhi bersamaan: {constraints}.',
    ],
    extensions: {
      conflictingConstraints: {
        type: 'array',
        maxItems: 200,
        items: { type: 'string', maxLength: 200 },
        example: ['totalBudget', 'segments[gold].minimumSpend'],
        description: 'A smallest set of constraints that conflict: drop or relax one of them',
      },
    },
  },
  budget_history_too_thin: {
    status: 422,
    en: [
      'Too little campaign history',
      'These candidates have fewer than {minimum} campaign members to measure rates from: {candidates}. Give their rates, or widen the history.',
    ],
    id: [
      'Riwayat kampanye terlalu sedikit',
      'Kandidat berikut memiliki kurang dari {minimum} anggota kampanye untuk mengukur tingkat: {candidates}. Berikan tingkatnya, atau perluas riwayat.',
    ],
    extensions: {
      thinCandidates: {
        type: 'array',
        maxItems: 2000,
        items: {
          type: 'object',
          properties: {
            candidate: { type: 'string', maxLength: 30, example: 'candidates[0]' },
            segment: { type: 'string', maxLength: 100, example: 'champions' },
            channel: { type: 'string', maxLength: 100, example: 'email' },
            contacts: { type: 'integer', minimum: 0, maximum: 2147483647, example: 12 },
          },
        },
        description: 'Each candidate whose history is too thin, with the members found',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    budget_plan_infeasible: true;
    budget_history_too_thin: true;
  }
}

export const BUDGET_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'budget', problems: BUDGET_PROBLEMS_CATALOG },
];
