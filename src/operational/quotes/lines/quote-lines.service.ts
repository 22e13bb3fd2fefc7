import { Inject, Injectable } from '@nestjs/common';
import {
  CATALOG_SECTION,
  ConfiguredLinePricing,
  PriceLookupService,
  PRODUCT_DEFINITION,
  assertSellable,
  nameIn,
  repricesFromBook,
  type CatalogConfig,
} from '#operational/catalog/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { ExchangeRatesService, Money } from '#platform/currency/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type AfterWrite,
  type RecordWrite,
  type ApiRecord,
} from '#platform/records/index.js';
import { QuoteTotals } from '../quote-totals.js';
import { QUOTE_DEFINITION, QUOTE_LINE_DEFINITION } from '../quotes.definitions.js';
import { QuotesService } from '../quotes.service.js';

type MoneyValue = { amount: string; currency: string };

/**
 * Lines of a draft quote: a readable, active product available today, a quantity above
 * zero, a unit price in the quote's currency — looked up in the price book (the quote's own
 * book when it names one) unless the request gives it, and looked up again when only the
 * quantity changes, so volume tiers apply; a given price stays as given — and the tax
 * category and rate of the product. Every write recomputes the quote's totals in its
 * transaction.
 */
@Injectable()
export class QuoteLinesService extends RecordResourceService {
  readonly def = QUOTE_LINE_DEFINITION;
  protected override readonly pointsAt = { quoteId: 'quotes', productId: 'products' };
  private readonly catalog: CatalogConfig;
  private readonly priced = new WeakMap<object, Record<string, unknown>>();
  private readonly repriced = new WeakSet<object>();

  protected override readonly hooks: RecordHooks = {
    // A price the request gives is the seller's; one left out comes from the book.
    shape: (input, existing) => ({
      ...input,
      ...(input.unitPrice !== undefined
        ? { priceSource: 'manual', priceBookId: null }
        : existing
          ? {}
          : { priceSource: 'price_book' }),
    }),
    validate: (ctx, r, changed, existing) => this.validateLine(ctx, r, changed, existing),
    // An update writes only the fields the request set; a new book price goes along with them.
    derive: (r) =>
      this.repriced.has(r)
        ? {
            unit_price_amount: (r.unitPrice as MoneyValue).amount,
            unit_price_currency: (r.unitPrice as MoneyValue).currency,
            price_book_id: r.priceBookId,
          }
        : {},
    assignOwnership: (_ctx, r) => Promise.resolve(this.priced.get(r) ?? {}),
    afterWrite: (tx, write) => this.afterLineWrite(tx, write),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly quotes: QuotesService,
    private readonly prices: PriceLookupService,
    private readonly rates: ExchangeRatesService,
    private readonly totals: QuoteTotals,
    private readonly configured: ConfiguredLinePricing,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(records);
    this.catalog = CATALOG_SECTION.read(config);
  }

  /** The quote of a line, locked: the caller must be able to change it, and it must be a draft. */
  private async editableQuote(ctx: RequestContext, quoteId: string): Promise<ApiRecord> {
    const quote = await this.records.load(ctx, QUOTE_DEFINITION, quoteId, { forUpdate: true });
    const scope = this.permissions.require(ctx.user, QUOTE_DEFINITION.entity, 'update');
    if (!this.permissions.inScope(ctx.user, scope, quote))
      throw AppError.forbidden('update', 'this quote');
    this.quotes.assertEditable(quote);
    return quote;
  }

  private async validateLine(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (!existing)
      await this.records.mustReference(ctx, 'quotes', r.quoteId as string, 'quoteId', 'a quote');
    const quote = await this.editableQuote(ctx, r.quoteId as string);
    const currency = quote.currency as string;
    if (!new Money(r.quantity as string).gt(0))
      throw AppError.field('quantity', 'min', 'must be more than zero', { min: 0 });
    const given = r.unitPrice as MoneyValue | null | undefined;
    if (changed.has('unitPrice')) {
      if (!given) throw AppError.field('unitPrice', 'required', 'is required once given');
      if (given.currency !== currency)
        throw new AppError(
          'quote_currency_mismatch',
          { quoteCurrency: currency, currency: given.currency, field: 'unitPrice' },
          [{ field: 'unitPrice.currency', rule: 'equals', message: `must be ${currency}` }],
        );
      if (new Money(given.amount).isNegative())
        throw AppError.field('unitPrice', 'min', 'must not be negative', { min: 0 });
    }
    if (existing) {
      if (repricesFromBook(existing, r, changed)) {
        const found = await this.bookPrice(ctx, quote, existing.productId as string, r);
        Object.assign(r, found);
        this.repriced.add(r);
      }
      return;
    }

    const configured = await this.configured.forLine(
      ctx,
      r,
      currency,
      (found) =>
        new AppError(
          'quote_currency_mismatch',
          { quoteCurrency: currency, currency: found, field: 'the configuration' },
          [
            {
              field: 'configurationId',
              rule: 'currency',
              message: `must be a configuration in ${currency}`,
            },
          ],
        ),
    );
    await this.records.mustReference(
      ctx,
      'products',
      r.productId as string,
      'productId',
      'a product',
    );
    const product = await this.records.load(ctx, PRODUCT_DEFINITION, r.productId as string);
    const day = this.quotes.today();
    assertSellable(product, day);

    const fill: Record<string, unknown> = { ownerId: quote.ownerId, teamId: quote.teamId };
    // The options as priced now, so the proposal prints them as quoted whatever comes later.
    if (configured) fill.configurationOptions = configured.options;
    if (!given && configured) {
      fill.unitPrice = configured.unitPrice;
      fill.priceBookId = null;
    } else if (!given) {
      Object.assign(fill, await this.bookPrice(ctx, quote, product.id, r));
    }
    const category = this.catalog.taxCategories.find((c) => c.key === product.taxCategory);
    fill.taxCategory = product.taxCategory;
    fill.taxRate = category?.rate ?? '0';
    fill.unitCost = await this.costIn(ctx, product.costPrice as MoneyValue | null, currency, day);
    if (r.description === undefined) fill.description = nameIn(product.name, quote.language);
    if (r.position === undefined) fill.position = await this.nextPosition(ctx, quote.id);
    this.priced.set(r, fill);
  }

  /**
   * The books' unit price of the line's product for its quantity today, from the quote's own
   * book when it names one; a product no book prices is a 422 on `unitPrice`.
   */
  private async bookPrice(
    ctx: RequestContext,
    quote: ApiRecord,
    productId: string,
    r: Record<string, unknown>,
  ): Promise<{ unitPrice: MoneyValue; priceBookId: string }> {
    const found = await this.prices
      .lookup(
        ctx,
        {
          productId,
          currency: quote.currency as string,
          date: this.quotes.today(),
          accountId: quote.accountId as string,
          quantity: r.quantity as string,
        },
        { priceBookId: quote.priceBookId as string | null },
      )
      .catch(unpricedLine);
    return { unitPrice: found.data[0].unitPrice, priceBookId: found.data[0].priceBook.id };
  }

  /** The product's cost in the quote's currency by the day's rate; null without one. */
  private async costIn(
    ctx: RequestContext,
    cost: MoneyValue | null,
    currency: string,
    day: string,
  ): Promise<MoneyValue | null> {
    if (!cost) return null;
    if (cost.currency === currency) return cost;
    try {
      const rate = await this.rates.effective(ctx, cost.currency, currency, day);
      return { amount: new Money(cost.amount).times(rate.rate).toFixed(), currency };
    } catch (err) {
      if (err instanceof AppError && err.code === 'exchange_rate_missing') return null;
      throw err;
    }
  }

  private async nextPosition(ctx: RequestContext, quoteId: string): Promise<number> {
    const row = await this.db.one<{ n: number }>(
      ctx,
      `SELECT coalesce(max(position) + 1, 1)::int AS n FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL`,
      [quoteId],
    );
    return row!.n;
  }

  private async afterLineWrite(tx: RequestContext, write: RecordWrite): Promise<AfterWrite> {
    const quoteId = write.after.quoteId as string;
    // Create and update checked the quote in validate; delete and restore have no validate.
    if (write.action === 'delete' || write.action === 'restore')
      await this.editableQuote(tx, quoteId);
    await this.totals.recompute(tx, quoteId, { bumpVersion: true });
    if (write.action === 'delete') return {};
    return { record: await this.records.load(tx, this.def, write.after.id) };
  }

  /** Copies the live lines of one quote to another (a revision), amounts recomputed after. */
  async copyLines(tx: RequestContext, fromQuoteId: string, to: ApiRecord): Promise<void> {
    const ids = await this.db.query<{ id: string }>(
      tx,
      `SELECT id FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL ORDER BY position, id`,
      [fromQuoteId],
    );
    if (!ids.length) return;
    await this.db.query(
      tx,
      `INSERT INTO quote_lines (id, quote_id, product_id, configuration_id, position, description,
              quantity, unit_price_amount, unit_price_currency, price_source, price_book_id,
              discount_percent, tax_category, tax_rate, unit_cost_amount, unit_cost_currency,
              configuration_options, owner_id, team_id, custom_fields, created_by_id, updated_by_id)
       SELECT n.id, $3, l.product_id, l.configuration_id, l.position, l.description,
              l.quantity, l.unit_price_amount, l.unit_price_currency, l.price_source, l.price_book_id,
              l.discount_percent, l.tax_category, l.tax_rate, l.unit_cost_amount, l.unit_cost_currency,
              l.configuration_options,
              $4, $5, l.custom_fields, $6, $6
         FROM unnest($1::uuid[], $2::uuid[]) AS n (old_id, id) JOIN quote_lines l ON l.id = n.old_id`,
      [ids.map((r) => r.id), ids.map(() => uuidv7()), to.id, to.ownerId, to.teamId, tx.user.userId],
    );
  }
}

/**
 * A product the books do not price is a problem of the line being written (422, as on
 * opportunity lines), not a missing resource: the client can give `unitPrice` instead.
 */
function unpricedLine(e: unknown): never {
  if (e instanceof AppError && e.code === 'price_not_found')
    throw new AppError('line_price_not_found', { ...e.params, field: 'unitPrice' }, [
      {
        field: 'unitPrice',
        rule: 'priceNotFound',
        message: 'no price book prices this product; give unitPrice',
      },
    ]);
  throw e;
}
