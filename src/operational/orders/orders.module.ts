import { Module } from '@nestjs/common';
import { QuotesModule } from '#operational/quotes/index.js';
import { SalesModule } from '#operational/sales/index.js';
import { timelineController } from '#platform/timeline/index.js';
import { OrderActionsService } from './order-actions.service.js';
import { OrderFromQuoteService } from './order-from-quote.service.js';
import { OrderLinesRepository } from './order-lines.repository.js';
import { OrderTimeline } from './order-timeline.js';
import { OrderTrackingRepository } from './order-tracking.repository.js';
import {
  OrderActionsController,
  OrdersController,
  QuoteOrderController,
} from './orders.controller.js';
import { OrdersService } from './orders.service.js';

/** Orders: placed with their lines, moved through their lifecycle, tracked and returned. */
@Module({
  imports: [SalesModule, QuotesModule],
  controllers: [
    OrderActionsController,
    QuoteOrderController,
    OrdersController,
    timelineController({ path: 'orders', entity: 'orders', tag: 'Orders', label: 'an order' }),
  ],
  providers: [
    OrderLinesRepository,
    OrderTrackingRepository,
    OrderTimeline,
    OrdersService,
    OrderActionsService,
    OrderFromQuoteService,
  ],
  exports: [OrdersService],
})
export class OrdersModule {}
