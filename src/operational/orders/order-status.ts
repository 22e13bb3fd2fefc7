/** Where an order stands, from placing to delivery (or cancelling, or returning). */
export const ORDER_STATUSES = [
  'placed',
  'confirmed',
  'in_fulfilment',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The moves a status change may make. An order can be cancelled until it ships; `returned`
 * is reached only by returning everything delivered (POST …/returns), never set by hand;
 * cancelled and returned orders are final.
 */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  placed: ['confirmed', 'cancelled'],
  confirmed: ['in_fulfilment', 'cancelled'],
  in_fulfilment: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
  returned: [],
};

export function allowedNext(from: OrderStatus): readonly OrderStatus[] {
  return NEXT[from];
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** Goods can come back once they were delivered. */
export function acceptsReturns(status: OrderStatus): boolean {
  return status === 'delivered';
}
