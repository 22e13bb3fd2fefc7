import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of quotes and their lines; `{name}` comes from the params. */
export const QUOTE_PROBLEMS_CATALOG = {
  quote_not_editable: {
    status: 409,
    en: [
      'Quote not editable',
      'The quote {number} is {status}; only a draft changes. Revise it (POST /quotes/{id}/revise) to make a new draft version.',
    ],
    id: [
      'Penawaran tidak dapat diubah',
      'Penawaran {number} berstatus {status}; hanya draf yang dapat diubah. Revisi (POST /quotes/{id}/revise) untuk membuat versi draf baru.',
    ],
    extensions: {
      quoteStatus: {
        type: 'string',
        maxLength: 20,
        example: 'sent',
        description: 'Status the quote is in',
      },
    },
  },
  quote_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'The quote {number} is {status}; it cannot be {action} (allowed from: {allowed}).',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Penawaran {number} berstatus {status}; penawaran tidak dapat di-{action} (hanya dari: {allowed}).',
    ],
    extensions: {
      quoteStatus: {
        type: 'string',
        maxLength: 20,
        example: 'draft',
        description: 'Status the quote is in',
      },
      action: {
        type: 'string',
        maxLength: 20,
        example: 'send',
        description: 'The step that was asked for',
      },
      allowedFrom: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string', maxLength: 20, example: 'approved' },
        description: 'Statuses the step may be taken from',
      },
    },
  },
  quote_has_no_lines: {
    status: 422,
    en: ['Quote has no lines', 'The quote {number} has no lines; add a line before submitting it.'],
    id: [
      'Penawaran tanpa baris',
      'Penawaran {number} belum memiliki baris; tambahkan baris sebelum mengajukannya.',
    ],
  },
  quote_validity_passed: {
    status: 422,
    en: [
      'Quote no longer valid',
      'The quote {number} was valid until {validUntil}; revise it with a new validity first.',
    ],
    id: [
      'Penawaran sudah tidak berlaku',
      'Penawaran {number} berlaku sampai {validUntil}; revisi dengan masa berlaku baru terlebih dahulu.',
    ],
  },
  quote_approval_forbidden: {
    status: 403,
    en: ['Not an approver', 'Your role {role} may not approve quotes; approvers are: {approvers}.'],
    id: [
      'Bukan penyetuju',
      'Peran Anda {role} tidak boleh menyetujui penawaran; penyetuju: {approvers}.',
    ],
  },
  quote_currency_mismatch: {
    status: 422,
    en: [
      'Currency differs from the quote',
      'The quote is in {quoteCurrency}; {field} in {currency} cannot be used on it.',
    ],
    id: [
      'Mata uang berbeda dengan penawaran',
      'Penawaran ini dalam {quoteCurrency}; {field} dalam {currency} tidak dapat dipakai.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    quote_not_editable: true;
    quote_status_transition: true;
    quote_has_no_lines: true;
    quote_validity_passed: true;
    quote_approval_forbidden: true;
    quote_currency_mismatch: true;
  }
}

export const QUOTE_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'quotes', problems: QUOTE_PROBLEMS_CATALOG },
];
