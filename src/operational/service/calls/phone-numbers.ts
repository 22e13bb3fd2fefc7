import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { AppError } from '#platform/http/index.js';

/** A number in E.164 (`+62215550100`), read in `country`'s plan when it has no `+`; 422 otherwise. */
export function toE164(raw: string, country: string, field: string): string {
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode);
  if (!parsed?.isValid())
    throw new AppError('call_number_invalid', { field, number: raw, country }, undefined, {
      field,
    });
  return parsed.number;
}

/**
 * The forms a stored contact number may have as digits (contacts keep `phone_keys`, their
 * numbers reduced to digits): international without `+`, and national with and without the
 * trunk prefix 0, as Indonesian and many other plans write them.
 */
export function phoneKeysOf(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return [e164.replace(/\D/g, '')];
  const national = parsed.nationalNumber;
  return [...new Set([e164.replace(/\D/g, ''), national, `0${national}`])];
}
