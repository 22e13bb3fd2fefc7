import { Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';

/** A customer an analytics request is about, as the caller may see it. */
export interface CustomerSubject {
  readonly kind: 'contacts' | 'accounts';
  readonly id: string;
  readonly name: string;
  /** The account whose purchases the analytics read: the account itself, or the contact's. */
  readonly account: { id: string; name: string } | null;
}

export const ANALYTICS_ENTITY = 'customer-analytics';

/**
 * Finds the contact or account behind an id, under the caller's own read scope on each: an
 * id the caller cannot read is a 404, exactly as an id that does not exist. A contact's
 * account counts only when the caller may read it too.
 */
@Injectable()
export class CustomerSubjects {
  constructor(
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  /** 403 unless the role may read customer analytics. */
  requireAnalytics(ctx: RequestContext): void {
    this.permissions.require(ctx.user, ANALYTICS_ENTITY, 'read');
  }

  async resolve(ctx: RequestContext, id: string): Promise<CustomerSubject> {
    this.requireAnalytics(ctx);
    const contact = await this.readable(ctx, 'contacts', id);
    if (contact) {
      const accountId = contact.accountId as string | null;
      const account = accountId ? await this.readable(ctx, 'accounts', accountId) : null;
      return {
        kind: 'contacts',
        id,
        name: [contact.firstName, contact.lastName].filter(Boolean).join(' '),
        account: account ? { id: account.id, name: account.name as string } : null,
      };
    }
    const account = await this.readable(ctx, 'accounts', id);
    if (!account) throw AppError.notFound('customer', id);
    const ref = { id: account.id, name: account.name as string };
    return { kind: 'accounts', id, name: ref.name, account: ref };
  }

  /** The subject's account, or 422 for a contact without one the caller may read. */
  async resolveAccount(
    ctx: RequestContext,
    id: string,
  ): Promise<CustomerSubject & { account: { id: string; name: string } }> {
    const subject = await this.resolve(ctx, id);
    if (!subject.account) throw new AppError('analytics_contact_without_account', { id });
    return subject as CustomerSubject & { account: { id: string; name: string } };
  }

  private async readable(
    ctx: RequestContext,
    entity: 'contacts' | 'accounts',
    id: string,
  ): Promise<ApiRecord | null> {
    if (this.permissions.grant(ctx.user, entity).read === 'none') return null;
    try {
      return await this.records.load(
        ctx,
        entity === 'contacts' ? CONTACT_DEFINITION : ACCOUNT_DEFINITION,
        id,
      );
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return null;
      throw e;
    }
  }
}
