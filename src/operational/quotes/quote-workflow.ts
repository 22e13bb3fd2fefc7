import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { Money } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { addDays } from './quote-facts.js';
import { highestDiscount } from './quote-math.js';
import { QuoteLinesService } from './lines/quote-lines.service.js';
import { QuoteOrdering } from './quote-ordering.js';
import { QuoteTotals } from './quote-totals.js';
import type { QuoteStatus } from './quotes.definitions.js';
import { QuotesService } from './quotes.service.js';

export const QUOTE_ACTIONS = ['submit', 'approve', 'send', 'accept', 'reject', 'revise'] as const;
export type QuoteAction = (typeof QUOTE_ACTIONS)[number];

/** The statuses each step starts from. */
export const ALLOWED_FROM: Record<QuoteAction, readonly QuoteStatus[]> = {
  submit: ['draft'],
  approve: ['in_review'],
  send: ['approved'],
  accept: ['sent'],
  reject: ['sent'],
  revise: ['in_review', 'approved', 'sent', 'rejected', 'expired'],
};

const DONE: Record<QuoteAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  send: 'sent',
  accept: 'accepted',
  reject: 'rejected',
  revise: 'revised',
};

/**
 * The life of a quote: draft → in_review → approved → sent → accepted / rejected / expired.
 * Submitting approves at once when no discount (line or header) exceeds the submitter's
 * role limit, else the quote waits for an approver. A quote past its validity is neither
 * sent nor accepted. A revision is a new draft with the same number and the lines copied;
 * the quote it replaces is superseded.
 */
@Injectable()
export class QuoteWorkflow {
  constructor(
    private readonly db: DatabaseService,
    private readonly quotes: QuotesService,
    private readonly lines: QuoteLinesService,
    private readonly totals: QuoteTotals,
    private readonly ordering: QuoteOrdering,
  ) {}

  async run(
    ctx: RequestContext,
    id: string,
    action: Exclude<QuoteAction, 'revise'>,
    ifMatch?: string,
    reason?: string,
    createOrder = false,
  ) {
    return this.db.transaction(ctx, async (tx) => {
      const quote = await this.quotes.lockForAction(tx, id, ifMatch);
      this.assertFrom(quote, action);
      const now = new Date().toISOString();
      let patch: Record<string, unknown>;
      switch (action) {
        case 'submit':
          patch = await this.submitted(tx, quote, now);
          break;
        case 'approve':
          await this.assertApprover(tx);
          patch = { status: 'approved', approvedAt: now, approvedById: tx.user.userId };
          break;
        case 'send':
          this.assertValid(quote);
          patch = { status: 'sent', sentAt: now };
          break;
        case 'accept':
          this.assertValid(quote);
          patch = { status: 'accepted', decidedAt: now };
          break;
        case 'reject':
          patch = { status: 'rejected', decidedAt: now, rejectionReason: reason ?? null };
          break;
      }
      const done = this.quotes.present(tx, await this.quotes.step(tx, id, patch));
      if (!createOrder) return done;
      const order = await this.ordering.place(tx, id);
      return { ...done, orderId: order.id };
    });
  }

  /** A new draft version of the quote with its lines; the old one is superseded. */
  async revise(ctx: RequestContext, id: string, ifMatch?: string) {
    return this.db.transaction(ctx, async (tx) => {
      const old = await this.quotes.lockForAction(tx, id, ifMatch);
      this.assertFrom(old, 'revise');
      const today = this.quotes.today();
      const input: Record<string, unknown> = {
        accountId: old.accountId,
        opportunityId: old.opportunityId ?? undefined,
        contactId: old.contactId,
        currency: old.currency,
        priceBookId: old.priceBookId,
        language: old.language,
        validUntil:
          (old.validUntil as string) >= today
            ? old.validUntil
            : addDays(today, this.quotes.settings.defaultValidityDays),
        headerDiscountPercent: old.headerDiscountPercent,
        notes: old.notes,
        terms: old.terms,
        ownerId: old.ownerId,
        teamId: old.teamId,
        customFields: old.customFields,
      };
      const created = await this.quotes.createWith(tx, input, {
        number: old.number,
        revision: (old.revision as number) + 1,
        status: 'draft',
        previousRevisionId: old.id,
      });
      await this.lines.copyLines(tx, old.id, created);
      await this.totals.recompute(tx, created.id, { bumpVersion: false });
      await this.quotes.step(tx, old.id, { status: 'superseded', supersededById: created.id });
      const { record } = await this.quotes.get(tx, created.id);
      return record as Record<string, unknown> & { id: string; version: number };
    });
  }

  private assertFrom(quote: ApiRecord, action: QuoteAction): void {
    const allowed = ALLOWED_FROM[action];
    if (!allowed.includes(quote.status as QuoteStatus))
      throw new AppError(
        'quote_status_transition',
        {
          number: quote.number,
          status: quote.status,
          action: DONE[action],
          allowed: allowed.join(', '),
        },
        undefined,
        { quoteStatus: quote.status, action, allowedFrom: allowed },
      );
  }

  private assertValid(quote: ApiRecord): void {
    if ((quote.validUntil as string) < this.quotes.today())
      throw new AppError('quote_validity_passed', {
        number: quote.number,
        validUntil: quote.validUntil,
      });
  }

  private async submitted(tx: RequestContext, quote: ApiRecord, now: string) {
    if (!quote.lineCount) throw new AppError('quote_has_no_lines', { number: quote.number });
    const rows = await this.db.query<{ d: string }>(
      tx,
      `SELECT discount_percent::text AS d FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL`,
      [quote.id],
    );
    const highest = highestDiscount(
      rows.map((r) => r.d),
      quote.headerDiscountPercent as string,
    );
    const limit = await this.discountLimit(tx);
    const approvalRequired = highest.gt(limit);
    return {
      status: approvalRequired ? 'in_review' : 'approved',
      approvalRequired,
      submittedAt: now,
      submittedById: tx.user.userId,
      ...(approvalRequired ? {} : { approvedAt: now, approvedById: null }),
    };
  }

  /** The caller's role: its key for built-in roles, and its name. */
  private async roleOf(tx: RequestContext): Promise<string[]> {
    const role = await this.db.one<{ key: string | null; name: string }>(
      tx,
      `SELECT key, name FROM roles WHERE id = $1`,
      [tx.user.roleId],
    );
    return [role?.key, role?.name ?? tx.user.roleName].filter((v): v is string => !!v);
  }

  private async discountLimit(tx: RequestContext): Promise<Money> {
    const limits = this.quotes.settings.maxDiscountPercent;
    const names = await this.roleOf(tx);
    const found = names.find((n) => Object.hasOwn(limits, n));
    return new Money(found ? limits[found] : this.quotes.settings.defaultMaxDiscountPercent);
  }

  private async assertApprover(tx: RequestContext): Promise<void> {
    if (tx.user.permissions.admin) return;
    const approvers = this.quotes.settings.approverRoles;
    const names = await this.roleOf(tx);
    if (!names.some((n) => approvers.includes(n)))
      throw new AppError('quote_approval_forbidden', {
        role: names[0] ?? tx.user.roleName,
        approvers: approvers.join(', '),
      });
  }
}
