import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of preferences, consent, the preference centre, templates and the e-mail channel. */
export const MARKETING_PROBLEMS_CATALOG = {
  marketing_link_invalid: {
    status: 404,
    en: ['Link not found', 'This link is not valid. Use the link from your latest message.'],
    id: [
      'Tautan tidak ditemukan',
      'Tautan ini tidak valid. Gunakan tautan dari pesan terbaru Anda.',
    ],
  },
  marketing_link_expired: {
    status: 410,
    en: [
      'Link expired',
      'This link expired on {expiredAt}. Use the link from your latest message.',
    ],
    id: [
      'Tautan kedaluwarsa',
      'Tautan ini kedaluwarsa pada {expiredAt}. Gunakan tautan dari pesan terbaru Anda.',
    ],
    extensions: {
      expiredAt: {
        type: 'string',
        format: 'date-time',
        maxLength: 30,
        example: '2026-12-01T00:00:00.000Z',
        description: 'When the link stopped being valid',
      },
    },
  },
  consent_already_withdrawn: {
    status: 409,
    en: [
      'Consent already withdrawn',
      'The consent {consentId} was withdrawn already by {withdrawalId}.',
    ],
    id: ['Persetujuan sudah ditarik', 'Persetujuan {consentId} sudah ditarik oleh {withdrawalId}.'],
    extensions: {
      withdrawalId: {
        type: 'string',
        format: 'uuid',
        maxLength: 36,
        example: '0192f000-0000-7000-8000-0000000000aa',
        description: 'The history entry that withdrew it',
      },
    },
  },
  template_invalid: {
    status: 422,
    en: [
      'Template does not compile',
      'The {part} has an error at line {line}, column {column}: {reason}',
    ],
    id: [
      'Templat tidak dapat dikompilasi',
      'Bagian {part} memiliki kesalahan pada baris {line}, kolom {column}: {reason}',
    ],
    extensions: {
      part: {
        type: 'string',
        enum: ['subject', 'body'],
        example: 'body',
        description: 'Which part of the template is wrong',
      },
      line: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000,
        example: 3,
        description: 'Line of the error',
      },
      column: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000,
        example: 14,
        description: 'Column of the error',
      },
    },
  },
  email_channel_off: {
    status: 503,
    en: [
      'E-mail is not set up',
      'No SMTP server is configured (CRM_SMTP_URL), so no e-mail can be sent.',
    ],
    id: [
      'E-mail belum disiapkan',
      'Tidak ada server SMTP yang dikonfigurasi (CRM_SMTP_URL), sehingga e-mail tidak dapat dikirim.',
    ],
  },
  text_channel_off: {
    status: 503,
    en: [
      'Channel is not set up',
      'No provider is configured for {channel} (marketing.text.{channel}), so no message can be sent on it.',
    ],
    id: [
      'Kanal belum disiapkan',
      'Tidak ada penyedia yang dikonfigurasi untuk {channel} (marketing.text.{channel}), sehingga tidak ada pesan yang dapat dikirim.',
    ],
  },
  text_signature_invalid: {
    status: 401,
    en: [
      'Signature not valid',
      'The status report is not signed with the secret of {channel}, or its timestamp is more than five minutes off.',
    ],
    id: [
      'Tanda tangan tidak valid',
      'Laporan status tidak ditandatangani dengan rahasia {channel}, atau cap waktunya selisih lebih dari lima menit.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    marketing_link_invalid: true;
    marketing_link_expired: true;
    consent_already_withdrawn: true;
    template_invalid: true;
    email_channel_off: true;
    text_channel_off: true;
    text_signature_invalid: true;
  }
}

export const MARKETING_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'marketing', problems: MARKETING_PROBLEMS_CATALOG },
];
