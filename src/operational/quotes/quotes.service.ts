import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PRICE_BOOK_DEFINITION, todayIn } from '#operational/catalog/index.js';
import { OPPORTUNITY_DEFINITION } from '#operational/sales/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { NewDomainEvent } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type RecordHooks,
  type AfterWrite,
  type RecordWrite,
  type ApiRecord,
} from '#platform/records/index.js';
import { TimelineService } from '#platform/timeline/index.js';
import { addDays, quoteEventBase } from './quote-facts.js';
import { emptyTotals, QuoteTotals } from './quote-totals.js';
import { QUOTE_LANGUAGES, QUOTES_SECTION, type QuotesConfig } from './quotes.config.js';
import { QUOTE_DEFINITION, type QuoteStatus } from './quotes.definitions.js';
import { QUOTE_ACCEPTED, QUOTE_EXPIRED, QUOTE_STATUS_CHANGED } from './quotes.events.js';

/** Fields of a quote only the workflow changes, never a PATCH. */
const WORKFLOW_FIELDS = new Set(['status', 'supersededById']);

/**
 * Quotes: made for an account or from an opportunity (whose account, currency and contact
 * they take), numbered from a sequence, in a language (the contact's when it has one of
 * ours), valid for the configured days unless told otherwise, priced from a book in their
 * own currency. Only a draft changes; the workflow (QuoteWorkflow) moves the status.
 */
@Injectable()
export class QuotesService extends RecordResourceService implements OnModuleInit {
  readonly def = QUOTE_DEFINITION;
  protected override readonly pointsAt = {
    accountId: 'accounts',
    contactId: 'contacts',
    opportunityId: 'opportunities',
  };
  private readonly quotes: QuotesConfig;
  /** What validate worked out for a new quote, stored by assignOwnership. */
  private readonly filled = new WeakMap<object, Record<string, unknown>>();

  protected override readonly hooks: RecordHooks = {
    validate: (ctx, r, changed, existing) => this.validateQuote(ctx, r, changed, existing),
    assignOwnership: async (ctx, r) => ({
      ...this.filled.get(r),
      number: await this.nextNumber(ctx),
      revision: 1,
      status: 'draft',
    }),
    afterWrite: (tx, write) => this.afterQuoteWrite(tx, write),
  };

  /** The hooks of a workflow step: the step checked its own rules; the status may move. */
  readonly workflowHooks: RecordHooks = { ...this.hooks, validate: undefined };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly totals: QuoteTotals,
    private readonly timeline: TimelineService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(records);
    this.quotes = QUOTES_SECTION.read(config);
  }

  override onModuleInit(): void {
    super.onModuleInit();
    this.timeline.defineTypes('quote');
  }

  get settings(): QuotesConfig {
    return this.quotes;
  }

  today(): string {
    return todayIn(this.config.organization.timeZone);
  }

  /** The quote locked for a workflow step: readable, in the caller's update scope, ETag fresh. */
  async lockForAction(tx: RequestContext, id: string, ifMatch?: string): Promise<ApiRecord> {
    const quote = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.require(tx.user, this.def.entity, 'update');
    if (!this.permissions.inScope(tx.user, scope, quote))
      throw AppError.forbidden('update', 'this quote');
    checkIfMatch(ifMatch, quote.version);
    return quote;
  }

  /** A draft may change; anything later answers 409. */
  assertEditable(quote: ApiRecord): void {
    if (quote.status !== 'draft')
      throw new AppError(
        'quote_not_editable',
        { number: quote.number, status: quote.status, id: quote.id },
        undefined,
        { quoteStatus: quote.status },
      );
  }

  /** Writes a workflow step (status and its stamps) with history, events and timeline. */
  async step(tx: RequestContext, id: string, patch: Record<string, unknown>): Promise<ApiRecord> {
    return this.records.update(tx, this.def, id, patch, undefined, this.workflowHooks);
  }

  /** Creates a quote with rules of its own (a revision keeps its number). */
  createWith(
    tx: RequestContext,
    input: Record<string, unknown>,
    assigned: Record<string, unknown>,
  ): Promise<ApiRecord> {
    return this.records.create(tx, this.def, input, {
      ...this.hooks,
      assignOwnership: async (ctx, r) => ({ ...this.filled.get(r), ...assigned }),
    });
  }

  /** A quote for an opportunity named in the path: 404 when the caller cannot read it. */
  async createForOpportunity(
    ctx: RequestContext,
    opportunityId: string,
    input: Record<string, unknown>,
  ) {
    await this.records.load(ctx, OPPORTUNITY_DEFINITION, opportunityId);
    return this.create(ctx, { ...input, opportunityId });
  }

  present(ctx: RequestContext, record: ApiRecord) {
    return this.view(ctx, record);
  }

  private async nextNumber(ctx: RequestContext): Promise<string> {
    const row = await this.db.one<{ n: string }>(ctx, `SELECT nextval('quote_number_seq') AS n`);
    return `Q-${this.today().slice(0, 4)}-${String(row!.n).padStart(6, '0')}`;
  }

  private async validateQuote(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (existing) {
      if ([...changed].some((f) => !WORKFLOW_FIELDS.has(f))) this.assertEditable(existing);
    } else {
      await this.fillNew(ctx, r);
    }
    const values = { ...r, ...this.filled.get(r) };
    if (changed.has('contactId') && r.contactId)
      await this.records.mustReference(
        ctx,
        'contacts',
        r.contactId as string,
        'contactId',
        'a contact',
      );
    if ((changed.has('validUntil') || !existing) && (values.validUntil as string) < this.today())
      throw AppError.field('validUntil', 'min', `must be today (${this.today()}) or later`, {
        min: this.today(),
      });
    if (values.priceBookId && (changed.has('priceBookId') || !existing)) {
      await this.records.mustReference(
        ctx,
        'price-books',
        values.priceBookId as string,
        'priceBookId',
        'a price book',
      );
      const book = await this.records.load(
        ctx,
        PRICE_BOOK_DEFINITION,
        values.priceBookId as string,
      );
      if (book.currency !== values.currency)
        throw new AppError(
          'quote_currency_mismatch',
          {
            quoteCurrency: values.currency,
            currency: book.currency,
            field: 'the price book',
          },
          [
            {
              field: 'priceBookId',
              rule: 'currency',
              message: `must be a book in ${String(values.currency)}`,
            },
          ],
        );
    }
  }

  /** Account, currency, contact, language and validity of a new quote. */
  private async fillNew(ctx: RequestContext, r: Record<string, unknown>): Promise<void> {
    const fill: Record<string, unknown> = {};
    if (r.opportunityId) {
      await this.records.mustReference(
        ctx,
        'opportunities',
        r.opportunityId as string,
        'opportunityId',
        'an opportunity',
      );
      const deal = await this.records.load(ctx, OPPORTUNITY_DEFINITION, r.opportunityId as string);
      if (r.accountId && r.accountId !== deal.accountId)
        throw AppError.field('accountId', 'equals', "must be the opportunity's account", {
          expected: deal.accountId,
        });
      fill.accountId = deal.accountId;
      fill.currency =
        r.currency ??
        (deal.amount as { currency: string } | null)?.currency ??
        this.config.organization.defaultCurrency;
      fill.contactId = r.contactId !== undefined ? r.contactId : (deal.primaryContactId ?? null);
    } else {
      if (!r.accountId)
        throw AppError.field('accountId', 'required', 'is required without opportunityId');
      await this.records.mustReference(
        ctx,
        'accounts',
        r.accountId as string,
        'accountId',
        'an account',
      );
      fill.currency = r.currency ?? this.config.organization.defaultCurrency;
    }
    const contactId = (fill.contactId ?? r.contactId) as string | null | undefined;
    fill.language = r.language ?? (await this.contactLanguage(ctx, contactId ?? null));
    fill.validUntil = r.validUntil ?? addDays(this.today(), this.quotes.defaultValidityDays);
    fill.headerDiscountPercent = r.headerDiscountPercent ?? '0';
    Object.assign(fill, emptyTotals(fill.currency as string));
    this.filled.set(r, fill);
  }

  /** The contact's preferred language when it is one quotes speak, else English. */
  private async contactLanguage(ctx: RequestContext, contactId: string | null): Promise<string> {
    if (!contactId) return 'en';
    if (!(await this.records.isReadable(ctx, 'contacts', contactId))) return 'en';
    const contact = await this.records.load(ctx, CONTACT_DEFINITION, contactId);
    const primary = String(contact.preferredLanguage ?? '')
      .split('-')[0]
      .toLowerCase();
    return (QUOTE_LANGUAGES as readonly string[]).includes(primary) ? primary : 'en';
  }

  private async afterQuoteWrite(tx: RequestContext, write: RecordWrite): Promise<AfterWrite> {
    const { action, before, after } = write;
    let record = after;
    if (
      action === 'update' &&
      before &&
      before.headerDiscountPercent !== after.headerDiscountPercent
    ) {
      await this.totals.recompute(tx, after.id, { bumpVersion: false });
      record = await this.records.load(tx, this.def, after.id);
    }
    if (action === 'delete' || action === 'restore') await this.followedByLines(tx, write);
    if (action !== 'delete') await this.putOnTimeline(tx, record);
    return { record, events: this.statusEvents(before, record) };
  }

  /**
   * A deleted quote takes its live lines along; restoring it brings back those, and not the
   * lines deleted on their own before. Both happen in one statement at the same `now()`.
   */
  private async followedByLines(tx: RequestContext, { action, before, after }: RecordWrite) {
    if (action === 'delete')
      await this.db.query(
        tx,
        `UPDATE quote_lines SET deleted_at = now(), version = version + 1, updated_at = now()
          WHERE quote_id = $1 AND deleted_at IS NULL`,
        [after.id],
      );
    else
      await this.db.query(
        tx,
        `UPDATE quote_lines SET deleted_at = NULL, version = version + 1, updated_at = now()
          WHERE quote_id = $1 AND date_trunc('milliseconds', deleted_at) = $2::timestamptz`,
        [after.id, before!.updatedAt],
      );
  }

  private statusEvents(before: ApiRecord | null, after: ApiRecord): NewDomainEvent[] {
    const from = (before?.status ?? null) as QuoteStatus | null;
    const to = after.status as QuoteStatus;
    if (!from || from === to) return [];
    const base = quoteEventBase(after);
    const events = [
      QUOTE_STATUS_CHANGED.of(after.id, {
        ...base,
        from,
        to,
        approvalRequired: after.approvalRequired as boolean,
      }),
    ];
    if (to === 'accepted')
      events.push(
        QUOTE_ACCEPTED.of(after.id, {
          ...base,
          contactId: (after.contactId as string | null) ?? null,
          acceptedAt: after.decidedAt as string,
        }),
      );
    if (to === 'expired')
      events.push(
        QUOTE_EXPIRED.of(after.id, {
          ...base,
          validUntil: after.validUntil as string,
          previousStatus: from,
        }),
      );
    return events;
  }

  /** The quote on its account's and opportunity's timelines: one entry that follows its status. */
  async putOnTimeline(tx: RequestContext, q: ApiRecord): Promise<void> {
    await this.timeline.put(tx, {
      type: 'quote',
      source: { entity: 'quotes', id: q.id },
      subjects: [
        { entity: 'accounts', id: q.accountId as string },
        ...(q.opportunityId ? [{ entity: 'opportunities', id: q.opportunityId as string }] : []),
      ],
      occurredAt: q.createdAt as string,
      title: `${String(q.number)} (${String(q.revision)})`,
      actorId: q.ownerId,
      // A draft's total moves with every line write, which does not rewrite the entry.
      data: {
        status: q.status,
        validUntil: q.validUntil,
        ...(q.status === 'draft' ? {} : { grandTotal: q.grandTotal }),
      },
    });
  }
}
