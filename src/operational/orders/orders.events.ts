import { declareEvent } from '#platform/events/index.js';
import type { OrderStatus } from './order-status.js';

type Money = { amount: string; currency: string };

/** Who an order belongs to, in every order event, so subscribers need not read it back. */
interface OrderParties {
  number: string;
  accountId: string;
  contactId: string | null;
  ownerId: string;
  teamId: string | null;
}

/** `order.placed`: a new order, with its frozen lines and totals. */
export interface OrderPlacedPayload extends OrderParties {
  opportunityId: string | null;
  quoteId: string | null;
  orderedAt: string;
  currency: string;
  subtotal: Money;
  taxTotal: Money;
  total: Money;
  lines: { lineId: string; productId: string; sku: string; quantity: string; net: Money }[];
}

/** `order.status_changed`: the order moved along its lifecycle. */
export interface OrderStatusChangedPayload extends OrderParties {
  from: OrderStatus;
  to: OrderStatus;
  total: Money;
}

/** `order.returned`: goods came back; credit lines were added and the totals went down. */
export interface OrderReturnedPayload extends OrderParties {
  returnedAt: string;
  reason: string | null;
  creditLines: {
    lineId: string;
    creditOfLineId: string;
    productId: string;
    quantity: string;
    net: Money;
  }[];
  total: Money;
  /** Whether everything delivered has come back, making the order `returned`. */
  complete: boolean;
}

/** `order.tracking_event_added`: a carrier reported where the shipment is. */
export interface OrderTrackingEventAddedPayload extends OrderParties {
  trackingEventId: string;
  occurredAt: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  location: string | null;
}

export const ORDER_PLACED = declareEvent<OrderPlacedPayload>('order.placed', 'orders');
export const ORDER_STATUS_CHANGED = declareEvent<OrderStatusChangedPayload>(
  'order.status_changed',
  'orders',
);
export const ORDER_RETURNED = declareEvent<OrderReturnedPayload>('order.returned', 'orders');
export const ORDER_TRACKING_EVENT_ADDED = declareEvent<OrderTrackingEventAddedPayload>(
  'order.tracking_event_added',
  'orders',
);
