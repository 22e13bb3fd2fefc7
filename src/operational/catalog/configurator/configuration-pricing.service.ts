import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import { choosePrice } from '../prices/price-choice.js';
import { todayIn } from '../catalog-rules.js';
import { PriceLookupService } from '../prices/price-lookup.service.js';
import { ConfigurationModelLoader } from './configuration-model.loader.js';
import type { ConfigurationModel, MoneyValue, Selection } from './configuration-model.js';
import {
  chooseDiscount,
  priceConfiguration,
  type PricedConfiguration,
  type PricedLine,
} from './configuration-pricing.js';
import { checkConfiguration, type Violation } from './configuration-rules.js';
import { CONFIGURATION_DEFINITION } from './configurator.definitions.js';

/** A configuration to check or price, as the API and saved configurations give it. */
export interface ConfigurationInput {
  productId: string;
  currency: string;
  accountId?: string | null;
  quantity: string;
  selections: readonly Selection[];
  /** Defaults to today in the organization's time zone. */
  day?: string | null;
}

/** A priced configuration: what it is, its lines and total, rounded to the currency. */
export interface ConfigurationSnapshot extends PricedConfiguration {
  productId: string;
  accountId: string | null;
  selections: Selection[];
}

export type { PricedLine, MoneyValue };

export interface ConfigurationCheck {
  valid: boolean;
  violations: Violation[];
}

/**
 * Checks and prices configurations of a configurable product for the caller: loads the model
 * and the price book candidates under the caller's rights, then hands them to the plain
 * functions checkConfiguration and priceConfiguration.
 */
@Injectable()
export class ConfigurationPricingService {
  constructor(
    private readonly loader: ConfigurationModelLoader,
    private readonly prices: PriceLookupService,
    private readonly records: RecordService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** Every rule the configuration breaks; 404 for a product or account out of reach. */
  async check(ctx: RequestContext, input: ConfigurationInput): Promise<ConfigurationCheck> {
    const { model, selections, day } = await this.prepare(ctx, input);
    if (input.accountId) await this.prices.segmentOf(ctx, input.accountId);
    const violations = checkConfiguration(model, selections, day, ctx.locale);
    return { valid: violations.length === 0, violations };
  }

  /**
   * The configuration's lines and total in its currency; 422 `configuration_invalid` with
   * every violation when it breaks a rule, 404 `price_not_found` when the product or an
   * option product has no price in the currency.
   */
  async price(ctx: RequestContext, input: ConfigurationInput): Promise<ConfigurationSnapshot> {
    const { model, selections, day } = await this.prepare(ctx, input);
    const accountId = input.accountId?.toLowerCase() ?? null;
    const segment = accountId ? await this.prices.segmentOf(ctx, accountId) : null;
    const violations = checkConfiguration(model, selections, day, ctx.locale);
    if (violations.length)
      throw new AppError(
        'configuration_invalid',
        { sku: model.product.sku, count: violations.length },
        undefined,
        { violations },
      );
    const productIds = [
      model.product.id,
      ...selections.flatMap((s) => model.options.get(s.optionId)?.optionProduct?.id ?? []),
    ];
    const [candidates, discounts] = await Promise.all([
      this.prices.candidates(ctx, [...new Set(productIds)], input.currency, null),
      this.loader.discounts(ctx, model.product.id),
    ]);
    const priced = priceConfiguration(
      model,
      { currency: input.currency, quantity: input.quantity, selections, date: day },
      (productId, quantity) => {
        const choice = choosePrice(candidates.get(productId) ?? [], day, quantity, segment);
        return (
          choice && {
            unitPrice: choice.candidate.unitPrice,
            minQuantity: choice.candidate.minQuantity,
            priceBookId: choice.candidate.bookId,
            entryId: choice.candidate.entryId,
          }
        );
      },
      chooseDiscount(discounts, model.product.id, day, segment),
      ctx.locale,
    );
    return { productId: model.product.id, accountId, selections: [...selections], ...priced };
  }

  /**
   * Prices a saved configuration again, as the caller may read it (404 otherwise): its
   * product, options, account, currency and quantity at today's prices, or on `day` when
   * given, else on the day the configuration names. What a quote line takes over.
   */
  async priceSaved(
    ctx: RequestContext,
    configurationId: string,
    options: { day?: string } = {},
  ): Promise<ConfigurationSnapshot> {
    const saved = await this.records.load(ctx, CONFIGURATION_DEFINITION, configurationId);
    return this.price(ctx, {
      productId: saved.productId as string,
      accountId: saved.accountId as string | null,
      currency: saved.currency as string,
      quantity: saved.quantity as string,
      selections: saved.selections as Selection[],
      day: options.day ?? (saved.day as string | null),
    });
  }

  private async prepare(
    ctx: RequestContext,
    input: ConfigurationInput,
  ): Promise<{ model: ConfigurationModel; selections: Selection[]; day: string }> {
    const day = input.day ?? todayIn(this.config.organization.timeZone);
    const selections = input.selections.map((s) => ({
      optionId: s.optionId.toLowerCase(),
      ...(s.quantity !== undefined ? { quantity: s.quantity } : {}),
    }));
    const model = await this.loader.load(
      ctx,
      input.productId.toLowerCase(),
      selections.map((s) => s.optionId),
      day,
    );
    return { model, selections, day };
  }
}
