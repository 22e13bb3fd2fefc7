import { Inject, Injectable } from '@nestjs/common';
import { ConfiguredLinePricing, repricesFromBook } from '#operational/catalog/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';
import { checkDiscount, checkQuantity, dayIn, lineTotal, LinePricing } from './line-pricing.js';
import { OpportunityAmount } from './opportunity-amount.js';
import { OPPORTUNITY_LINE_DEFINITION } from './opportunity-line.definition.js';

type Price = { amount: string; currency: string };

/**
 * Line items of opportunities. A line belongs to its opportunity in every respect: whoever
 * may update the opportunity may write its lines, the line takes the opportunity's owner and
 * team (so reads follow the opportunity's scope), its price is in the opportunity's currency,
 * and every write sets the opportunity's amount to the total of its lines in the same
 * transaction — so the pipeline board and the forecasts, which read that amount, follow.
 */
@Injectable()
export class OpportunityLinesService extends RecordResourceService {
  readonly def = OPPORTUNITY_LINE_DEFINITION;
  protected override readonly pointsAt = { opportunityId: 'opportunities', productId: 'products' };

  protected override readonly hooks: RecordHooks = {
    // Null in a create body means "not given" for the fields that have a default. A price
    // the request gives is the seller's; null (or none on create) leaves it to the books.
    shape: (input, existing) => ({
      ...input,
      ...(existing
        ? {}
        : { discountPercent: input.discountPercent ?? '0', position: input.position ?? 0 }),
      ...(input.unitPrice !== undefined || !existing
        ? { priceSource: input.unitPrice ? 'manual' : 'price_book' }
        : {}),
    }),
    validate: (ctx, r, changed, existing) => this.validateLine(ctx, r, changed, existing),
    derive: (r) => {
      const price = r.unitPrice as Price;
      return {
        // Written on every update, as the books may have priced a new quantity again.
        unit_price_amount: price.amount,
        unit_price_currency: price.currency,
        total_amount: lineTotal(
          r.quantity as string,
          price.amount,
          r.discountPercent as string,
          price.currency,
        ),
        total_currency: price.currency,
      };
    },
    assignOwnership: async (ctx, r) => {
      const opportunity = await this.records.load(
        ctx,
        OPPORTUNITY_DEFINITION,
        r.opportunityId as string,
      );
      return { ownerId: opportunity.ownerId, teamId: opportunity.teamId };
    },
    afterWrite: async (tx, { after }) => {
      await this.amounts.follow(tx, after.opportunityId as string);
    },
  };

  constructor(
    records: RecordService,
    private readonly pricing: LinePricing,
    private readonly permissions: PermissionEvaluator,
    private readonly amounts: OpportunityAmount,
    private readonly configured: ConfiguredLinePricing,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(records);
  }

  private async validateLine(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (!existing)
      await this.records.mustReference(
        ctx,
        'opportunities',
        r.opportunityId as string,
        'opportunityId',
        'an opportunity',
      );
    // Locked so that concurrent writes of its lines sum one after the other.
    const opportunity = await this.records.load(
      ctx,
      OPPORTUNITY_DEFINITION,
      r.opportunityId as string,
      { forUpdate: true },
    );
    const may = this.permissions.grant(ctx.user, OPPORTUNITY_DEFINITION.entity).update;
    if (!this.permissions.inScope(ctx.user, may, opportunity))
      throw AppError.forbidden('update', 'opportunities');
    if (changed.has('quantity')) checkQuantity(r.quantity as string);
    if (changed.has('discountPercent')) checkDiscount(r.discountPercent as string);
    const currency =
      (opportunity.amount as Price | null)?.currency ?? this.config.organization.defaultCurrency;
    if (existing && !changed.has('unitPrice')) {
      if (!repricesFromBook(existing, r, changed)) return;
      r.unitPrice = null;
    }
    const configured = existing
      ? null
      : await this.configured.forLine(ctx, r, currency, () =>
          AppError.field('configurationId', 'currency', `must be a configuration in ${currency}`, {
            currency,
          }),
        );
    const price = await this.pricing.price(ctx, {
      productId: r.productId as string,
      quantity: r.quantity as string,
      currency,
      given: (r.unitPrice as Price | null | undefined) ?? configured?.unitPrice,
      date: dayIn(new Date(), this.config.organization.timeZone),
      accountId: opportunity.accountId as string,
    });
    // A price taken from the books stays until the quantity changes: later book changes leave it.
    r.unitPrice = price.unitPrice;
  }
}
