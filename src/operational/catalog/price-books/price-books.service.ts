import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import { PRICE_BOOK_DEFINITION } from '../catalog.definitions.js';
import { checkWindow } from '../catalog-rules.js';

/** The segment criteria of a book; an account must match every one that is set. */
export const PRICE_BOOK_CRITERIA = ['accountType', 'industry', 'tier'] as const;

/**
 * Price books: one standard book per currency (checked here for a clear answer, enforced by
 * a unique index against races) which, being every account's fallback, has no criteria.
 */
@Injectable()
export class PriceBooksService extends RecordResourceService {
  readonly def = PRICE_BOOK_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateBook(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateBook(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    checkWindow(record, 'validFrom', 'validTo');
    if (!record.isStandard) return;
    const criterion = PRICE_BOOK_CRITERIA.find(
      (c) => record[c] !== null && record[c] !== undefined,
    );
    if (criterion)
      throw AppError.field(
        criterion,
        'standardHasNoCriteria',
        'must be empty on a standard price book, which prices every account',
      );
    if (!changed.has('isStandard')) return;
    const other = await this.db.one<{ id: string }>(
      ctx,
      `SELECT id FROM price_books WHERE currency = $1 AND is_standard AND deleted_at IS NULL AND id IS DISTINCT FROM $2::uuid LIMIT 1`,
      [record.currency, existing?.id ?? null],
    );
    if (other)
      throw new AppError(
        'standard_price_book_exists',
        { currency: record.currency, existingId: other.id },
        undefined,
        { existingId: other.id },
      );
  }
}
