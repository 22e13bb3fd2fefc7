import type { Locale } from './locale.js';

/** An error the API can answer: its HTTP status, and its title and detail in each language. */
export type ProblemDefinition = {
  readonly status: number;
  /**
   * Extension members (RFC 9457 §3.2) the problem carries beside the standard ones, as OpenAPI
   * schemas: the API document lists them on the problem schema.
   */
  readonly extensions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
} & Readonly<Record<Locale, readonly [title: string, detail: string]>>;

export type ProblemCatalog = Readonly<Record<string, ProblemDefinition>>;

/**
 * The errors any feature may answer, and those of the platform's own features. Codes are
 * stable: clients branch on `code`, never on the wording. `{name}` placeholders are filled
 * from the error's params. A module declares its own in its `*.errors.ts` (see
 * registerProblems).
 */
const PLATFORM_PROBLEMS = {
  validation_failed: {
    status: 400,
    en: ['Validation failed', 'The request has invalid fields.'],
    id: ['Validasi gagal', 'Permintaan berisi kolom yang tidak valid.'],
  },
  malformed_body: {
    status: 400,
    en: ['Malformed request body', 'The body is not valid JSON.'],
    id: ['Isi permintaan rusak', 'Isi permintaan bukan JSON yang valid.'],
  },
  invalid_query: {
    status: 400,
    en: ['Invalid query', 'The query parameters are invalid.'],
    id: ['Kueri tidak valid', 'Parameter kueri tidak valid.'],
  },
  invalid_id: {
    status: 400,
    en: ['Invalid identifier', '"{value}" is not a valid UUID.'],
    id: ['Pengenal tidak valid', '"{value}" bukan UUID yang valid.'],
  },
  webhook_url_not_allowed: {
    status: 400,
    en: [
      'Webhook URL not allowed',
      '{host} resolves to {address}, a {range} address; webhooks are not sent into internal networks unless an administrator allows the host in CRM_WEBHOOK_ALLOWED_HOSTS.',
    ],
    id: [
      'URL webhook tidak diizinkan',
      '{host} mengarah ke {address}, alamat {range}; webhook tidak dikirim ke jaringan internal kecuali administrator mengizinkan host tersebut di CRM_WEBHOOK_ALLOWED_HOSTS.',
    ],
  },
  unsupported_media_type: {
    status: 415,
    en: ['Unsupported media type', 'Send the body as application/json.'],
    id: ['Jenis media tidak didukung', 'Kirim isi permintaan sebagai application/json.'],
  },
  multipart_required: {
    status: 415,
    en: [
      'Unsupported media type',
      'Send the body as multipart/form-data with the file in a part named "file".',
    ],
    id: [
      'Jenis media tidak didukung',
      'Kirim isi permintaan sebagai multipart/form-data dengan berkas di bagian bernama "file".',
    ],
  },
  payload_too_large: {
    status: 413,
    en: ['Payload too large', 'The body exceeds the limit of {limit} bytes.'],
    id: ['Isi terlalu besar', 'Isi permintaan melebihi batas {limit} byte.'],
  },
  unauthorized: {
    status: 401,
    en: ['Unauthorized', 'Valid credentials are required.'],
    id: ['Tidak terautentikasi', 'Diperlukan kredensial yang valid.'],
  },
  invalid_credentials: {
    status: 401,
    en: ['Invalid credentials', 'The email or password is incorrect.'],
    id: ['Kredensial tidak valid', 'Email atau kata sandi salah.'],
  },
  invalid_refresh_token: {
    status: 401,
    en: ['Invalid refresh token', 'The refresh token is unknown, expired or revoked.'],
    id: [
      'Token penyegaran tidak valid',
      'Token penyegaran tidak dikenal, kedaluwarsa, atau dicabut.',
    ],
  },
  forbidden: {
    status: 403,
    en: ['Forbidden', 'Your role may not {action} {entity}.'],
    id: ['Dilarang', 'Peran Anda tidak boleh {action} {entity}.'],
  },
  field_read_only: {
    status: 403,
    en: ['Read-only field', 'Your role may not change the field {field}.'],
    id: ['Kolom hanya-baca', 'Peran Anda tidak boleh mengubah kolom {field}.'],
  },
  api_key_scope_forbidden: {
    status: 403,
    en: ['Outside the API key scope', 'This API key is limited to {scopes}; it may not call this.'],
    id: [
      'Di luar cakupan kunci API',
      'Kunci API ini dibatasi untuk {scopes}; kunci ini tidak boleh memanggil ini.',
    ],
  },
  report_field_hidden: {
    status: 403,
    en: [
      'Hidden field',
      'Your role cannot see {field} of {entity}, and this report is computed from it.',
    ],
    id: [
      'Kolom tersembunyi',
      'Peran Anda tidak dapat melihat {field} pada {entity}, sedangkan laporan ini dihitung darinya.',
    ],
  },
  reassign_forbidden: {
    status: 403,
    en: ['Reassignment forbidden', 'Your role may not change the owner or team of {entity}.'],
    id: ['Pengalihan dilarang', 'Peran Anda tidak boleh mengubah pemilik atau tim {entity}.'],
  },
  not_found: {
    status: 404,
    en: ['Not found', 'No {entity} with id {id}.'],
    id: ['Tidak ditemukan', 'Tidak ada {entity} dengan id {id}.'],
  },
  exchange_rate_missing: {
    status: 404,
    en: [
      'No exchange rate',
      'No exchange rate converts {from} to {to} on {date}; add one valid from that day or earlier.',
    ],
    id: [
      'Kurs tidak ada',
      'Tidak ada kurs dari {from} ke {to} pada {date}; tambahkan kurs yang berlaku sejak tanggal itu atau sebelumnya.',
    ],
  },
  route_not_found: {
    status: 404,
    en: ['Not found', 'No route {method} {path}.'],
    id: ['Tidak ditemukan', 'Tidak ada rute {method} {path}.'],
  },
  method_not_allowed: {
    status: 405,
    en: ['Method not allowed', 'The method is not allowed here.'],
    id: ['Metode tidak diizinkan', 'Metode ini tidak diizinkan di sini.'],
  },
  conflict: {
    status: 409,
    en: ['Conflict', '{reason}'],
    id: ['Konflik', '{reason}'],
  },
  duplicate_record: {
    status: 409,
    en: ['Duplicate record', 'A {entity} with the same {match} already exists: {existingId}.'],
    id: ['Data ganda', '{entity} dengan {match} yang sama sudah ada: {existingId}.'],
  },
  unique_violation: {
    status: 409,
    en: ['Already exists', 'A record with the same {field} already exists.'],
    id: ['Sudah ada', 'Data dengan {field} yang sama sudah ada.'],
  },
  self_lockout: {
    status: 409,
    en: [
      'Would lock you out',
      'You cannot {action}: you would lose your own administration access.',
    ],
    id: [
      'Akan mengunci Anda',
      'Anda tidak dapat {action}: Anda akan kehilangan akses administrasi Anda sendiri.',
    ],
  },
  built_in_role: {
    status: 409,
    en: ['Built-in role', 'Built-in roles cannot be deleted; edit their permissions instead.'],
    id: ['Peran bawaan', 'Peran bawaan tidak dapat dihapus; ubah izinnya saja.'],
  },
  role_in_use: {
    status: 409,
    en: ['Role in use', 'The role is assigned to {count} user(s); give them another role first.'],
    id: [
      'Peran sedang dipakai',
      'Peran ini dipakai oleh {count} pengguna; berikan peran lain kepada mereka terlebih dahulu.',
    ],
  },
  idempotency_in_progress: {
    status: 409,
    en: ['Request in progress', 'A request with this Idempotency-Key is still running.'],
    id: ['Permintaan sedang diproses', 'Permintaan dengan Idempotency-Key ini masih berjalan.'],
  },
  job_not_retryable: {
    status: 409,
    en: ['Job cannot be retried', 'Only failed jobs can be retried; this one is {state}.'],
    id: [
      'Tugas tidak dapat diulang',
      'Hanya tugas yang gagal yang dapat diulang; tugas ini berstatus {state}.',
    ],
  },
  import_finished: {
    status: 409,
    en: [
      'Import finished',
      'The import is {status}; only a queued or running import can be cancelled.',
    ],
    id: [
      'Impor sudah selesai',
      'Impor berstatus {status}; hanya impor yang menunggu atau berjalan yang dapat dibatalkan.',
    ],
  },
  webhook_not_active: {
    status: 409,
    en: [
      'Webhook not active',
      'The webhook is {status}; resume it with PATCH {"active": true} before resending.',
    ],
    id: [
      'Webhook tidak aktif',
      'Webhook berstatus {status}; aktifkan kembali dengan PATCH {"active": true} sebelum mengirim ulang.',
    ],
  },
  precondition_failed: {
    status: 412,
    en: ['Precondition failed', 'The record changed since you read it (current ETag {etag}).'],
    id: ['Prasyarat gagal', 'Data telah berubah sejak Anda membacanya (ETag saat ini {etag}).'],
  },
  idempotency_mismatch: {
    status: 422,
    en: ['Idempotency key reused', 'This Idempotency-Key was used with a different request.'],
    id: [
      'Kunci idempotensi dipakai ulang',
      'Idempotency-Key ini sudah dipakai untuk permintaan lain.',
    ],
  },
  unprocessable: {
    status: 422,
    en: ['Unprocessable request', '{reason}'],
    id: ['Permintaan tidak dapat diproses', '{reason}'],
  },
  rate_limited: {
    status: 429,
    en: ['Too many attempts', 'Try again in {retryAfter} seconds.'],
    id: ['Terlalu banyak percobaan', 'Coba lagi dalam {retryAfter} detik.'],
  },
  internal_error: {
    status: 500,
    en: ['Internal error', 'Something went wrong on the server. Quote request id {requestId}.'],
    id: ['Kesalahan internal', 'Terjadi kesalahan di server. Sebutkan id permintaan {requestId}.'],
  },
  service_unavailable: {
    status: 503,
    en: ['Service unavailable', 'The server is not ready; try again shortly.'],
    id: ['Layanan tidak tersedia', 'Server belum siap; coba lagi sebentar lagi.'],
  },
  query_timeout: {
    status: 503,
    en: ['Query timed out', 'The database did not answer in time; narrow the request or retry.'],
    id: [
      'Kueri melewati batas waktu',
      'Basis data tidak menjawab tepat waktu; persempit permintaan atau coba lagi.',
    ],
  },
  body_too_deep: {
    status: 400,
    en: [
      'Body nested too deeply',
      'The JSON body nests objects and arrays more than {max} levels deep (at {field}).',
    ],
    id: [
      'Isi permintaan terlalu bertingkat',
      'Isi JSON menyusun objek dan larik lebih dari {max} tingkat (di {field}).',
    ],
  },
  malformed_multipart: {
    status: 400,
    en: ['Malformed multipart body', 'The body is not valid multipart/form-data: {reason}'],
    id: ['Isi multipart rusak', 'Isi permintaan bukan multipart/form-data yang valid: {reasonId}'],
  },
  uri_too_long: {
    status: 414,
    en: [
      'URI too long',
      'The request path or one of its segments is too long (at most {max} characters).',
    ],
    id: [
      'URI terlalu panjang',
      'Path permintaan atau salah satu segmennya terlalu panjang (paling banyak {max} karakter).',
    ],
  },
  headers_too_large: {
    status: 431,
    en: ['Request headers too large', 'The request line and headers together exceed {max} bytes.'],
    id: [
      'Header permintaan terlalu besar',
      'Baris permintaan dan header bersama-sama melebihi {max} byte.',
    ],
  },
  malformed_request: {
    status: 400,
    en: ['Malformed request', 'The request is not valid HTTP/1.1.'],
    id: ['Permintaan rusak', 'Permintaan bukan HTTP/1.1 yang valid.'],
  },
  request_timeout: {
    status: 408,
    en: ['Request timeout', 'The request did not arrive in full in time.'],
    id: ['Waktu permintaan habis', 'Permintaan tidak tiba lengkap pada waktunya.'],
  },
} as const satisfies ProblemCatalog;

/**
 * The codes modules add. Each `*.errors.ts` names its codes here through declaration merging
 * (`declare module '#platform/http/problem-catalog.js'`), so `new AppError(code)` stays checked.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules
export interface ModuleProblemCodes {}

export type ProblemCode = keyof typeof PLATFORM_PROBLEMS | keyof ModuleProblemCodes;

/** The catalogue in force: the platform's problems and those every module registered at boot. */
export const PROBLEMS: Readonly<Record<string, ProblemDefinition>> = { ...PLATFORM_PROBLEMS };
const declaredBy = new Map<string, string>(
  Object.keys(PLATFORM_PROBLEMS).map((c) => [c, 'platform']),
);

/** A module's problems, named for the message when two declare one code. */
export interface ModuleProblems {
  readonly module: string;
  readonly problems: ProblemCatalog;
}

/**
 * Adds the modules' problems to the catalogue; the application root calls it once at boot.
 * A code declared twice stops the start: two meanings under one code would break clients.
 * Registering the same module again (another app in the same process) changes nothing.
 */
export function registerProblems(modules: readonly ModuleProblems[]): void {
  const adding = new Map<string, { module: string; definition: ProblemDefinition }>();
  for (const { module, problems } of modules) {
    for (const [code, definition] of Object.entries(problems)) {
      if (PROBLEMS[code] === definition && declaredBy.get(code) === module) continue;
      const other = adding.get(code)?.module ?? declaredBy.get(code);
      if (other !== undefined)
        throw new Error(
          `problem code "${code}" is declared by both ${other} and ${module}; every code must be unique`,
        );
      adding.set(code, { module, definition });
    }
  }
  for (const [code, { module, definition }] of adding) {
    (PROBLEMS as Record<string, ProblemDefinition>)[code] = definition;
    declaredBy.set(code, module);
  }
}

export function problemText(code: ProblemCode, locale: Locale, params: Record<string, unknown>) {
  const [title, template] = PROBLEMS[code][locale];
  const detail = template.replace(/\{(\w+)\}/g, (_, key: string) =>
    params[key] === undefined ? `{${key}}` : String(params[key]),
  );
  return { title, detail };
}
