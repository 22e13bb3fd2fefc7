import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the customer portal; `{name}` comes from the params. */
export const PORTAL_PROBLEMS_CATALOG = {
  portal_invitation_invalid: {
    status: 404,
    en: ['Invitation not found', 'The invitation link is not valid.'],
    id: ['Undangan tidak ditemukan', 'Tautan undangan tidak valid.'],
  },
  portal_invitation_expired: {
    status: 410,
    en: ['Invitation expired', 'The invitation expired at {expiredAt}; ask for a new one.'],
    id: ['Undangan kedaluwarsa', 'Undangan kedaluwarsa pada {expiredAt}; mintalah yang baru.'],
  },
  portal_invitation_used: {
    status: 410,
    en: ['Invitation already used', 'The invitation was used already; log in instead.'],
    id: ['Undangan sudah dipakai', 'Undangan sudah dipakai; silakan masuk.'],
  },
  portal_contact_without_email: {
    status: 422,
    en: ['Contact has no e-mail', 'The contact needs an e-mail address to be invited.'],
    id: ['Kontak tanpa e-mail', 'Kontak memerlukan alamat e-mail untuk diundang.'],
  },
  portal_access_exists: {
    status: 409,
    en: ['Portal access exists', 'The contact already uses the portal.'],
    id: ['Akses portal sudah ada', 'Kontak sudah menggunakan portal.'],
  },
  portal_email_taken: {
    status: 409,
    en: ['E-mail in use', 'Another contact uses the portal with this e-mail address.'],
    id: ['E-mail sudah dipakai', 'Kontak lain menggunakan portal dengan alamat e-mail ini.'],
  },
  portal_not_own: {
    status: 422,
    en: ['Not your own', '{field} must name your own {noun}.'],
    id: ['Bukan milik Anda', '{field} harus menunjuk {nounId} Anda sendiri.'],
    extensions: {
      field: {
        type: 'string',
        maxLength: 50,
        example: 'contactId',
        description: 'The field naming a record of another customer',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    portal_invitation_invalid: true;
    portal_invitation_expired: true;
    portal_invitation_used: true;
    portal_contact_without_email: true;
    portal_access_exists: true;
    portal_email_taken: true;
    portal_not_own: true;
  }
}

export const PORTAL_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'portal', problems: PORTAL_PROBLEMS_CATALOG },
];
