import type { ProblemCatalog } from '#platform/http/index.js';

function converted(record: string) {
  return {
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: `The ${record} the lead became, when the conversion made one`,
  };
}

/** The problems of leads. Registered at boot by the application root; `{name}` comes from the params. */
export const LEAD_PROBLEMS = {
  lead_converted: {
    status: 409,
    en: [
      'Lead already converted',
      'The lead was converted at {convertedAt}; a converted lead cannot be changed or converted again.',
    ],
    id: [
      'Prospek sudah dikonversi',
      'Prospek ini dikonversi pada {convertedAt}; prospek yang sudah dikonversi tidak dapat diubah atau dikonversi lagi.',
    ],
    extensions: {
      convertedAccountId: converted('account'),
      convertedContactId: converted('contact'),
      convertedOpportunityId: converted('opportunity'),
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    lead_converted: true;
  }
}
