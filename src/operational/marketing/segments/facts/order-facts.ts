import type { FactSqlContext } from '../rules/fact-registry.js';

/**
 * The orders that count for a contact's facts: theirs, not deleted, not cancelled, and
 * (with `withinDays`) placed in the last days. Returned orders count at their lowered totals.
 */
export function countedOrders(
  o: string,
  ctx: FactSqlContext,
  withinDays: unknown,
  at = `${o}.ordered_at`,
): string {
  const recent =
    withinDays === undefined
      ? ''
      : ` AND ${at} >= now() - make_interval(days => ${ctx.params.add(withinDays)}::int)`;
  return `${o}.contact_id = ${ctx.contact}.id AND ${o}.deleted_at IS NULL AND ${o}.status <> 'cancelled'${recent}`;
}

/** The comparison a measure fact was given (`{ gt: … }`), as SQL operator and value. */
export function comparison(args: Readonly<Record<string, unknown>>): [string, unknown] {
  const ops = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const [key, sym] of Object.entries(ops)) if (key in args) return [sym, args[key]];
  throw new Error('a measure fact needs one comparison');
}

export const WITHIN_DAYS = { type: 'integer', min: 1, max: 36500 } as const;
