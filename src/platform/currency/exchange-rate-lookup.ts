/**
 * The one rule for converting an amount, as SQL so that reports convert and aggregate in the
 * database. The rate of a day is the live rate of the pair with the latest `valid_from` on or
 * before that day. When only the opposite pair is on file (e.g. IDR→USD for USD→IDR), its
 * rate is inverted; when both are, the more recent one applies, the direct one on a tie.
 * There is no chaining through a third currency and no guessing: no rate, no conversion.
 *
 * `currency`, `day` and `target` are SQL expressions (columns or parameters) of the caller's
 * query; the fragment is meant for `LEFT JOIN LATERAL <fragment> <alias> ON true` and yields
 * `rate`, `inverse`, `rate_id` and `valid_from`, no row for the same currency.
 */
export function rateLookupSql(currency: string, day: string, target: string): string {
  const latest = (from: string, to: string, inverse: boolean) =>
    `(SELECT x.rate, ${inverse} AS inverse, x.id AS rate_id, x.valid_from FROM exchange_rates x
        WHERE x.deleted_at IS NULL AND x.from_currency = ${from} AND x.to_currency = ${to}
          AND x.valid_from <= ${day} AND ${currency} <> ${target}
        ORDER BY x.valid_from DESC LIMIT 1)`;
  return `(SELECT r.* FROM (${latest(currency, target, false)} UNION ALL ${latest(target, currency, true)}) r
     ORDER BY r.valid_from DESC, r.inverse LIMIT 1)`;
}

/**
 * `amount` in the target currency by the rate `fx` found with rateLookupSql, exact in numeric;
 * NULL when a rate was needed and none is on file. Division keeps 20 decimals before rounding.
 */
export function convertedAmountSql(
  amount: string,
  currency: string,
  target: string,
  fx: string,
): string {
  return `CASE WHEN ${currency} = ${target} THEN ${amount}
               WHEN ${fx}.inverse THEN round(${amount}, 20) / ${fx}.rate
               ELSE ${amount} * ${fx}.rate END`;
}
