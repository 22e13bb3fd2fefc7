import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError, etagOf, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { CreateOrderDto, OrderDto, OrderReturnDto, UpdateOrderDto } from './dto/order.dto.js';
import {
  CreateTrackingEventDto,
  TrackingEventDto,
  TrackingEventListDto,
} from './dto/tracking-event.dto.js';
import { OrderActionsService } from './order-actions.service.js';
import { OrderFromQuoteService } from './order-from-quote.service.js';
import { OrdersService } from './orders.service.js';

export const OrdersController = recordController({
  path: 'orders',
  tag: 'Orders',
  label: 'order',
  service: OrdersService,
  createDto: CreateOrderDto,
  updateDto: UpdateOrderDto,
  responseDto: OrderDto,
  filterExample: 'filter[status][in]=placed,confirmed&filter[orderedAt][gte]=2026-01-01',
});

@ApiTags('Orders')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/orders')
export class OrderActionsController {
  constructor(private readonly actions: OrderActionsService) {}

  @Post(':id/returns')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Book goods coming back from a delivered order',
    description:
      'Adds a credit line per returned line: the negative quantity at the frozen price, discount and tax rate, ' +
      'pointing at the line it gives back. At most what was delivered and not returned yet; the totals and taxes ' +
      'are recomputed, and once everything is back the order becomes `returned`. Emits `order.returned`.',
    operationId: 'return_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the order; stale: 412' })
  @ApiOkResponse({ type: OrderDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422)
  async recordReturn(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: OrderReturnDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { record, version } = await this.actions.recordReturn(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(version));
    return record;
  }

  @Post(':id/tracking-events')
  @ApiOperation({
    summary: "Add a carrier's tracking event to an order",
    description:
      'Dated status, carrier, tracking number, location and note of a shipment; a cancelled order takes none. ' +
      'Emits `order.tracking_event_added`.',
    operationId: 'create_tracking_event_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: TrackingEventDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async addTrackingEvent(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreateTrackingEventDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const event = await this.actions.addTrackingEvent(ctx, id, body);
    void reply.header('location', `/api/v1/orders/${id}/tracking-events/${event.id}`);
    return event;
  }

  @Get(':id/tracking-events')
  @ApiOperation({
    summary: "An order's tracking events, oldest first",
    operationId: 'list_tracking_events_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TrackingEventListDto })
  @ApiProblems(400, 401, 403, 404)
  trackingEvents(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.actions.trackingEvents(ctx, id);
  }

  @Get(':id/tracking-events/:eventId')
  @ApiOperation({
    summary: 'One tracking event of an order',
    operationId: 'get_tracking_event_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'eventId', format: 'uuid' })
  @ApiOkResponse({ type: TrackingEventDto })
  @ApiProblems(400, 401, 403, 404)
  trackingEvent(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('eventId', UuidParamPipe) eventId: string,
  ) {
    return this.actions.trackingEvent(ctx, id, eventId);
  }
}

@ApiTags('Orders')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/quotes')
export class QuoteOrderController {
  constructor(private readonly fromQuote: OrderFromQuoteService) {}

  @Post(':id/order')
  @ApiOperation({
    summary: 'Place the order of an accepted quote',
    description:
      "The order takes the quote's account, contact, opportunity and currency, and its lines in their order with " +
      "the quoted unit prices and tax rates; each line's discount is its quoted discount with its share of the " +
      "header discount folded in, so the order's total equals the quote's grand total. `quoteId` is set and " +
      'each line keeps its `configurationId`. Needs create on orders. Only from an accepted quote (409 ' +
      '`order_quote_not_accepted`), once per quote (409 `order_quote_already_ordered` naming the order in `orderId`; ' +
      'a unique index on the live orders of a quote holds it in the database too). This is the only way to place ' +
      'an order of a quote: `POST /api/v1/orders` takes no `quoteId`. ' +
      'Emits `order.placed`.',
    operationId: 'create_order_quotes',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({
    type: OrderDto,
    headers: { Location: { schema: { type: 'string' } }, ETag: { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 404, 409)
  async order(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // Nothing to give: the quote says it all.
    const given = body && typeof body === 'object' ? Object.keys(body) : [];
    if (given.length) throw AppError.field(given[0], 'whitelist', 'is not a field of this request');
    const order = await this.fromQuote.place(ctx, id);
    void reply
      .header('location', `/api/v1/orders/${order.id}`)
      .header('etag', etagOf(order.version));
    return order;
  }
}
