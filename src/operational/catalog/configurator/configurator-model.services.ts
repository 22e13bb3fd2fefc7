import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { Money } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import { checkLanguages, checkWindow } from '../catalog-rules.js';
import type { MoneyValue } from './configuration-model.js';
import {
  BUNDLE_DEFINITION,
  DISCOUNT_DEFINITION,
  OPTION_DEFINITION,
  OPTION_GROUP_DEFINITION,
  OPTION_RULE_DEFINITION,
} from './configurator.definitions.js';

type Changed = ReadonlySet<string>;

/** The product a record is for must be one the caller may read. */
function referenceProduct(records: RecordService, ctx: RequestContext, id: string): Promise<void> {
  return records.mustReference(ctx, 'products', id, 'productId', 'a product');
}

const PARENTS = {
  groupId: {
    entity: 'product-option-groups',
    table: 'product_option_groups',
    noun: 'an option group',
  },
  optionId: { entity: 'product-options', table: 'product_options', noun: 'an option' },
} as const;

/** The configurable product of the group or option a new record hangs under, which must be readable. */
async function productOfParent(
  records: RecordService,
  db: DatabaseService,
  ctx: RequestContext,
  field: keyof typeof PARENTS,
  id: string,
): Promise<string> {
  const parent = PARENTS[field];
  await records.mustReference(ctx, parent.entity, id, field, parent.noun);
  const row = await db.one<{ product_id: string }>(
    ctx,
    `SELECT product_id FROM ${parent.table} WHERE id = $1`,
    [id],
  );
  return row!.product_id;
}

/** A lower bound at most the upper one, when both are set. */
function checkRange(record: Record<string, unknown>, min: string, max: string): void {
  const low = record[min] as string | number | null | undefined;
  const high = record[max] as string | number | null | undefined;
  if (low !== null && low !== undefined && high !== null && high !== undefined)
    if (new Money(high).lt(low))
      throw AppError.field(max, 'min', `must be at least ${min} (${low})`, { min: low });
}

/** Options named by a record must be live options of the same configurable product. */
async function checkOptionsOf(
  db: DatabaseService,
  ctx: RequestContext,
  productId: string,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (new Set(ids).size !== ids.length)
    throw AppError.field(field, 'unique', 'must not name an option twice');
  const rows = await db.query<{ id: string }>(
    ctx,
    `SELECT id FROM product_options WHERE id = ANY($1::uuid[]) AND product_id = $2 AND deleted_at IS NULL`,
    [ids, productId],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length)
    throw AppError.field(
      field,
      'notFound',
      `names options that are not options of this product: ${missing.join(', ')}`,
    );
}

/** Option groups: a name, a readable product, min choices at most max choices. */
@Injectable()
export class OptionGroupsService extends RecordResourceService {
  readonly def = OPTION_GROUP_DEFINITION;
  protected override readonly pointsAt = { productId: 'products' };
  protected override readonly hooks: RecordHooks = {
    validate: async (ctx, r, changed, existing) => {
      checkLanguages(r, changed, ['name']);
      checkRange(r, 'minChoices', 'maxChoices');
      if (!existing) await referenceProduct(this.records, ctx, r.productId as string);
    },
  };

  constructor(records: RecordService) {
    super(records);
  }
}

/**
 * Options: in a readable group, whose product they take; either another product (not the
 * configurable one itself) or surcharges, one per currency and none negative.
 */
@Injectable()
export class OptionsService extends RecordResourceService {
  readonly def = OPTION_DEFINITION;
  protected override readonly pointsAt = { optionProductId: 'products' };
  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateOption(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateOption(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: Changed,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (record.name !== null && record.name !== undefined)
      checkLanguages(record, changed, ['name']);
    const minQuantity = (record.minQuantity as string | undefined) ?? '1';
    if (!new Money(minQuantity).gt(0))
      throw AppError.field('minQuantity', 'min', 'must be more than zero', { min: 0 });
    checkRange(record, 'minQuantity', 'maxQuantity');
    const surcharges = (record.surcharges as MoneyValue[] | undefined) ?? [];
    surcharges.forEach((s, i) => {
      if (new Money(s.amount).isNegative())
        throw AppError.field(`surcharges[${i}].amount`, 'min', 'must not be negative', { min: 0 });
    });
    if (new Set(surcharges.map((s) => s.currency)).size !== surcharges.length)
      throw AppError.field('surcharges', 'unique', 'must give one surcharge per currency');
    const isProduct = Boolean(record.optionProductId);
    if (isProduct === surcharges.length > 0)
      throw AppError.field(
        isProduct ? 'surcharges' : 'optionProductId',
        'exactlyOne',
        'an option is either a product (optionProductId) or surcharges, not both nor neither',
      );
    if (existing) return;
    record.productId = await productOfParent(
      this.records,
      this.db,
      ctx,
      'groupId',
      record.groupId as string,
    );
    if (isProduct) {
      const sub = record.optionProductId as string;
      await this.records.mustReference(ctx, 'products', sub, 'optionProductId', 'a product');
      if (sub.toLowerCase() === record.productId)
        throw AppError.field('optionProductId', 'notSelf', 'must not be the configured product');
    }
  }
}

/** Bundles: a readable product and two or more of its options, at a percent off. */
@Injectable()
export class BundlesService extends RecordResourceService {
  readonly def = BUNDLE_DEFINITION;
  protected override readonly pointsAt = { productId: 'products' };
  protected override readonly hooks: RecordHooks = {
    validate: async (ctx, r, changed, existing) => {
      checkLanguages(r, changed, ['name']);
      if (!existing) await referenceProduct(this.records, ctx, r.productId as string);
      if (!existing || changed.has('optionIds'))
        await checkOptionsOf(
          this.db,
          ctx,
          r.productId as string,
          r.optionIds as string[],
          'optionIds',
        );
    },
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }
}

/**
 * Rules: on a readable option, whose product they take; targets are other options of the
 * same product; a quantity limit sets a bound, every other kind names a target.
 */
@Injectable()
export class OptionRulesService extends RecordResourceService {
  readonly def = OPTION_RULE_DEFINITION;
  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateRule(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateRule(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: Changed,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (record.message !== null && record.message !== undefined)
      checkLanguages(record, changed, ['message']);
    checkRange(record, 'minQuantity', 'maxQuantity');
    const targets = (record.targetOptionIds as string[] | undefined) ?? [];
    record.targetOptionIds = targets;
    if (record.kind === 'quantity-limit') {
      if (record.minQuantity == null && record.maxQuantity == null)
        throw AppError.field('maxQuantity', 'required', 'a quantity limit needs a min or max');
    } else if (targets.length === 0)
      throw AppError.field(
        'targetOptionIds',
        'required',
        `a ${String(record.kind)} rule names options`,
      );
    if (targets.some((t) => t.toLowerCase() === String(record.optionId).toLowerCase()))
      throw AppError.field('targetOptionIds', 'notSelf', 'must not name the rule’s own option');
    if (!existing)
      record.productId = await productOfParent(
        this.records,
        this.db,
        ctx,
        'optionId',
        record.optionId as string,
      );
    if (!existing || changed.has('targetOptionIds'))
      await checkOptionsOf(this.db, ctx, record.productId as string, targets, 'targetOptionIds');
  }
}

/** Segment discounts: a validity window and, when set, a readable product. */
@Injectable()
export class ConfigurationDiscountsService extends RecordResourceService {
  readonly def = DISCOUNT_DEFINITION;
  protected override readonly pointsAt = { productId: 'products' };
  protected override readonly hooks: RecordHooks = {
    validate: async (ctx, r, changed) => {
      checkWindow(r, 'validFrom', 'validTo');
      if (changed.has('productId') && r.productId)
        await referenceProduct(this.records, ctx, r.productId as string);
    },
  };

  constructor(records: RecordService) {
    super(records);
  }
}
