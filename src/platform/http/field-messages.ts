import type { Locale } from './locale.js';

/** Per-field validation messages; `{x}` placeholders come from the field error's params. */
const FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  required: { en: 'is required', id: 'wajib diisi' },
  unknownField: { en: 'is not a known field', id: 'bukan kolom yang dikenal' },
  once: { en: 'must be given only once', id: 'hanya boleh diberikan sekali' },
  serverOwned: {
    en: 'is set by the server and cannot be written',
    id: 'diisi oleh server dan tidak dapat ditulis',
  },
  isString: { en: 'must be a string', id: 'harus berupa teks' },
  isInt: { en: 'must be a whole number', id: 'harus berupa bilangan bulat' },
  isNumber: { en: 'must be a number', id: 'harus berupa angka' },
  isBoolean: { en: 'must be true or false', id: 'harus true atau false' },
  isArray: { en: 'must be an array', id: 'harus berupa larik' },
  isObject: { en: 'must be an object', id: 'harus berupa objek' },
  isUuid: { en: 'must be a UUID', id: 'harus berupa UUID' },
  isEmail: { en: 'must be an email address', id: 'harus berupa alamat email' },
  isUrl: { en: 'must be a URL (http or https)', id: 'harus berupa URL (http atau https)' },
  isDate: { en: 'must be an ISO 8601 date', id: 'harus berupa tanggal ISO 8601' },
  isDecimal: {
    en: 'must be a decimal string such as "1250.00"',
    id: 'harus berupa teks desimal seperti "1250.00"',
  },
  isCurrency: {
    en: 'must be an ISO 4217 currency code',
    id: 'harus berupa kode mata uang ISO 4217',
  },
  positiveDecimal: {
    en: 'must be a decimal string greater than 0 such as "16250.5" with up to 12 digits before and 12 after the point',
    id: 'harus berupa teks desimal lebih dari 0 seperti "16250.5" dengan paling banyak 12 digit sebelum dan 12 sesudah titik',
  },
  differentCurrency: {
    en: 'must differ from {other}',
    id: 'harus berbeda dari {other}',
  },
  isIn: { en: 'must be one of: {values}', id: 'harus salah satu dari: {values}' },
  maxLength: { en: 'must be at most {max} characters', id: 'paling banyak {max} karakter' },
  minLength: { en: 'must be at least {min} characters', id: 'paling sedikit {min} karakter' },
  arrayMaxSize: { en: 'must have at most {max} items', id: 'paling banyak {max} butir' },
  arrayMinSize: { en: 'must have at least {min} items', id: 'paling sedikit {min} butir' },
  min: { en: 'must be at least {min}', id: 'paling kecil {min}' },
  max: { en: 'must be at most {max}', id: 'paling besar {max}' },
  matches: { en: 'has an invalid format', id: 'formatnya tidak valid' },
  isPhone: {
    en: 'must be a phone number (digits, spaces, + - ( ) .)',
    id: 'harus berupa nomor telepon',
  },
  isTimeZone: { en: 'must be an IANA time zone', id: 'harus berupa zona waktu IANA' },
  isLocale: {
    en: 'must be a language tag such as "en" or "id"',
    id: 'harus berupa kode bahasa seperti "en" atau "id"',
  },
  notFound: { en: 'refers to a record that does not exist', id: 'merujuk ke data yang tidak ada' },
  inactive: {
    en: 'refers to a user who is not active',
    id: 'merujuk ke pengguna yang tidak aktif',
  },
  notMember: { en: 'must be a member of the team', id: 'harus anggota tim ini' },
  cycle: {
    en: 'would make a record its own ancestor',
    id: 'akan membuat data menjadi leluhurnya sendiri',
  },
  invalid: { en: 'is invalid', id: 'tidak valid' },
  nulCharacter: {
    en: 'must not contain the NUL character (U+0000)',
    id: 'tidak boleh berisi karakter NUL (U+0000)',
  },
  loneSurrogate: {
    en: 'must not contain a lone UTF-16 surrogate',
    id: 'tidak boleh berisi surrogate UTF-16 yang berdiri sendiri',
  },
  requiredWhen: { en: 'is required when {when}', id: 'wajib diisi jika {when}' },
  isJson: { en: 'must be valid JSON', id: 'harus berupa JSON yang valid' },
  notInFile: { en: 'is not a column of the file', id: 'bukan kolom dalam berkas' },
  sameField: {
    en: 'maps to {value}, as column "{other}" does',
    id: 'dipetakan ke {value}, sama seperti kolom "{other}"',
  },
  columnCount: {
    en: 'has {count} values where the header has {expected} columns',
    id: 'berisi {count} nilai sedangkan baris judul memiliki {expected} kolom',
  },
  duplicateNotWritable: {
    en: 'matches an existing record (by {match}) that you may not update',
    id: 'cocok dengan data yang sudah ada (menurut {match}) yang tidak boleh Anda ubah',
  },
};

export function fieldMessage(
  rule: string,
  locale: Locale,
  params: Record<string, unknown> = {},
  fallback?: string,
): string {
  // An admin's own wording (e.g. of a required-when rule) wins over the catalogue.
  const own = (params.messages as Partial<Record<Locale, string>> | undefined)?.[locale];
  if (own) return own;
  const template = FIELD_MESSAGES[rule]?.[locale];
  if (!template) return fallback ?? FIELD_MESSAGES.invalid[locale];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v.join(', ') : String(v ?? '');
  });
}
