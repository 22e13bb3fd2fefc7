import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { SqlParams } from '#platform/query/index.js';
import {
  RecordService,
  querySchemaOf,
  rowToRecord,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { PRODUCT_DEFINITION } from '../catalog.definitions.js';
import { assertSellable } from '../catalog-rules.js';
import type {
  Bundle,
  ConfigurationModel,
  LocalizedText,
  ModelProduct,
  MoneyValue,
  OptionGroup,
  OptionRule,
  ProductOption,
  RuleKind,
} from './configuration-model.js';
import type { SegmentDiscount } from './configuration-pricing.js';
import {
  BUNDLE_DEFINITION,
  DISCOUNT_DEFINITION,
  OPTION_DEFINITION,
  OPTION_GROUP_DEFINITION,
  OPTION_RULE_DEFINITION,
} from './configurator.definitions.js';

type Row = Record<string, unknown>;

const modelProduct = (r: Row, prefix = ''): ModelProduct => ({
  id: r[`${prefix}id`] as string,
  sku: r[`${prefix}sku`] as string,
  name: r[`${prefix}name`] as LocalizedText,
  active: r[`${prefix}active`] as boolean,
  availableFrom: (r[`${prefix}available_from`] as string | null) ?? null,
  availableTo: (r[`${prefix}available_to`] as string | null) ?? null,
});

/**
 * Reads what a configuration is checked and priced against, under the caller's rights: the
 * product must be readable, active and available that day (as for a price lookup); groups,
 * options, rules, bundles and discounts are those the caller's role lets it read.
 */
@Injectable()
export class ConfigurationModelLoader {
  constructor(
    private readonly records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  async load(
    ctx: RequestContext,
    productId: string,
    optionIds: readonly string[],
    day: string,
  ): Promise<ConfigurationModel> {
    const product = await this.records.load(ctx, PRODUCT_DEFINITION, productId);
    assertSellable(product, day);
    const id = product.id;
    const [groups, options, rules, bundles] = await Promise.all([
      this.rows(ctx, OPTION_GROUP_DEFINITION, 'pog.product_id = $1', [id]),
      this.options(ctx, id, optionIds),
      this.rows(ctx, OPTION_RULE_DEFINITION, 'por.product_id = $1 AND por.active', [id]),
      this.rows(ctx, BUNDLE_DEFINITION, 'pbu.product_id = $1 AND pbu.active', [id]),
    ]);
    return {
      product: {
        id,
        sku: product.sku as string,
        name: product.name as LocalizedText,
        active: true,
        availableFrom: product.availableFrom as string | null,
        availableTo: product.availableTo as string | null,
      },
      groups: groups.map((g): OptionGroup => ({
        id: g.id as string,
        name: g.name as LocalizedText,
        minChoices: g.min_choices as number,
        maxChoices: (g.max_choices as number | null) ?? null,
        required: g.required as boolean,
        sortOrder: g.sort_order as number,
        active: g.active as boolean,
      })),
      options,
      rules: rules.map((r): OptionRule => ({
        id: r.id as string,
        kind: r.kind as RuleKind,
        optionId: r.option_id as string,
        targetOptionIds: (r.target_option_ids as string[]).map((t) => t.toLowerCase()),
        minQuantity: decimal(r.min_quantity),
        maxQuantity: decimal(r.max_quantity),
        message: (r.message as LocalizedText | null) ?? null,
      })),
      bundles: bundles.map((b): Bundle => ({
        id: b.id as string,
        name: b.name as LocalizedText,
        optionIds: (b.option_ids as string[]).map((o) => o.toLowerCase()),
        discountPercent: String(b.discount_percent),
      })),
    };
  }

  /** Active segment discounts for the product or for every product. */
  async discounts(ctx: RequestContext, productId: string): Promise<SegmentDiscount[]> {
    const rows = await this.rows(
      ctx,
      DISCOUNT_DEFINITION,
      '(cdi.product_id IS NULL OR cdi.product_id = $1) AND cdi.active',
      [productId],
    );
    return rows.map((row) => {
      const d = rowToRecord(DISCOUNT_DEFINITION, row);
      return {
        id: d.id,
        name: d.name as string,
        productId: (d.productId as string | null) ?? null,
        accountType: (d.accountType as string | null) ?? null,
        industry: (d.industry as string | null) ?? null,
        tier: (d.tier as string | null) ?? null,
        discountPercent: String(d.discountPercent),
        validFrom: (d.validFrom as string | null) ?? null,
        validTo: (d.validTo as string | null) ?? null,
      };
    });
  }

  /** The product's options and any other option the request names, with their products. */
  private async options(
    ctx: RequestContext,
    productId: string,
    optionIds: readonly string[],
  ): Promise<Map<string, ProductOption>> {
    const rows = await this.rows(
      ctx,
      OPTION_DEFINITION,
      '(po.product_id = $1 OR po.id = ANY($2::uuid[]))',
      [productId, optionIds],
      `, op.id AS op_id, op.sku AS op_sku, op.name AS op_name,
         (op.active AND op.deleted_at IS NULL) AS op_active,
         op.available_from::text AS op_available_from, op.available_to::text AS op_available_to`,
      'LEFT JOIN products op ON op.id = po.option_product_id',
    );
    return new Map(
      rows.map((o): [string, ProductOption] => [
        o.id as string,
        {
          id: o.id as string,
          groupId: o.group_id as string,
          productId: o.product_id as string,
          name: (o.name as LocalizedText | null) ?? null,
          optionProduct: o.op_id ? modelProduct(o, 'op_') : null,
          surcharges: (o.surcharges as MoneyValue[] | null) ?? [],
          isDefault: o.is_default as boolean,
          minQuantity: String(o.min_quantity),
          maxQuantity: decimal(o.max_quantity),
          sortOrder: o.sort_order as number,
          active: o.active as boolean,
        },
      ]),
    );
  }

  private rows(
    ctx: RequestContext,
    def: ResourceDefinition,
    where: string,
    values: unknown[],
    extraSelect = '',
    join = '',
  ): Promise<Row[]> {
    const params = new SqlParams();
    values.forEach((v) => params.add(v));
    const scope = this.permissions.require(ctx.user, def.entity, 'read');
    const scopeSql = this.permissions.scopeSql(
      ctx.user,
      scope,
      querySchemaOf(def),
      def.alias,
      params,
    );
    return this.db.query<Row>(
      ctx,
      `SELECT ${def.alias}.*${extraSelect} FROM ${def.table} ${def.alias} ${join}
        WHERE ${where} AND ${def.alias}.deleted_at IS NULL AND ${scopeSql}`,
      params.values,
    );
  }
}

function decimal(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
