import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { PricedLine } from './order-totals.js';

/** What a line says whichever way it is read or written. */
interface OrderLineBase {
  kind: 'sale' | 'credit';
  creditOfLineId: string | null;
  productId: string;
  configurationId: string | null;
  sku: string;
  productName: string;
  description: string | null;
  reason: string | null;
}

/** A line as it is written: prices, discount and tax rate frozen from now on. */
export interface NewOrderLine extends PricedLine, OrderLineBase {
  net: string;
}

/** A line as the API shows it. */
export interface OrderLineView extends OrderLineBase {
  id: string;
  lineNo: number;
  quantity: string;
  unitPrice: { amount: string; currency: string };
  discountPercent: string;
  taxCategory: string;
  taxRate: string;
  net: { amount: string; currency: string };
  returnedQuantity: string;
  bookedAt: string;
}

type LineRow = {
  id: string;
  line_no: number;
  kind: 'sale' | 'credit';
  credit_of_line_id: string | null;
  product_id: string;
  configuration_id: string | null;
  sku: string;
  product_name: string;
  description: string | null;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  tax_category: string;
  tax_rate: string;
  net_amount: string;
  currency: string;
  returned: string;
  booked_at: Date;
  reason: string | null;
};

/** The SQL of order lines: writing them once, reading them per order. */
@Injectable()
export class OrderLinesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Appends lines after the order's last line number; returns them as written. */
  async insert(
    tx: RequestContext,
    order: { id: string; accountId: string; currency: string; bookedAt: string },
    lines: NewOrderLine[],
  ): Promise<OrderLineView[]> {
    const last = await this.db.one<{ n: number }>(
      tx,
      `SELECT coalesce(max(line_no), 0)::int AS n FROM order_lines WHERE order_id = $1`,
      [order.id],
    );
    const first = (last?.n ?? 0) + 1;
    const ids = lines.map(() => uuidv7());
    const column = <K extends keyof NewOrderLine>(k: K) => lines.map((l) => l[k]);
    await this.db.query(
      tx,
      `INSERT INTO order_lines (id, order_id, line_no, kind, credit_of_line_id, product_id, configuration_id,
              sku, product_name, description, quantity, unit_price, discount_percent, tax_category, tax_rate,
              net_amount, currency, account_id, booked_at, reason, created_by_id)
       SELECT u.id, $1, $2 + u.ord - 1, u.kind, u.credit_of, u.product_id, u.configuration_id, u.sku, u.product_name,
              u.description, u.quantity, u.unit_price, u.discount, u.tax_category, u.tax_rate, u.net,
              $3, $4, $5, u.reason, $6
         FROM unnest($7::uuid[], $8::text[], $9::uuid[], $10::uuid[], $11::uuid[], $12::text[], $13::text[],
                     $14::text[], $15::numeric[], $16::numeric[], $17::numeric[], $18::text[], $19::numeric[],
                     $20::numeric[], $21::text[])
              WITH ORDINALITY AS u (id, kind, credit_of, product_id, configuration_id, sku, product_name,
                     description, quantity, unit_price, discount, tax_category, tax_rate, net, reason, ord)`,
      [
        order.id,
        first,
        order.currency,
        order.accountId,
        order.bookedAt,
        tx.principal?.userId ?? null,
        ids,
        column('kind'),
        column('creditOfLineId'),
        column('productId'),
        column('configurationId'),
        column('sku'),
        column('productName'),
        column('description'),
        column('quantity'),
        column('unitPrice'),
        column('discountPercent'),
        column('taxCategory'),
        column('taxRate'),
        column('net'),
        column('reason'),
      ],
    );
    const written = new Set(ids);
    return (await this.list(tx, order.id)).filter((l) => written.has(l.id));
  }

  /** The order's lines by line number, each sale line with how much of it came back. */
  async list(ctx: RequestContext, orderId: string): Promise<OrderLineView[]> {
    const rows = await this.db.query<LineRow>(
      ctx,
      `SELECT l.id, l.line_no, l.kind, l.credit_of_line_id, l.product_id, l.configuration_id, l.sku,
              l.product_name, l.description, l.quantity::text, l.unit_price::text,
              l.discount_percent::text, l.tax_category, l.tax_rate::text, l.net_amount::text, l.currency,
              coalesce((SELECT -sum(c.quantity) FROM order_lines c WHERE c.credit_of_line_id = l.id), 0)::text AS returned,
              l.booked_at, l.reason
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.line_no`,
      [orderId],
    );
    return rows.map((r) => {
      const currency = r.currency.trim();
      return {
        id: r.id,
        lineNo: r.line_no,
        kind: r.kind,
        creditOfLineId: r.credit_of_line_id,
        productId: r.product_id,
        configurationId: r.configuration_id,
        sku: r.sku,
        productName: r.product_name,
        description: r.description,
        quantity: r.quantity,
        unitPrice: { amount: r.unit_price, currency },
        discountPercent: r.discount_percent,
        taxCategory: r.tax_category,
        taxRate: r.tax_rate,
        net: { amount: r.net_amount, currency },
        returnedQuantity: r.returned,
        bookedAt: r.booked_at.toISOString(),
        reason: r.reason,
      };
    });
  }
}
