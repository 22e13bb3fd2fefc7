import { AppError, QueryParams } from '#platform/http/index.js';

/** Keyset cursors of the analytics lists: base64url JSON arrays of strings. */
export function encodeAnalyticsCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeAnalyticsCursor(cursor: string | undefined, size: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === size &&
      values.every((v) => typeof v === 'string' && v.length <= 100)
    )
      return values as string[];
  } catch {
    // reported below
  }
  throw new AppError('invalid_query', {}, [
    { field: 'cursor', rule: 'invalid', message: 'is not a cursor from this list' },
  ]);
}

/** A period of days `from`…`to` (inclusive); `to` defaults to today, `from` to none. */
export function periodOf(
  params: QueryParams,
  today: string,
): { from: string | null; to: string } | undefined {
  const from = params.date('from', false);
  const to = params.date('to', false) ?? today;
  if (from && to && to < from) params.fail('to', 'min', 'must not be before from');
  return { from: from ?? null, to };
}
