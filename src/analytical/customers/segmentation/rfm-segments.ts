/**
 * The named RFM segments, by the recency score R and the frequency score F (1–5 each; the
 * monetary score M is reported beside them and orders lists, it does not name the segment).
 * The mapping, applied in this order by the read model analytics_customer_values:
 *
 * | segment            | R   | F   |
 * |--------------------|-----|-----|
 * | cant_lose          | 1–2 | 5   |
 * | at_risk            | 1–2 | 3–4 |
 * | lost               | 1   | 1   |
 * | hibernating        | 1–2 | 1–2 (other than lost) |
 * | about_to_sleep     | 3   | 1–2 |
 * | need_attention     | 3   | 3   |
 * | champions          | 5   | 4–5 |
 * | loyal              | 3–4 | 4–5 |
 * | potential_loyalist | 4–5 | 2–3 |
 * | new_customers      | 5   | 1   |
 * | promising          | 4   | 1   |
 *
 * Scores are ⌈5 × cume_dist⌉ of the customers' last purchase (later is better), of their
 * orders in the RFM window and of their net revenue in the window, so equal values share a
 * score and the top fifth of the ranking scores 5.
 */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];
