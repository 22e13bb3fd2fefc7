import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import type { MoneyValue } from './configuration-model.js';
import { ConfigurationPricingService } from './configuration-pricing.service.js';

/** One option of a configuration as priced: its share of one configured unit's price. */
export interface ConfiguredOption {
  optionId: string;
  description: string;
  /** The option's amount over the configured quantity, to the minor unit. */
  unitAmount: MoneyValue;
}

/** What a saved configuration gives a quote or opportunity line. */
export interface ConfiguredLine {
  productId: string;
  currency: string;
  /** The configuration's total over its configured quantity, to the minor unit. */
  unitPrice: MoneyValue;
  quantity: string;
  total: MoneyValue;
  /** The options chosen, at the prices of this pricing: what a proposal prints as quoted. */
  options: ConfiguredOption[];
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
    const perUnit = (amount: string): MoneyValue => ({
      amount: roundMoney(new Money(amount).dividedBy(snapshot.quantity), snapshot.currency),
      currency: snapshot.currency,
    });
    return {
      productId: snapshot.productId,
      currency: snapshot.currency,
      unitPrice: perUnit(snapshot.total.amount),
      quantity: snapshot.quantity,
      total: snapshot.total,
      options: snapshot.lines
        .filter((l) => l.optionId !== null)
        .map((l) => ({
          optionId: l.optionId!,
          description: l.description,
          unitAmount: perUnit(l.amount.amount),
        })),
    };
  }

  /**
   * The pricing of a line being created that may sell a configuration: null without one
   * (then the line must name its product), else the configuration's price and options, with
   * the line's `productId` set to the configuration's product. `mismatch` is the line's own
   * answer to a configuration in another currency than `currency`.
   */
  async forLine(
    ctx: RequestContext,
    line: Record<string, unknown>,
    currency: string,
    mismatch: (found: string) => AppError,
  ): Promise<ConfiguredLine | null> {
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
    return priced;
  }
}
