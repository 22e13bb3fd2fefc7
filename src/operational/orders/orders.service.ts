import { Inject, Injectable } from '@nestjs/common';
import { CATALOG_SECTION, type CatalogConfig } from '#operational/catalog/index.js';
import { checkDiscount, checkQuantity, dayIn, LinePricing } from '#operational/sales/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  type CreateOptions,
  RecordService,
  type RecordHooks,
  type ApiRecord,
} from '#platform/records/index.js';
import type { OrderLineInputDto } from './dto/order.dto.js';
import { OrderLinesRepository, type NewOrderLine } from './order-lines.repository.js';
import { allowedNext, canMove, type OrderStatus } from './order-status.js';
import { OrderTimeline } from './order-timeline.js';
import { orderTotals } from './order-totals.js';
import { OrderTrackingRepository } from './order-tracking.repository.js';
import { ORDER_DEFINITION } from './order.definition.js';
import { ORDER_PLACED, ORDER_STATUS_CHANGED } from './orders.events.js';

/** An order to place: the header and its lines (what POST /orders takes). */
export interface PlaceOrderInput {
  accountId: string;
  contactId?: string | null;
  opportunityId?: string | null;
  /** ISO 4217; the organization's currency when left out. */
  currency?: string;
  /** ISO 8601 with a zone; now when left out. Prices from the books hold on its local day. */
  orderedAt?: string;
  notes?: string | null;
  ownerId?: string;
  teamId?: string | null;
  customFields?: Record<string, unknown>;
  lines: Pick<
    OrderLineInputDto,
    'productId' | 'configurationId' | 'description' | 'quantity' | 'unitPrice' | 'discountPercent'
  >[];
}

type Money = { amount: string; currency: string };
const money = (amount: string, currency: string): Money => ({ amount, currency });

/**
 * Orders: placed with their lines in one transaction, prices frozen (given, or from the
 * price books of the order's currency on the order day), totals and taxes by category
 * computed once; then moved along the status lifecycle by PATCH of `status`. Each order is
 * on its account's, contact's and opportunity's timeline.
 */
@Injectable()
export class OrdersService extends RecordResourceService {
  readonly def = ORDER_DEFINITION;
  protected override readonly pointsAt = {
    accountId: 'accounts',
    contactId: 'contacts',
    opportunityId: 'opportunities',
  };
  private readonly catalog: CatalogConfig;

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) =>
      existing && input.status !== undefined && input.status !== existing.status
        ? { ...input, statusChangedAt: new Date().toISOString() }
        : input,
    validate: (ctx, r, changed, existing) => this.validateOrder(ctx, r, changed, existing),
    afterWrite: async (tx, { action, before, after }) => {
      if (action === 'delete') return;
      await this.timeline.put(tx, after);
      if (action === 'update' && before && before.status !== after.status)
        return { events: [statusChanged(before, after)] };
    },
  };

  constructor(
    records: RecordService,
    private readonly pricing: LinePricing,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly lines: OrderLinesRepository,
    private readonly tracking: OrderTrackingRepository,
    private readonly timeline: OrderTimeline,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(records);
    this.catalog = CATALOG_SECTION.read(config);
  }

  /**
   * Places an order from lines, as POST /orders does: each line priced (its given unit price,
   * else the price books on the order day), the totals computed, order and lines written in
   * one transaction — the caller's, when it has one open — and `order.placed` announced.
   */
  placeOrder(ctx: RequestContext, input: PlaceOrderInput) {
    return this.create(ctx, input as unknown as Record<string, unknown>);
  }

  override async create(
    ctx: RequestContext,
    input: Record<string, unknown>,
    options: CreateOptions = {},
  ) {
    const { lines: requested, ...header } = input as unknown as PlaceOrderInput;
    this.permissions.require(ctx.user, this.def.entity, 'create');
    // The order of a quote is the quote's lines as quoted, once: only POST /quotes/{id}/order
    // places it. REST bodies cannot name a quote; this holds for every other caller too.
    if ((input as { quoteId?: unknown }).quoteId != null)
      throw AppError.field('quoteId', 'quoteOrder', 'is set by POST /api/v1/quotes/{id}/order');
    return this.db.transaction(ctx, async (tx) => {
      await this.records.mustReference(tx, 'accounts', header.accountId, 'accountId', 'an account');
      const currency = header.currency ?? this.config.organization.defaultCurrency;
      const orderedAt = header.orderedAt ?? new Date().toISOString();
      const day = dayIn(new Date(orderedAt), this.config.organization.timeZone);
      const priced = await this.priceLines(tx, requested, currency, day, header.accountId);
      return this.write(tx, { ...header, currency, orderedAt }, priced, options);
    });
  }

  /**
   * Writes an order whose lines are priced already: totals, the order, its lines and
   * `order.placed`, in the caller's transaction.
   */
  async write(
    tx: RequestContext,
    header: Omit<PlaceOrderInput, 'lines'> & {
      currency: string;
      orderedAt: string;
      quoteId?: string;
    },
    priced: NewOrderLine[],
    options: CreateOptions = {},
  ) {
    const { currency, orderedAt } = header;
    const totals = orderTotals(priced, currency);
    const created = await super.create(
      tx,
      {
        ...header,
        subtotal: money(totals.subtotal, currency),
        taxTotal: money(totals.taxTotal, currency),
        total: money(totals.total, currency),
        taxes: totals.taxes,
      },
      options,
    );
    const lines = await this.lines.insert(
      tx,
      { id: created.id, accountId: header.accountId, currency, bookedAt: orderedAt },
      priced.map((l, i) => ({ ...l, net: totals.lineNets[i] })),
    );
    const order = created as unknown as ApiRecord;
    await this.outbox.append(tx, [
      ORDER_PLACED.of(order.id, {
        ...parties(order),
        opportunityId: (order.opportunityId as string | null) ?? null,
        quoteId: (order.quoteId as string | null) ?? null,
        orderedAt: order.orderedAt as string,
        currency,
        subtotal: order.subtotal as Money,
        taxTotal: order.taxTotal as Money,
        total: order.total as Money,
        lines: lines.map((l) => ({
          lineId: l.id,
          productId: l.productId,
          sku: l.sku,
          quantity: l.quantity,
          net: l.net,
        })),
      }),
    ]);
    return { ...created, lines, trackingEvents: [] };
  }

  /** One order with its lines and tracking events (unless `fields` picks other fields). */
  override async get(
    ctx: RequestContext,
    id: string,
    include: string[] = [],
    fields: string[] | null = null,
  ) {
    const found = await super.get(ctx, id, include, fields);
    if (fields !== null) return found;
    return {
      ...found,
      record: {
        ...found.record,
        lines: await this.lines.list(ctx, id),
        trackingEvents: await this.tracking.list(ctx, id),
      },
    };
  }

  /** The order locked for a change the caller must be allowed to make (404 outside reach). */
  async loadForUpdate(tx: RequestContext, id: string): Promise<ApiRecord> {
    const order = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.grant(tx.user, this.def.entity).update;
    if (!this.permissions.inScope(tx.user, scope, order))
      throw AppError.forbidden('update', 'orders');
    return order;
  }

  private async priceLines(
    tx: RequestContext,
    requested: PlaceOrderInput['lines'],
    currency: string,
    day: string,
    accountId: string,
  ): Promise<NewOrderLine[]> {
    const out: NewOrderLine[] = [];
    for (const [i, line] of requested.entries()) {
      const field = `lines[${i}]`;
      // An order line names its product even when it sells a configuration.
      const productId = line.productId;
      if (!productId) throw AppError.field(`${field}.productId`, 'required', 'is required');
      checkQuantity(line.quantity, `${field}.quantity`);
      const discountPercent = line.discountPercent ?? '0';
      checkDiscount(discountPercent, `${field}.discountPercent`);
      const price = await this.pricing.price(tx, {
        productId,
        quantity: line.quantity,
        currency,
        given: line.unitPrice,
        date: day,
        accountId,
        field,
      });
      const category = this.catalog.taxCategories.find((c) => c.key === price.taxCategory);
      if (!category)
        throw AppError.field(
          `${field}.productId`,
          'taxCategory',
          'has a tax category no longer configured',
        );
      out.push({
        kind: 'sale',
        creditOfLineId: null,
        productId: productId.toLowerCase(),
        configurationId: line.configurationId ?? null,
        sku: price.sku,
        productName: price.productName,
        description: line.description ?? null,
        quantity: line.quantity,
        unitPrice: price.unitPrice.amount,
        discountPercent,
        taxCategory: category.key,
        taxRate: category.rate,
        net: '0',
        reason: null,
      });
    }
    return out;
  }

  private async validateOrder(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (changed.has('contactId') && r.contactId)
      await this.records.mustReference(
        ctx,
        'contacts',
        r.contactId as string,
        'contactId',
        'a contact',
      );
    if (changed.has('opportunityId') && r.opportunityId)
      await this.records.mustReference(
        ctx,
        'opportunities',
        r.opportunityId as string,
        'opportunityId',
        'an opportunity',
      );
    if (existing && changed.has('status')) {
      const from = existing.status as OrderStatus;
      const to = r.status as OrderStatus;
      if (!canMove(from, to))
        throw new AppError(
          'order_status_transition',
          { from, to, allowed: allowedNext(from).join(', ') || '—' },
          undefined,
          { from, to, allowed: allowedNext(from) },
        );
    }
  }
}

/** The parties every order event names. */
export function parties(order: ApiRecord) {
  return {
    number: order.number as string,
    accountId: order.accountId as string,
    contactId: (order.contactId as string | null) ?? null,
    ownerId: order.ownerId,
    teamId: order.teamId,
  };
}

export function statusChanged(before: ApiRecord, after: ApiRecord) {
  return ORDER_STATUS_CHANGED.of(after.id, {
    ...parties(after),
    from: before.status as OrderStatus,
    to: after.status as OrderStatus,
    total: after.total as Money,
  });
}
