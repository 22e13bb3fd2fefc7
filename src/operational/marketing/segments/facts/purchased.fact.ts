import type { SegmentFact } from '../rules/fact-registry.js';
import { countedOrders, WITHIN_DAYS } from './order-facts.js';

/**
 * `{ "fact": "purchased", "productId" | "productFamilyId": id, "withinDays"?: n }`: the
 * contact has an order with a sale line of the product (or of a product of the family).
 */
export const PURCHASED_FACT: SegmentFact = {
  name: 'purchased',
  description: 'Bought a product, or any product of a family, on an order (in the last days)',
  arguments: {
    productId: { type: 'uuid' },
    productFamilyId: { type: 'uuid' },
    withinDays: WITHIN_DAYS,
  },
  exactlyOneOf: [['productId', 'productFamilyId']],
  sql(args, ctx) {
    const o = ctx.alias('po');
    const l = ctx.alias('pl');
    const orders = countedOrders(o, ctx, args.withinDays, `${l}.booked_at`);
    if (args.productId !== undefined)
      return `EXISTS (SELECT 1 FROM orders ${o} JOIN order_lines ${l} ON ${l}.order_id = ${o}.id
        WHERE ${orders} AND ${l}.kind = 'sale' AND ${l}.product_id = ${ctx.params.add(args.productId)}::uuid)`;
    const p = ctx.alias('pp');
    return `EXISTS (SELECT 1 FROM orders ${o} JOIN order_lines ${l} ON ${l}.order_id = ${o}.id
        JOIN products ${p} ON ${p}.id = ${l}.product_id
        WHERE ${orders} AND ${l}.kind = 'sale' AND ${p}.family_id = ${ctx.params.add(args.productFamilyId)}::uuid)`;
  },
};
