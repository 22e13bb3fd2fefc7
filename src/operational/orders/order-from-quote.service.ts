import { Injectable, type OnModuleInit } from '@nestjs/common';
import { nameIn, PRODUCT_DEFINITION } from '#operational/catalog/index.js';
import { QuoteOrdering } from '#operational/quotes/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import type { NewOrderLine } from './order-lines.repository.js';
import { ORDER_DEFINITION } from './order.definition.js';
import { OrdersService } from './orders.service.js';
import { frozenDiscount } from './quote-order-lines.js';

/**
 * An accepted quote becomes its order: the quote's account, contact, opportunity and
 * currency, its lines in their order with unit prices, discounts (the header discount's
 * share folded in) and tax rates frozen as quoted, so the order's total is the quote's grand
 * total. One order per quote; the quote is read through the quotes module, never written.
 */
@Injectable()
export class OrderFromQuoteService implements OnModuleInit {
  constructor(
    private readonly orders: OrdersService,
    private readonly quotes: QuoteOrdering,
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
    private readonly db: DatabaseService,
  ) {}

  onModuleInit(): void {
    this.quotes.register((tx, quoteId) => this.placeIn(tx, quoteId));
  }

  place(ctx: RequestContext, quoteId: string) {
    return this.db.transaction(ctx, (tx) => this.placeIn(tx, quoteId));
  }

  private async placeIn(tx: RequestContext, quoteId: string) {
    this.permissions.require(tx.user, ORDER_DEFINITION.entity, 'create');
    const quote = await this.quotes.read(tx, quoteId);
    if (quote.status !== 'accepted')
      throw new AppError(
        'order_quote_not_accepted',
        { number: quote.number, status: quote.status },
        undefined,
        { quoteStatus: quote.status },
      );
    // Two requests for one quote queue here, so the second sees the first one's order.
    await this.db.query(
      tx,
      `SELECT pg_advisory_xact_lock(hashtext('order-of-quote:' || $1::text))`,
      [quote.id],
    );
    const existing = await this.db.one<{ id: string; number: string }>(
      tx,
      `SELECT id, number FROM orders WHERE quote_id = $1 AND deleted_at IS NULL LIMIT 1`,
      [quote.id],
    );
    if (existing)
      throw new AppError(
        'order_quote_already_ordered',
        { number: quote.number, order: existing.number, orderId: existing.id },
        undefined,
        { orderId: existing.id },
      );
    const lines: NewOrderLine[] = [];
    for (const line of quote.lines) {
      const product = await this.records.load(tx, PRODUCT_DEFINITION, line.productId);
      lines.push({
        kind: 'sale',
        creditOfLineId: null,
        productId: line.productId,
        configurationId: line.configurationId,
        sku: product.sku as string,
        productName: nameIn(product.name, tx.locale),
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountPercent: frozenDiscount(
          line.quantity,
          line.unitPrice,
          line.taxableAmount,
          quote.currency,
        ),
        taxCategory: line.taxCategory,
        taxRate: line.taxRate,
        net: '0',
        reason: null,
      });
    }
    return this.orders.write(
      tx,
      {
        accountId: quote.accountId,
        contactId: quote.contactId,
        opportunityId: quote.opportunityId,
        quoteId: quote.id,
        currency: quote.currency,
        orderedAt: new Date().toISOString(),
      },
      lines,
    );
  }
}
