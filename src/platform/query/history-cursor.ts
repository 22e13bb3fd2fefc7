import { AppError } from '#platform/http/app-error.js';
import { MAX_PARAM_LENGTH } from './list-request.js';

/** PostgreSQL's text form of a timestamptz, e.g. `2026-03-01 09:30:00.123456+00`. */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T][0-9:.]+([+-]\d{2}(:?\d{2})?|Z)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The keyset cursor of history lists ordered by (time, id): record history, stage history,
 * score history. The time travels as PostgreSQL's own text so no precision is lost.
 */
export function encodeHistoryCursor(atText: string, id: string): string {
  return Buffer.from(JSON.stringify([atText, id])).toString('base64url');
}

/** The (time, id) of a cursor; anything else is a 400, never a database error. */
export function decodeHistoryCursor(cursor: string): [string, string] {
  try {
    if (cursor.length > MAX_PARAM_LENGTH) throw new Error('cursor too long');
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === 'string' &&
      TIMESTAMP_TEXT.test(decoded[0]) &&
      typeof decoded[1] === 'string' &&
      UUID.test(decoded[1])
    )
      return [decoded[0], decoded[1]];
  } catch {
    // reported below
  }
  throw new AppError('invalid_query', {}, [
    { field: 'cursor', rule: 'invalid', message: 'is not a cursor of this history' },
  ]);
}
