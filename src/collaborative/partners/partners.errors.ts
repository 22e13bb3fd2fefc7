import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of the partner channel; `{name}` comes from the params. */
export const PARTNER_PROBLEMS_CATALOG = {
  partner_account_not_partner: {
    status: 422,
    en: ['Not a partner account', 'The account must be of type partner to hold a partner profile.'],
    id: ['Bukan akun mitra', 'Akun harus bertipe partner untuk memiliki profil mitra.'],
  },
  partner_profile_exists: {
    status: 409,
    en: ['Partner profile exists', 'The account has a partner profile already.'],
    id: ['Profil mitra sudah ada', 'Akun ini sudah memiliki profil mitra.'],
  },
  partner_suspended: {
    status: 422,
    en: ['Partner suspended', 'The partner is suspended; reactivate it first.'],
    id: ['Mitra ditangguhkan', 'Mitra sedang ditangguhkan; aktifkan kembali terlebih dahulu.'],
  },
  partner_invitation_invalid: {
    status: 404,
    en: ['Invitation not found', 'The invitation link is not valid.'],
    id: ['Undangan tidak ditemukan', 'Tautan undangan tidak valid.'],
  },
  partner_invitation_expired: {
    status: 410,
    en: ['Invitation expired', 'The invitation expired at {expiredAt}; ask for a new one.'],
    id: ['Undangan kedaluwarsa', 'Undangan kedaluwarsa pada {expiredAt}; mintalah yang baru.'],
  },
  partner_invitation_used: {
    status: 410,
    en: ['Invitation already used', 'The invitation was used already; log in instead.'],
    id: ['Undangan sudah dipakai', 'Undangan sudah dipakai; silakan masuk.'],
  },
  partner_field_not_editable: {
    status: 403,
    en: [
      'Field not editable',
      'Partner users may not change {field} of a shared {entity} (see partners.access).',
    ],
    id: [
      'Kolom tidak dapat diubah',
      'Pengguna mitra tidak boleh mengubah {field} pada {entity} yang dibagikan (lihat partners.access).',
    ],
  },
  partner_user_email_taken: {
    status: 409,
    en: ['E-mail in use', 'A partner user with this e-mail address exists already.'],
    id: ['E-mail sudah dipakai', 'Pengguna mitra dengan alamat e-mail ini sudah ada.'],
  },
  deal_registration_decided: {
    status: 409,
    en: [
      'Registration decided',
      'The registration is {registrationStatus} already; only a submitted one can be decided.',
    ],
    id: [
      'Registrasi sudah diputuskan',
      'Registrasi sudah berstatus {registrationStatus}; hanya yang diajukan dapat diputuskan.',
    ],
    extensions: {
      registrationStatus: {
        type: 'string',
        maxLength: 20,
        example: 'approved',
        description: 'The status the registration has',
      },
    },
  },
  partner_record_not_shared: {
    status: 404,
    en: ['Not found', 'No {entity} with id {id} is shared with your organization.'],
    id: ['Tidak ditemukan', 'Tidak ada {entity} dengan id {id} yang dibagikan ke organisasi Anda.'],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    partner_account_not_partner: true;
    partner_profile_exists: true;
    partner_suspended: true;
    partner_invitation_invalid: true;
    partner_invitation_expired: true;
    partner_invitation_used: true;
    partner_user_email_taken: true;
    partner_field_not_editable: true;
    deal_registration_decided: true;
    partner_record_not_shared: true;
  }
}

export const PARTNER_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'partners', problems: PARTNER_PROBLEMS_CATALOG },
];
