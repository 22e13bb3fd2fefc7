/**
 * What other modules use of orders: the module, and OrdersService.placeOrder to place an
 * order from lines (an accepted quote becomes an order this way).
 */
export { OrdersModule } from './orders.module.js';
export { OrdersService, type PlaceOrderInput } from './orders.service.js';
export { ORDER_STATUSES, type OrderStatus } from './order-status.js';
export * from './orders.events.js';
