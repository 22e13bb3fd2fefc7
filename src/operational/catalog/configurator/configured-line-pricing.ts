import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import type { MoneyValue } from './configuration-model.js';
import { ConfigurationPricingService } from './configuration-pricing.service.js';

/** What a saved configuration gives a quote or opportunity line. */
export interface ConfiguredLine {
  productId: string;
  currency: string;
  /** The configuration's total over its configured quantity, to the minor unit. */
  unitPrice: MoneyValue;
  quantity: string;
  total: MoneyValue;
}

/**
 * A sales line that sells a saved configuration: its product is the configuration's, and
 * its unit price the configuration's total priced again today divided by the configured
 * quantity (rounded to the currency's minor unit), so a line of that quantity is worth the
 * configuration's total, give or take that rounding.
 */
@Injectable()
export class ConfiguredLinePricing {
  constructor(
    private readonly records: RecordService,
    private readonly pricing: ConfigurationPricingService,
  ) {}

  /** 422 on `configurationId` outside the caller's read scope, or on a `productId` not its own. */
  async price(
    ctx: RequestContext,
    configurationId: string,
    productId?: string | null,
  ): Promise<ConfiguredLine> {
    await this.records.mustReference(
      ctx,
      'configurations',
      configurationId,
      'configurationId',
      'a saved configuration',
    );
    const snapshot = await this.pricing.priceSaved(ctx, configurationId);
    if (productId && productId.toLowerCase() !== snapshot.productId)
      throw AppError.field('productId', 'equals', "must be the configuration's product", {
        expected: snapshot.productId,
      });
    const unit = roundMoney(
      new Money(snapshot.total.amount).dividedBy(snapshot.quantity),
      snapshot.currency,
    );
    return {
      productId: snapshot.productId,
      currency: snapshot.currency,
      unitPrice: { amount: unit, currency: snapshot.currency },
      quantity: snapshot.quantity,
      total: snapshot.total,
    };
  }

  /**
   * The unit price of a line being created that may sell a configuration: null without one
   * (then the line must name its product), else the configuration's price, with the line's
   * `productId` set to the configuration's product. `mismatch` is the line's own answer to a
   * configuration in another currency than `currency`.
   */
  async forLine(
    ctx: RequestContext,
    line: Record<string, unknown>,
    currency: string,
    mismatch: (found: string) => AppError,
  ): Promise<MoneyValue | null> {
    if (!line.configurationId) {
      if (!line.productId)
        throw AppError.field('productId', 'required', 'is required without configurationId');
      return null;
    }
    const priced = await this.price(
      ctx,
      line.configurationId as string,
      line.productId as string | undefined,
    );
    if (priced.currency !== currency) throw mismatch(priced.currency);
    line.productId = priced.productId;
    return priced.unitPrice;
  }
}
