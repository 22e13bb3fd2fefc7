import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import { CATALOG_SECTION, defaultTaxCategory, type CatalogConfig } from '../catalog.config.js';
import { PRODUCT_DEFINITION } from '../catalog.definitions.js';
import { checkLanguages, checkNotNegative, checkWindow } from '../catalog-rules.js';
import { searchText } from '../dto/localized-text.dto.js';

/**
 * Products: a SKU unique among live products whatever its case, a name in at least one
 * language, a configured tax category, a readable family, and an availability window.
 */
@Injectable()
export class ProductsService extends RecordResourceService {
  readonly def = PRODUCT_DEFINITION;
  private readonly catalog: CatalogConfig;

  protected override readonly hooks: RecordHooks = {
    derive: (r) => ({
      search_name: searchText(r.name, r.description),
      ...(r.taxCategory === undefined ? { tax_category: defaultTaxCategory(this.catalog) } : {}),
    }),
    validate: (ctx, r, changed, existing) => this.validateProduct(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(records);
    this.catalog = CATALOG_SECTION.read(config);
  }

  private async validateProduct(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    checkLanguages(record, changed, ['name', 'description']);
    checkWindow(record, 'availableFrom', 'availableTo');
    checkNotNegative(record, 'costPrice');
    if (changed.has('taxCategory')) {
      const keys = this.catalog.taxCategories.map((c) => c.key);
      if (!keys.includes(record.taxCategory as string))
        throw AppError.field('taxCategory', 'isIn', `must be one of: ${keys.join(', ')}`, {
          values: keys.join(', '),
        });
    }
    if (changed.has('familyId') && record.familyId)
      await this.records.mustReference(
        ctx,
        'product-families',
        record.familyId as string,
        'familyId',
        'a product family',
      );
    if (changed.has('sku')) {
      const taken = await this.db.one<{ id: string }>(
        ctx,
        `SELECT id FROM products WHERE lower(sku) = lower($1) AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid LIMIT 1`,
        [record.sku, existing?.id ?? null],
      );
      if (taken)
        throw new AppError('unique_violation', { field: 'sku' }, undefined, {
          existingId: taken.id,
        });
    }
  }
}
