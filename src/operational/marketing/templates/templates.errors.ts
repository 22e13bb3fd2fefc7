import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of message templates besides `template_invalid` (declared with marketing's). */
export const TEMPLATE_PROBLEMS_CATALOG = {
  template_test_send_failed: {
    status: 502,
    en: ['Test mail not accepted', 'The SMTP server did not take the test mail: {reason}'],
    id: ['E-mail uji tidak diterima', 'Server SMTP tidak menerima e-mail uji: {reason}'],
  },
  template_not_email: {
    status: 409,
    en: [
      'Not an e-mail template',
      'A test mail needs an e-mail template; this one is for {channel}.',
    ],
    id: [
      'Bukan templat e-mail',
      'E-mail uji memerlukan templat e-mail; templat ini untuk {channel}.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    template_test_send_failed: true;
    template_not_email: true;
  }
}

export const TEMPLATE_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'message-templates', problems: TEMPLATE_PROBLEMS_CATALOG },
];
