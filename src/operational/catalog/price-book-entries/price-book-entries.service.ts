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
import { PRICE_BOOK_ENTRY_DEFINITION } from '../catalog.definitions.js';
import { checkNotNegative, checkWindow } from '../catalog-rules.js';

/**
 * Price book entries: a readable book and an active product, a unit price in the book's
 * currency, and one entry per book, product and minimum quantity.
 */
@Injectable()
export class PriceBookEntriesService extends RecordResourceService {
  readonly def = PRICE_BOOK_ENTRY_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateEntry(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateEntry(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    checkWindow(record, 'validFrom', 'validTo');
    if (!record.unitPrice) throw AppError.field('unitPrice', 'required', 'is required');
    checkNotNegative(record, 'unitPrice');
    const minQuantity = (record.minQuantity as string | undefined) ?? '1';
    if (!new Money(minQuantity).isPositive() || new Money(minQuantity).isZero())
      throw AppError.field('minQuantity', 'min', 'must be more than zero', { min: 0 });
    const bookId = record.priceBookId as string;
    if (!existing) {
      await this.records.mustReference(ctx, 'price-books', bookId, 'priceBookId', 'a price book');
      await this.records.mustReference(
        ctx,
        'products',
        record.productId as string,
        'productId',
        'a product',
      );
      const product = await this.db.one<{ sku: string; active: boolean }>(
        ctx,
        `SELECT sku, active FROM products WHERE id = $1`,
        [record.productId],
      );
      if (!product!.active) throw new AppError('product_inactive', { sku: product!.sku });
    }
    if (changed.has('unitPrice') || !existing) {
      const book = await this.db.one<{ currency: string }>(
        ctx,
        `SELECT currency FROM price_books WHERE id = $1`,
        [bookId],
      );
      const currency = (record.unitPrice as { currency: string }).currency;
      if (book!.currency.trim() !== currency)
        throw new AppError(
          'price_book_currency_mismatch',
          { bookCurrency: book!.currency.trim(), currency },
          [{ field: 'unitPrice.currency', rule: 'equals', message: `must be ${book!.currency}` }],
        );
    }
    if (!existing || changed.has('minQuantity')) {
      const taken = await this.db.one<{ id: string }>(
        ctx,
        `SELECT id FROM price_book_entries
          WHERE price_book_id = $1 AND product_id = $2 AND min_quantity = $3::numeric
            AND deleted_at IS NULL AND id IS DISTINCT FROM $4::uuid LIMIT 1`,
        [bookId, record.productId, minQuantity, existing?.id ?? null],
      );
      if (taken)
        throw new AppError(
          'unique_violation',
          { field: 'priceBookId, productId and minQuantity' },
          undefined,
          { existingId: taken.id },
        );
    }
  }
}
