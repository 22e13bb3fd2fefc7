import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of segments; `{name}` comes from the params. */
export const SEGMENT_PROBLEMS_CATALOG = {
  segment_rule_invalid: {
    status: 422,
    en: [
      'Segment rule not valid',
      'The rule has {count} problem(s); the first is at {pointer}: {message}.',
    ],
    id: [
      'Aturan segmen tidak valid',
      'Aturan memiliki {count} masalah; yang pertama di {pointer}: {message}.',
    ],
    extensions: {
      pointer: {
        type: 'string',
        maxLength: 1000,
        example: '/rules/all/1/field',
        description: 'JSON pointer (RFC 6901) of the first bad node, from the request body',
      },
    },
  },
  segment_cycle: {
    status: 422,
    en: ['Segments refer to each other', 'The segments would contain themselves: {chain}.'],
    id: ['Segmen saling merujuk', 'Segmen akan memuat dirinya sendiri: {chain}.'],
    extensions: {
      cycle: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', format: 'uuid', maxLength: 36 },
        description: 'Ids of the segments on the cycle, the first repeated at the end',
      },
    },
  },
  segment_not_static: {
    status: 409,
    en: [
      'Segment members are computed',
      'The segment is {type}: its members follow from its definition; only a static segment takes contacts by hand.',
    ],
    id: [
      'Anggota segmen dihitung',
      'Segmen ini bertipe {type}: anggotanya mengikuti definisinya; hanya segmen statis yang menerima kontak secara manual.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    segment_rule_invalid: true;
    segment_cycle: true;
    segment_not_static: true;
  }
}

export const SEGMENT_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'segments', problems: SEGMENT_PROBLEMS_CATALOG },
];
