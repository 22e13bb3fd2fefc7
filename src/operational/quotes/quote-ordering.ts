import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { RecordService } from '#platform/records/index.js';
import { QUOTE_DEFINITION } from './quotes.definitions.js';

type MoneyValue = { amount: string; currency: string };

/** One line of a quote as an order copies it: everything frozen as quoted. */
export interface QuoteLineForOrder {
  id: string;
  productId: string;
  configurationId: string | null;
  description: string | null;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxCategory: string;
  taxRate: string;
  /** Net after the line discount and the line's share of the header discount. */
  taxableAmount: string;
}

/** A quote as an order reads it. */
export interface QuoteForOrder {
  id: string;
  number: string;
  status: string;
  accountId: string;
  contactId: string | null;
  opportunityId: string | null;
  currency: string;
  grandTotal: MoneyValue;
  lines: QuoteLineForOrder[];
}

/** What places an order for a quote, inside the caller's transaction. */
export type QuoteOrderPlacer = (
  tx: RequestContext,
  quoteId: string,
) => Promise<Record<string, unknown> & { id: string }>;

/**
 * The way from a quote to an order. Orders read quotes through it (quotes never learn of
 * orders' tables), and register the placer that `accept` with `createOrder` calls, which
 * keeps the dependency one way: orders → quotes.
 */
@Injectable()
export class QuoteOrdering {
  private placer: QuoteOrderPlacer | null = null;

  constructor(
    private readonly records: RecordService,
    private readonly db: DatabaseService,
  ) {}

  register(placer: QuoteOrderPlacer): void {
    this.placer = placer;
  }

  /** Places the order of a quote; the placer answers every rule (status, once per quote). */
  place(tx: RequestContext, quoteId: string) {
    if (!this.placer) throw new Error('No order placer is registered for quotes');
    return this.placer(tx, quoteId);
  }

  /** The quote with its live lines in their order, or 404 outside the caller's read scope. */
  async read(ctx: RequestContext, quoteId: string): Promise<QuoteForOrder> {
    const quote = await this.records.load(ctx, QUOTE_DEFINITION, quoteId);
    const lines = await this.db.query<{
      id: string;
      product_id: string;
      configuration_id: string | null;
      description: string | null;
      quantity: string;
      unit_price: string;
      discount_percent: string;
      tax_category: string;
      tax_rate: string;
      taxable: string;
    }>(
      ctx,
      `SELECT id, product_id, configuration_id, description, quantity::text,
              unit_price_amount::text AS unit_price, discount_percent::text, tax_category,
              tax_rate::text, (net_amount_amount - header_discount_amount_amount)::text AS taxable
         FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL ORDER BY position, id`,
      [quoteId],
    );
    return {
      id: quote.id,
      number: quote.number as string,
      status: quote.status as string,
      accountId: quote.accountId as string,
      contactId: (quote.contactId as string | null) ?? null,
      opportunityId: (quote.opportunityId as string | null) ?? null,
      currency: quote.currency as string,
      grandTotal: quote.grandTotal as MoneyValue,
      lines: lines.map((l) => ({
        id: l.id,
        productId: l.product_id,
        configurationId: l.configuration_id,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        discountPercent: l.discount_percent,
        taxCategory: l.tax_category,
        taxRate: l.tax_rate,
        taxableAmount: l.taxable,
      })),
    };
  }
}
