import { Injectable } from '@nestjs/common';
import { PriceLookupService, ProductsService, withinWindow } from '#operational/catalog/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';

export interface LinePriceRequest {
  productId: string;
  quantity: string;
  currency: string;
  /** The price the caller gave, used as it is; without it the price books decide. */
  given?: { amount: string; currency: string } | null;
  /** The day the price holds on (YYYY-MM-DD). */
  date: string;
  accountId?: string | null;
  /** Where field errors point, e.g. `lines[2]`. */
  field?: string;
}

export interface LinePrice {
  unitPrice: { amount: string; currency: string };
  taxCategory: string;
  sku: string;
  productName: string;
}

/** `quantity × unit price − discount percent`, rounded to the currency's minor unit. */
export function lineTotal(
  quantity: string,
  unitPrice: string,
  discountPercent: string,
  currency: string,
): string {
  const net = new Money(quantity)
    .times(unitPrice)
    .times(new Money(100).minus(discountPercent))
    .dividedBy(100);
  return roundMoney(net, currency);
}

/** A discount percent must lie between 0 and 100. */
export function checkDiscount(discountPercent: string | undefined, field = 'discountPercent') {
  if (discountPercent === undefined) return;
  const d = new Money(discountPercent);
  if (d.isNegative() || d.gt(100))
    throw AppError.field(field, 'range', 'must be between 0 and 100', { min: 0, max: 100 });
}

/** A quantity must be more than zero. */
export function checkQuantity(quantity: string, field = 'quantity') {
  if (!new Money(quantity).gt(0))
    throw AppError.field(field, 'min', 'must be more than zero', { min: 0 });
}

/** The day (YYYY-MM-DD) an instant falls on in a time zone: prices hold by the local day. */
export function dayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

@Injectable()
export class LinePricing {
  constructor(
    private readonly records: RecordService,
    private readonly products: ProductsService,
    private readonly lookup: PriceLookupService,
  ) {}

  async price(ctx: RequestContext, r: LinePriceRequest): Promise<LinePrice> {
    const at = (name: string) => (r.field ? `${r.field}.${name}` : name);
    await this.records.mustReference(ctx, 'products', r.productId, at('productId'), 'a product');
    const { record: product } = await this.products.get(ctx, r.productId);
    const sku = product.sku as string;
    if (!product.active) throw new AppError('product_inactive', { sku });
    const from = (product.availableFrom as string | null) ?? null;
    const to = (product.availableTo as string | null) ?? null;
    if (!withinWindow(r.date, from, to))
      throw new AppError('product_not_available', {
        sku,
        date: r.date,
        from: from ?? '…',
        to: to ?? '…',
      });
    const name = (product.name ?? {}) as { en?: string; id?: string };
    const found = {
      taxCategory: product.taxCategory as string,
      sku,
      productName: (ctx.locale === 'id' ? (name.id ?? name.en) : (name.en ?? name.id)) ?? '',
    };
    if (r.given) {
      if (r.given.currency !== r.currency)
        throw AppError.field(at('unitPrice.currency'), 'currency', `must be ${r.currency}`, {
          currency: r.currency,
        });
      return { ...found, unitPrice: r.given };
    }
    try {
      const answer = await this.lookup.lookup(ctx, {
        productId: r.productId,
        currency: r.currency,
        quantity: r.quantity,
        date: r.date,
        accountId: r.accountId ?? undefined,
      });
      return {
        ...found,
        unitPrice: { amount: answer.data[0].unitPrice.amount, currency: r.currency },
      };
    } catch (e) {
      if (e instanceof AppError && e.code === 'price_not_found')
        throw new AppError('line_price_not_found', { ...e.params, field: at('unitPrice') }, [
          {
            field: at('unitPrice'),
            rule: 'priceNotFound',
            message: `no price book in ${r.currency} prices this product; give unitPrice`,
          },
        ]);
      throw e;
    }
  }
}
