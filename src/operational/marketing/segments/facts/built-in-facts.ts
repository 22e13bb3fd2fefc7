import type { SegmentFact } from '../rules/fact-registry.js';
import { HAS_ACTIVITY_FACT } from './has-activity.fact.js';
import { LIFETIME_REVENUE_FACT } from './lifetime-revenue.fact.js';
import { ORDER_COUNT_FACT } from './order-count.fact.js';
import { PURCHASED_FACT } from './purchased.fact.js';

/** The facts segments know from orders and activities. */
export const BUILT_IN_FACTS: readonly SegmentFact[] = [
  PURCHASED_FACT,
  LIFETIME_REVENUE_FACT,
  ORDER_COUNT_FACT,
  HAS_ACTIVITY_FACT,
];
