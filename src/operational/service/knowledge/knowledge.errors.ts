import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the knowledge base; `{name}` comes from the params. */
export const KNOWLEDGE_PROBLEMS_CATALOG = {
  knowledge_article_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'An article in status {from} cannot move to {to}; it can move to: {allowed}.',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Artikel berstatus {from} tidak dapat berpindah ke {to}; status berikutnya yang diizinkan: {allowed}.',
    ],
    extensions: {
      allowed: {
        type: 'array',
        maxItems: 4,
        items: { type: 'string', maxLength: 20, example: 'review' },
        description: 'Statuses the article may move to from where it is',
      },
    },
  },
  knowledge_slug_taken: {
    status: 409,
    en: ['Slug taken', 'Another article has the slug {slug} already.'],
    id: ['Slug sudah dipakai', 'Artikel lain sudah memakai slug {slug}.'],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    knowledge_article_status_transition: true;
    knowledge_slug_taken: true;
  }
}

export const KNOWLEDGE_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'knowledge', problems: KNOWLEDGE_PROBLEMS_CATALOG },
];
