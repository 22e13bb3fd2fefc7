import { Injectable } from '@nestjs/common';
import { checkQuantity } from '#operational/sales/index.js';
import type { FieldChange } from '#platform/audit/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  RecordService,
  recordSelect,
  rowToRecord,
  type ApiRecord,
} from '#platform/records/index.js';
import type { OrderReturnDto } from './dto/order.dto.js';
import type { CreateTrackingEventDto } from './dto/tracking-event.dto.js';
import { OrderLinesRepository, type NewOrderLine } from './order-lines.repository.js';
import { acceptsReturns, type OrderStatus } from './order-status.js';
import { OrderTimeline } from './order-timeline.js';
import { orderTotals } from './order-totals.js';
import { OrderTrackingRepository } from './order-tracking.repository.js';
import { ORDER_DEFINITION } from './order.definition.js';
import { ORDER_RETURNED, ORDER_TRACKING_EVENT_ADDED } from './orders.events.js';
import { OrdersService, parties, statusChanged } from './orders.service.js';

const TOTAL_FIELDS = ['subtotal', 'taxTotal', 'total', 'taxes', 'status'] as const;

/**
 * What happens to an order after it was placed, besides status changes: goods coming back
 * (credit lines that lower the totals, and the `returned` status once everything is back)
 * and the carrier's tracking events.
 */
@Injectable()
export class OrderActionsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly orders: OrdersService,
    private readonly lines: OrderLinesRepository,
    private readonly tracking: OrderTrackingRepository,
    private readonly timeline: OrderTimeline,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Books a return: for each returned sale line a credit line with the negative quantity at
   * the line's frozen price, discount and tax rate, at most what was delivered and has not
   * come back yet. The totals are recomputed from every line; once everything is back the
   * order is `returned`.
   */
  async recordReturn(ctx: RequestContext, id: string, body: OrderReturnDto, ifMatch?: string) {
    await this.db.transaction(ctx, async (tx) => {
      const order = await this.orders.loadForUpdate(tx, id);
      checkIfMatch(ifMatch, order.version);
      const status = order.status as OrderStatus;
      if (!acceptsReturns(status)) throw new AppError('order_not_returnable', { status });
      const all = await this.lines.list(tx, id);
      const remaining = new Map(
        all
          .filter((l) => l.kind === 'sale')
          .map((l) => [l.id, new Money(l.quantity).minus(l.returnedQuantity)] as const),
      );
      const returnedAt = body.returnedAt ?? new Date().toISOString();
      const credits: NewOrderLine[] = body.lines.map((r, i) => {
        const line = all.find((l) => l.id === r.lineId.toLowerCase() && l.kind === 'sale');
        if (!line)
          throw AppError.field(
            `lines[${i}].lineId`,
            'notFound',
            'is not a sale line of this order',
          );
        checkQuantity(r.quantity, `lines[${i}].quantity`);
        const left = remaining.get(line.id)!;
        if (new Money(r.quantity).gt(left))
          throw new AppError(
            'order_return_exceeds_delivered',
            {
              lineNo: line.lineNo,
              delivered: line.quantity,
              returned: new Money(line.quantity).minus(left).toString(),
              remaining: left.toString(),
              quantity: r.quantity,
            },
            [
              {
                field: `lines[${i}].quantity`,
                rule: 'max',
                message: `must be at most ${left.toString()}`,
              },
            ],
          );
        remaining.set(line.id, left.minus(r.quantity));
        return {
          kind: 'credit',
          creditOfLineId: line.id,
          productId: line.productId,
          configurationId: line.configurationId,
          sku: line.sku,
          productName: line.productName,
          description: line.description,
          quantity: new Money(r.quantity).neg().toString(),
          unitPrice: line.unitPrice.amount,
          discountPercent: line.discountPercent,
          taxCategory: line.taxCategory,
          taxRate: line.taxRate,
          net: '0',
          reason: body.reason ?? null,
        };
      });
      const currency = order.currency as string;
      const priced = [...all.map((l) => ({ ...l, unitPrice: l.unitPrice.amount })), ...credits];
      const totals = orderTotals(priced, currency);
      const complete = [...remaining.values()].every((q) => q.isZero());
      const written = await this.lines.insert(
        tx,
        { id, accountId: order.accountId as string, currency, bookedAt: returnedAt },
        credits.map((c, i) => ({ ...c, net: totals.lineNets[all.length + i] })),
      );
      const updated = await this.rewriteTotals(tx, order, totals, complete ? 'returned' : status);
      await this.timeline.put(tx, updated);
      await this.outbox.append(tx, [
        ORDER_RETURNED.of(id, {
          ...parties(updated),
          returnedAt,
          reason: body.reason ?? null,
          creditLines: written.map((l) => ({
            lineId: l.id,
            creditOfLineId: l.creditOfLineId!,
            productId: l.productId,
            quantity: l.quantity,
            net: l.net,
          })),
          total: updated.total as { amount: string; currency: string },
          complete,
        }),
        ...(complete ? [statusChanged(order, updated)] : []),
      ]);
    });
    return this.orders.get(ctx, id);
  }

  async addTrackingEvent(ctx: RequestContext, id: string, body: CreateTrackingEventDto) {
    return this.db.transaction(ctx, async (tx) => {
      const order = await this.orders.loadForUpdate(tx, id);
      if (order.status === 'cancelled') throw new AppError('order_closed_for_tracking', {});
      const event = await this.tracking.insert(tx, id, body);
      await this.outbox.append(tx, [
        ORDER_TRACKING_EVENT_ADDED.of(id, {
          ...parties(order),
          trackingEventId: event.id,
          occurredAt: event.occurredAt,
          status: event.status,
          carrier: event.carrier,
          trackingNumber: event.trackingNumber,
          location: event.location,
        }),
      ]);
      return event;
    });
  }

  async trackingEvents(ctx: RequestContext, id: string) {
    await this.records.load(ctx, ORDER_DEFINITION, id);
    return { data: await this.tracking.list(ctx, id) };
  }

  async trackingEvent(ctx: RequestContext, id: string, eventId: string) {
    await this.records.load(ctx, ORDER_DEFINITION, id);
    const event = await this.tracking.one(ctx, id, eventId);
    if (!event) throw AppError.notFound('tracking event', eventId);
    return event;
  }

  /** New totals (and status) on the order, with their history entry. */
  private async rewriteTotals(
    tx: RequestContext,
    order: ApiRecord,
    totals: ReturnType<typeof orderTotals>,
    status: OrderStatus,
  ): Promise<ApiRecord> {
    const rows = await this.db.query(
      tx,
      `UPDATE orders AS ord SET subtotal_amount = $2, tax_total_amount = $3, total_amount = $4, taxes = $5,
              status = $6, status_changed_at = CASE WHEN status = $6 THEN status_changed_at ELSE now() END,
              version = version + 1, updated_at = now(), updated_by_id = $7
        WHERE id = $1 RETURNING ${recordSelect(ORDER_DEFINITION)}`,
      [
        order.id,
        totals.subtotal,
        totals.taxTotal,
        totals.total,
        JSON.stringify(totals.taxes),
        status,
        tx.principal?.userId ?? null,
      ],
    );
    const updated = rowToRecord(ORDER_DEFINITION, rows[0]);
    const changes: FieldChange[] = TOTAL_FIELDS.filter(
      (f) => JSON.stringify(order[f]) !== JSON.stringify(updated[f]),
    ).map((f) => ({ field: f, old: order[f], new: updated[f] }));
    await this.records.recordChange(tx, ORDER_DEFINITION, order.id, changes, 'return');
    return updated;
  }
}
