import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, problemText } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { RecordService, querySchemaOf, type ApiRecord } from '#platform/records/index.js';
import { CATALOG_SECTION } from '../catalog.config.js';
import {
  PRICE_BOOK_DEFINITION,
  PRICE_BOOK_ENTRY_DEFINITION,
  PRODUCT_DEFINITION,
} from '../catalog.definitions.js';
import { assertSellable, nameIn, todayIn } from '../catalog-rules.js';
import type {
  PriceDto,
  PriceListDto,
  PriceQueryDto,
  UnpricedProductDto,
} from '../dto/price.dto.js';
import { choosePrice, explain, type AccountSegment, type PriceCandidate } from './price-choice.js';

/**
 * Answers what a product costs an account on a day: each product must be readable, active
 * and available that day; the price comes from the books the caller may read, chosen by
 * choosePrice. Prices are never converted: a currency without a book answers 404.
 */
@Injectable()
export class PriceLookupService {
  private readonly tierField: string;

  constructor(
    private readonly records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    this.tierField = CATALOG_SECTION.read(config).accountTierField;
  }

  /**
   * `only.priceBookId` limits the choice to one book (a quote priced from its own book);
   * the other rules stay the same.
   */
  async lookup(
    ctx: RequestContext,
    query: PriceQueryDto,
    only: { priceBookId?: string | null } = {},
  ): Promise<PriceListDto> {
    const ids = [
      ...new Set(
        [query.productId, ...(query.productIds?.split(',') ?? [])]
          .filter((v): v is string => v !== undefined)
          .map((v) => v.toLowerCase()),
      ),
    ];
    if (ids.length === 0)
      throw AppError.field('productId', 'required', 'give productId or productIds');
    const quantity = query.quantity ?? '1';
    if (!new Money(quantity).gt(0))
      throw AppError.field('quantity', 'min', 'must be more than zero', { min: 0 });
    const currency = query.currency ?? this.config.organization.defaultCurrency;
    const day = query.date ?? todayIn(this.config.organization.timeZone);
    this.permissions.require(ctx.user, PRICE_BOOK_DEFINITION.entity, 'read');
    this.permissions.require(ctx.user, PRICE_BOOK_ENTRY_DEFINITION.entity, 'read');

    const segment = query.accountId ? await this.segmentOf(ctx, query.accountId) : null;
    // Several products (`productIds`) are answered each on its own: one that cannot be priced
    // goes to `unpriced` with its problem. One product alone answers its problem as the error.
    const unpriced: UnpricedProductDto[] = [];
    const setAside = (productId: string, e: unknown): void => {
      if (query.productIds === undefined || !(e instanceof AppError)) throw e;
      unpriced.push({
        productId,
        status: e.status,
        code: e.code,
        ...problemText(e.code, ctx.locale, e.params),
      });
    };
    const products: ApiRecord[] = [];
    for (const id of ids) {
      try {
        const product = await this.records.load(ctx, PRODUCT_DEFINITION, id);
        assertSellable(product, day);
        products.push(product);
      } catch (e) {
        setAside(id, e);
      }
    }

    const candidates = await this.candidates(
      ctx,
      products.map((p) => p.id),
      currency,
      only.priceBookId ?? null,
    );
    const data = products.flatMap((product): PriceDto[] => {
      const choice = choosePrice(candidates.get(product.id) ?? [], day, quantity, segment);
      if (!choice) {
        setAside(
          product.id,
          new AppError('price_not_found', { sku: product.sku, currency, date: day, quantity }),
        );
        return [];
      }
      const c = choice.candidate;
      return [
        {
          productId: product.id,
          sku: product.sku as string,
          productName: nameIn(product.name, ctx.locale),
          unitPrice: { amount: c.unitPrice, currency },
          quantity,
          priceBook: {
            id: c.bookId,
            name: c.bookName,
            isStandard: c.isStandard,
            accountType: c.accountType,
            industry: c.industry,
            tier: c.tier,
          },
          entry: {
            id: c.entryId,
            minQuantity: c.minQuantity,
            validFrom: c.entryValidFrom,
            validTo: c.entryValidTo,
          },
          rule: choice.rule,
          reason: explain(choice),
        },
      ];
    });
    return {
      data,
      unpriced,
      currency,
      date: day,
      accountId: query.accountId?.toLowerCase() ?? null,
    };
  }

  /** The account's type, industry and tier; 404 when the caller may not read it. */
  async segmentOf(ctx: RequestContext, accountId: string): Promise<AccountSegment> {
    const account = await this.records.load(ctx, ACCOUNT_DEFINITION, accountId);
    const tier = (account.customFields as Record<string, unknown> | null)?.[this.tierField];
    return {
      accountType: account.type as string,
      industry: (account.industry as string | null) ?? null,
      tier: typeof tier === 'string' || typeof tier === 'number' ? String(tier) : null,
    };
  }

  /** Entries of the products in active books of the currency, within the caller's read scope. */
  async candidates(
    ctx: RequestContext,
    productIds: string[],
    currency: string,
    priceBookId: string | null,
  ): Promise<Map<string, PriceCandidate[]>> {
    const params = new SqlParams();
    const ids = params.add(productIds);
    const cur = params.add(currency);
    const book = priceBookId ? `AND pb.id = ${params.add(priceBookId)}` : '';
    const bookScope = this.scope(ctx, PRICE_BOOK_DEFINITION, params);
    const entryScope = this.scope(ctx, PRICE_BOOK_ENTRY_DEFINITION, params);
    const rows = await this.db.query<PriceCandidate & { productId: string }>(
      ctx,
      `SELECT pe.product_id AS "productId", pb.id AS "bookId", pb.name AS "bookName",
              pb.is_standard AS "isStandard", pb.account_type AS "accountType",
              pb.industry, pb.tier, pb.valid_from AS "bookValidFrom", pb.valid_to AS "bookValidTo",
              to_char(pb.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "bookCreatedAt",
              pe.id AS "entryId", pe.unit_price_amount::text AS "unitPrice",
              pe.min_quantity::text AS "minQuantity", pe.valid_from AS "entryValidFrom",
              pe.valid_to AS "entryValidTo"
         FROM price_book_entries pe JOIN price_books pb ON pb.id = pe.price_book_id
        WHERE pe.product_id = ANY(${ids}::uuid[]) AND pb.currency = ${cur}
          AND pb.active AND pb.deleted_at IS NULL AND pe.deleted_at IS NULL
          AND ${bookScope} AND ${entryScope} ${book}`,
      params.values,
    );
    const byProduct = new Map<string, PriceCandidate[]>();
    for (const { productId, ...candidate } of rows) {
      const list = byProduct.get(productId) ?? [];
      list.push(candidate);
      byProduct.set(productId, list);
    }
    return byProduct;
  }

  private scope(ctx: RequestContext, def: typeof PRICE_BOOK_DEFINITION, params: SqlParams): string {
    const scope = this.permissions.grant(ctx.user, def.entity).read;
    return this.permissions.scopeSql(ctx.user, scope, querySchemaOf(def), def.alias, params);
  }
}
