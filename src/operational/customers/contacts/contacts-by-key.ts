/**
 * `matched`: the ids of the live contacts holding any of the keys `param` names in a key column
 * (`email_keys`, `phone_keys`), for duplicate checks and caller lookups to order and limit.
 *
 * MATERIALIZED keeps the planner on the column's GIN index. With an `ORDER BY created_at
 * LIMIT 1` beside the match, it otherwise walks the created_at index and filters every
 * contact when none holds the key, which is what a new contact's check looks for: 7 s at
 * 1,000,000 contacts instead of a tenth of a millisecond (bench/run.ts found it).
 */
export function matchedContactsCte(column: 'email_keys' | 'phone_keys', param: string): string {
  return `matched AS MATERIALIZED (
    SELECT id, created_at, updated_at FROM contacts WHERE deleted_at IS NULL AND ${column} && ${param}::text[])`;
}

/** The oldest live contact holding any of the e-mail keys in `$1` (text[]): a duplicate check. */
export const OLDEST_CONTACT_BY_EMAIL_SQL = `WITH ${matchedContactsCte('email_keys', '$1')}
  SELECT id FROM matched ORDER BY created_at LIMIT 1`;
