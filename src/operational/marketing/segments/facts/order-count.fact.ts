import type { SegmentFact } from '../rules/fact-registry.js';
import { comparison, countedOrders, WITHIN_DAYS } from './order-facts.js';

const COUNT = { type: 'integer', min: 0, max: 1_000_000 } as const;

/** `{ "fact": "orderCount", "gte": 3, "withinDays"?: 365 }`: how many orders the contact placed. */
export const ORDER_COUNT_FACT: SegmentFact = {
  name: 'orderCount',
  description: 'Number of orders the contact placed (in the last days), compared with a number',
  arguments: { eq: COUNT, gt: COUNT, gte: COUNT, lt: COUNT, lte: COUNT, withinDays: WITHIN_DAYS },
  exactlyOneOf: [['eq', 'gt', 'gte', 'lt', 'lte']],
  sql(args, ctx) {
    const o = ctx.alias('co');
    const [op, n] = comparison(args);
    return `(SELECT count(*) FROM orders ${o} WHERE ${countedOrders(o, ctx, args.withinDays)})
      ${op} ${ctx.params.add(n)}::bigint`;
  },
};
