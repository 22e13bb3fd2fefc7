import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of threads and their messages; `{name}` comes from the params. */
export const MESSAGING_PROBLEMS_CATALOG = {
  message_edit_window_closed: {
    status: 409,
    en: [
      'Edit window closed',
      'A message can be edited for {minutes} minutes after it was posted; this one was posted at {postedAt}.',
    ],
    id: [
      'Batas waktu ubah lewat',
      'Pesan dapat diubah selama {minutes} menit setelah dikirim; pesan ini dikirim pada {postedAt}.',
    ],
  },
  message_deleted: {
    status: 409,
    en: ['Message deleted', 'The message {id} was deleted; it cannot be changed or answered.'],
    id: ['Pesan dihapus', 'Pesan {id} telah dihapus; pesan ini tidak dapat diubah atau dibalas.'],
  },
  message_not_author: {
    status: 403,
    en: ['Not your message', 'Only the author of a message may edit it.'],
    id: ['Bukan pesan Anda', 'Hanya penulis pesan yang dapat mengubahnya.'],
  },
  thread_attachment_too_large: {
    status: 413,
    en: ['Attachment too large', 'A file attached to a thread may have at most {limit} bytes.'],
    id: ['Lampiran terlalu besar', 'Berkas yang dilampirkan pada utas paling besar {limit} bita.'],
  },
  thread_attachment_type_forbidden: {
    status: 415,
    en: [
      'Attachment type not allowed',
      'Files of type {mediaType} cannot be attached to a thread; allowed are {allowed}.',
    ],
    id: [
      'Jenis lampiran tidak diizinkan',
      'Berkas berjenis {mediaType} tidak dapat dilampirkan pada utas; yang diizinkan: {allowed}.',
    ],
  },
  thread_partner_user_unavailable: {
    status: 422,
    en: [
      'Partner user unavailable',
      'The partner user {id} does not exist, has not activated their access, was revoked, or their partner is suspended.',
    ],
    id: [
      'Pengguna mitra tidak tersedia',
      'Pengguna mitra {id} tidak ada, belum mengaktifkan aksesnya, telah dicabut, atau mitranya ditangguhkan.',
    ],
  },
  thread_record_not_shared: {
    status: 422,
    en: [
      'Record not shared with the partner',
      'A partner user joins only threads tied to no record or to a record shared with their organization; {entity} {recordId} is not shared with the partner of {id}.',
    ],
    id: [
      'Data tidak dibagikan kepada mitra',
      'Pengguna mitra hanya dapat ikut dalam utas tanpa data terkait atau dengan data yang dibagikan kepada organisasinya; {entity} {recordId} tidak dibagikan kepada mitra dari {id}.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    message_edit_window_closed: true;
    message_deleted: true;
    message_not_author: true;
    thread_attachment_too_large: true;
    thread_attachment_type_forbidden: true;
    thread_partner_user_unavailable: true;
    thread_record_not_shared: true;
  }
}

export const MESSAGING_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'messaging', problems: MESSAGING_PROBLEMS_CATALOG },
];
