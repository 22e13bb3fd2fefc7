import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import type { Selection } from './configuration-model.js';
import {
  ConfigurationPricingService,
  type ConfigurationSnapshot,
} from './configuration-pricing.service.js';
import { CONFIGURATION_DEFINITION } from './configurator.definitions.js';
import { CONFIGURATION_PRICED } from './configurator.events.js';

/** What a saved configuration is priced from; a change to any of them prices it again. */
const PRICING_INPUTS = ['productId', 'accountId', 'currency', 'quantity', 'selections', 'day'];

/**
 * Saved configurations: a configuration that passes its rules, priced when written. The
 * priced lines and total are kept with it, so a quote can take them over by id.
 */
@Injectable()
export class ConfigurationsService extends RecordResourceService {
  readonly def = CONFIGURATION_DEFINITION;
  protected override readonly pointsAt = { productId: 'products', accountId: 'accounts' };
  /** The pricing of a write, from its checks to the columns it stores. */
  private readonly pricedWrites = new WeakMap<object, ConfigurationSnapshot>();

  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.priceRecord(ctx, r, changed, existing),
    derive: (r) => {
      const priced = this.pricedWrites.get(r);
      if (!priced) return {};
      return {
        lines: JSON.stringify(priced.lines),
        total_amount: priced.total.amount,
        total_currency: priced.total.currency,
        priced_at: new Date(),
      };
    },
    afterWrite: (_tx, write) => {
      const total = write.after.total as ConfigurationSnapshot['total'];
      const before = (write.before?.total as ConfigurationSnapshot['total'] | null) ?? null;
      const repriced =
        (write.action === 'create' || write.action === 'update') &&
        JSON.stringify(before) !== JSON.stringify(total);
      if (!repriced) return Promise.resolve();
      return Promise.resolve({
        events: [
          CONFIGURATION_PRICED.of(write.after.id, {
            productId: write.after.productId as string,
            accountId: (write.after.accountId as string | null) ?? null,
            total,
            previousTotal: before,
            ownerId: write.after.ownerId,
            teamId: write.after.teamId,
          }),
        ],
      });
    },
  };

  constructor(
    records: RecordService,
    private readonly pricing: ConfigurationPricingService,
  ) {
    super(records);
  }

  private async priceRecord(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (existing && !PRICING_INPUTS.some((k) => changed.has(k))) return;
    if (changed.has('productId'))
      await this.records.mustReference(
        ctx,
        'products',
        record.productId as string,
        'productId',
        'a product',
      );
    if (changed.has('accountId') && record.accountId)
      await this.records.mustReference(
        ctx,
        'accounts',
        record.accountId as string,
        'accountId',
        'an account',
      );
    const priced = await this.pricing.price(ctx, {
      productId: record.productId as string,
      accountId: (record.accountId as string | null | undefined) ?? null,
      currency: record.currency as string,
      quantity: record.quantity as string,
      selections: record.selections as Selection[],
      day: (record.day as string | null | undefined) ?? null,
    });
    record.productId = priced.productId;
    record.selections = priced.selections;
    this.pricedWrites.set(record, priced);
  }
}
