import type { SegmentFact } from '../rules/fact-registry.js';
import { comparison, countedOrders } from './order-facts.js';

/**
 * `{ "fact": "lifetimeRevenue", "currency": "IDR", "gt" | "gte" | "lt" | "lte": "amount" }`:
 * the net (before tax, after returns) of the contact's orders in that currency. A contact
 * without orders has revenue 0.
 */
export const LIFETIME_REVENUE_FACT: SegmentFact = {
  name: 'lifetimeRevenue',
  description: "Net revenue of the contact's orders in one currency, compared with an amount",
  arguments: {
    currency: { type: 'currency', required: true },
    gt: { type: 'decimal' },
    gte: { type: 'decimal' },
    lt: { type: 'decimal' },
    lte: { type: 'decimal' },
  },
  exactlyOneOf: [['gt', 'gte', 'lt', 'lte']],
  sql(args, ctx) {
    const o = ctx.alias('ro');
    const [op, amount] = comparison(args);
    return `(SELECT coalesce(sum(${o}.subtotal_amount), 0) FROM orders ${o}
        WHERE ${countedOrders(o, ctx, undefined)} AND ${o}.currency = ${ctx.params.add(args.currency)})
      ${op} ${ctx.params.add(amount)}::numeric`;
  },
};
