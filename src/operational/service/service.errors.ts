import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the service desk; `{name}` comes from the params. */
export const SERVICE_PROBLEMS_CATALOG = {
  case_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'A case in status {from} cannot move to {to}; it can move to: {allowed}.',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Kasus berstatus {from} tidak dapat berpindah ke {to}; status berikutnya yang diizinkan: {allowed}.',
    ],
    extensions: {
      allowed: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string', maxLength: 20, example: 'open' },
        description: 'Statuses the case may move to from where it is',
      },
    },
  },
  case_closed: {
    status: 409,
    en: ['Case closed', 'The case {number} is closed; it takes no more comments.'],
    id: ['Kasus ditutup', 'Kasus {number} sudah ditutup; tidak dapat diberi komentar lagi.'],
  },
  case_attachment_too_large: {
    status: 413,
    en: ['Attachment too large', 'An attachment may be at most {limit} bytes.'],
    id: ['Lampiran terlalu besar', 'Lampiran paling besar {limit} byte.'],
  },
  case_attachment_type_forbidden: {
    status: 415,
    en: ['Attachment type not allowed', 'The file is {mediaType}; allowed are: {allowed}.'],
    id: [
      'Jenis lampiran tidak diizinkan',
      'Berkas berjenis {mediaType}; yang diizinkan: {allowed}.',
    ],
    extensions: {
      mediaType: {
        type: 'string',
        maxLength: 100,
        example: 'application/x-msdownload',
        description: 'The type sniffed from the content',
      },
    },
  },
  queue_not_member: {
    status: 403,
    en: ['Not a member of the queue', 'Only members of the queue take cases from it.'],
    id: ['Bukan anggota antrean', 'Hanya anggota antrean yang dapat mengambil kasus darinya.'],
  },
  inbound_email_malformed: {
    status: 422,
    en: ['Malformed e-mail', 'The message cannot become a case: {reason}.'],
    id: ['E-mail rusak', 'Pesan tidak dapat menjadi kasus: {reasonId}.'],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    case_status_transition: true;
    case_closed: true;
    case_attachment_too_large: true;
    case_attachment_type_forbidden: true;
    queue_not_member: true;
    inbound_email_malformed: true;
  }
}

export const SERVICE_CASES_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'service', problems: SERVICE_PROBLEMS_CATALOG },
];
