import { Inject, Injectable } from '@nestjs/common';
import { AccountsService } from '#operational/customers/index.js';
import { OpportunitiesService } from '#operational/sales/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  buildListQuery,
  cursorOf,
  pageLimits,
  parseListQuery,
  SqlParams,
  type ExtraWhere,
  type QueryAccess,
} from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { registrationQuerySchema } from './deal-registration-query.js';
import {
  domainSql,
  normalizeDomain,
  partnerRegistrationView,
  REGISTRATION_COLUMNS,
  staffRegistrationView,
  type RegistrationRow,
} from './deal-registration-view.js';
import type {
  ApproveDealRegistrationDto,
  DealRegistrationDto,
  RegistrationConflictDto,
  SubmitDealRegistrationDto,
} from './dto/deal-registration.dto.js';
import { PARTNER_DEFINITION } from './partner.definition.js';
import type { PartnerPrincipal } from './partner-sessions.js';
import { PARTNERS_SECTION, type PartnersConfig } from './partners.config.js';
import {
  DEAL_REGISTRATION_APPROVED,
  DEAL_REGISTRATION_EXPIRED,
  DEAL_REGISTRATION_REJECTED,
  DEAL_REGISTRATION_SUBMITTED,
  type DealRegistrationPayload,
} from './partners.events.js';
import { PartnerSharing } from './partner-sharing.js';

const ANY_ROW: QueryAccess = { scope: () => 'TRUE', isHidden: () => false };

/**
 * Deal registration: a partner user submits a deal, the channel manager sees what it
 * conflicts with (open opportunities of the same account, other partners' registrations of
 * it) and approves it — an account and an opportunity attributed to the partner, protected
 * for `partners.protectionDays` — or rejects it with a reason. Staff reach a registration
 * through their read scope on its partner; a partner only its own organization's.
 */
@Injectable()
export class DealRegistrationsService {
  private readonly config: PartnersConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly accounts: AccountsService,
    private readonly opportunities: OpportunitiesService,
    private readonly sharing: PartnerSharing,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = PARTNERS_SECTION.read(crm);
  }

  async submit(
    ctx: RequestContext,
    p: PartnerPrincipal,
    body: SubmitDealRegistrationDto,
  ): Promise<RegistrationRow> {
    return this.db.transaction(ctx, async (tx) => {
      const id = uuidv7();
      await this.db.query(
        tx,
        `INSERT INTO deal_registrations (id, partner_id, submitted_by_id, account_name, account_domain,
           contact, product_interest, estimated_amount, estimated_currency, expected_close_date, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          p.partnerId,
          p.partnerUserId,
          body.accountName.trim(),
          body.accountDomain ? normalizeDomain(body.accountDomain) : null,
          body.contact ? JSON.stringify(body.contact) : null,
          [...new Set((body.productInterest ?? []).map((x) => x.trim()))],
          body.estimatedAmount?.amount ?? null,
          body.estimatedAmount?.currency ?? null,
          body.expectedCloseDate ?? null,
          body.notes ?? null,
        ],
      );
      const row = (await this.row(tx, id))!;
      await this.emit(tx, row, null);
      return row;
    });
  }

  async listForPartner(ctx: RequestContext, p: PartnerPrincipal, query: Record<string, unknown>) {
    const page = await this.list(ctx, query, [
      (params) => `dr.partner_id = ${params.add(p.partnerId)}::uuid`,
    ]);
    return { data: page.data, meta: page.meta };
  }

  async getForPartner(ctx: RequestContext, p: PartnerPrincipal, id: string) {
    const row = await this.row(ctx, id);
    if (!row || row.partner_id !== p.partnerId) throw AppError.notFound('deal registration', id);
    return partnerRegistrationView(row);
  }

  async listForStaff(ctx: RequestContext, query: Record<string, unknown>) {
    const scope = this.permissions.require(ctx.user, 'partners', 'read');
    const partners = querySchemaOf(PARTNER_DEFINITION);
    const page = await this.list(ctx, query, [
      (params) =>
        `EXISTS (SELECT 1 FROM partners pt WHERE pt.id = dr.partner_id AND pt.deleted_at IS NULL
                   AND ${this.permissions.scopeSql(ctx.user, scope, partners, 'pt', params)})`,
    ]);
    return { data: page.rows.map(staffRegistrationView), meta: page.meta };
  }

  /** One registration with its conflicts, when its partner is in the caller's read scope. */
  async getForStaff(ctx: RequestContext, id: string): Promise<DealRegistrationDto> {
    const row = await this.staffRow(ctx, id, 'read');
    return { ...staffRegistrationView(row), conflicts: await this.conflicts(ctx, row) };
  }

  async approve(
    ctx: RequestContext,
    id: string,
    body: ApproveDealRegistrationDto,
    ifMatch: string | undefined,
  ): Promise<DealRegistrationDto> {
    const decided = await this.db.transaction(ctx, async (tx) => {
      const row = await this.decidable(tx, id, ifMatch);
      const accountId =
        body.accountId ??
        (
          await this.accounts.create(tx, {
            name: row.account_name,
            type: 'prospect',
            ...(row.account_domain ? { website: `https://${row.account_domain}` } : {}),
          })
        ).id;
      if (body.accountId) await this.accounts.get(tx, body.accountId);
      const opportunityId = body.opportunityId
        ? await this.openOpportunityOf(tx, body.opportunityId, accountId)
        : (
            await this.opportunities.create(tx, {
              name: row.account_name,
              accountId,
              ...(row.estimated_amount !== null
                ? { amount: { amount: row.estimated_amount, currency: row.estimated_currency } }
                : {}),
              ...(row.expected_close_date ? { expectedCloseDate: row.expected_close_date } : {}),
              description: row.notes,
            })
          ).id;
      await this.db.query(
        tx,
        `INSERT INTO partner_opportunities (opportunity_id, partner_id, registration_id) VALUES ($1, $2, $3)
         ON CONFLICT (opportunity_id) DO UPDATE SET partner_id = EXCLUDED.partner_id,
           registration_id = EXCLUDED.registration_id`,
        [opportunityId, row.partner_id, row.id],
      );
      await this.sharing.share(tx, row.partner_id, 'opportunities', opportunityId, 'registration');
      await this.db.query(
        tx,
        `UPDATE deal_registrations SET status = 'approved', decided_by_id = $2, decided_at = now(),
                account_id = $3, opportunity_id = $4,
                expires_at = now() + make_interval(days => $5),
                updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, tx.user.userId, accountId, opportunityId, this.config.protectionDays],
      );
      const after = (await this.row(tx, id))!;
      await this.emit(tx, after, tx.user.userId);
      return after;
    });
    return { ...staffRegistrationView(decided), conflicts: await this.conflicts(ctx, decided) };
  }

  async reject(
    ctx: RequestContext,
    id: string,
    reason: string,
    ifMatch: string | undefined,
  ): Promise<DealRegistrationDto> {
    const decided = await this.db.transaction(ctx, async (tx) => {
      await this.decidable(tx, id, ifMatch);
      await this.db.query(
        tx,
        `UPDATE deal_registrations SET status = 'rejected', reject_reason = $2, decided_by_id = $3,
                decided_at = now(), updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, reason, tx.user.userId],
      );
      const after = (await this.row(tx, id))!;
      await this.emit(tx, after, tx.user.userId, reason);
      return after;
    });
    return staffRegistrationView(decided);
  }

  /**
   * Ends the protection of approved registrations past `expires_at` whose opportunity did not
   * move on (still open, in the stage it had at approval): the partner loses the attribution
   * and the opportunity's share.
   */
  async expireLapsed(ctx: RequestContext): Promise<number> {
    return this.db.transaction(ctx, async (tx) => {
      const ids = await this.db.query<{ id: string }>(
        tx,
        `SELECT dr.id FROM deal_registrations dr
           LEFT JOIN opportunities o ON o.id = dr.opportunity_id
          WHERE dr.status = 'approved' AND dr.expires_at <= now()
            AND (o.id IS NULL OR (o.status = 'open' AND o.stage_changed_at <= dr.decided_at))
          ORDER BY dr.expires_at LIMIT 1000 FOR UPDATE OF dr SKIP LOCKED`,
      );
      for (const { id } of ids) {
        await this.db.query(
          tx,
          `UPDATE deal_registrations SET status = 'expired', expired_at = now(), updated_at = now(),
                  version = version + 1 WHERE id = $1`,
          [id],
        );
        const row = (await this.row(tx, id))!;
        if (row.opportunity_id) {
          await this.db.query(
            tx,
            `DELETE FROM partner_opportunities WHERE opportunity_id = $1 AND registration_id = $2`,
            [row.opportunity_id, id],
          );
          await this.sharing.unshare(tx, row.partner_id, 'opportunities', row.opportunity_id);
        }
        await this.emit(tx, row, null);
      }
      return ids.length;
    });
  }

  private async list(ctx: RequestContext, query: Record<string, unknown>, where: ExtraWhere[]) {
    const request = parseListQuery(query, pageLimits(this.crm.api));
    if (request.include.length || request.fields || request.count)
      throw AppError.field('include', 'unknownField', 'is not supported by deal registrations');
    const compiled = buildListQuery(
      registrationQuerySchema(),
      request,
      ANY_ROW,
      new SqlParams(),
      where,
    );
    const rows = await this.db.query<RegistrationRow & Record<string, unknown>>(
      ctx,
      compiled.sql.replace('SELECT dr.*', `SELECT ${REGISTRATION_COLUMNS}`),
      compiled.params,
    );
    const page = rows.slice(0, request.limit);
    return {
      rows: page,
      data: page.map(partnerRegistrationView),
      meta: {
        nextCursor:
          rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
        limit: request.limit,
      },
    };
  }

  private async row(ctx: RequestContext, id: string, lock = false) {
    return this.db.one<RegistrationRow>(
      ctx,
      `SELECT ${REGISTRATION_COLUMNS} FROM deal_registrations dr WHERE dr.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
  }

  /** The registration when its partner is within the caller's scope for `action`. */
  private async staffRow(
    ctx: RequestContext,
    id: string,
    action: 'read' | 'update',
    lock = false,
  ): Promise<RegistrationRow> {
    const readScope = this.permissions.require(ctx.user, 'partners', 'read');
    const row = await this.row(ctx, id, lock);
    const partner = row
      ? await this.db.one<{ owner_id: string; team_id: string | null }>(
          ctx,
          `SELECT owner_id, team_id FROM partners WHERE id = $1 AND deleted_at IS NULL`,
          [row.partner_id],
        )
      : null;
    const owned = partner ? { ownerId: partner.owner_id, teamId: partner.team_id } : null;
    if (!row || !owned || !this.permissions.inScope(ctx.user, readScope, owned))
      throw AppError.notFound('deal registration', id);
    if (action === 'update') {
      const scope = this.permissions.require(ctx.user, 'partners', 'update');
      if (!this.permissions.inScope(ctx.user, scope, owned))
        throw AppError.forbidden('update', 'partners');
    }
    return row;
  }

  private async decidable(tx: RequestContext, id: string, ifMatch: string | undefined) {
    const row = await this.staffRow(tx, id, 'update', true);
    checkIfMatch(ifMatch, row.version);
    if (row.status !== 'submitted')
      throw new AppError(
        'deal_registration_decided',
        { registrationStatus: row.status },
        undefined,
        { registrationStatus: row.status },
      );
    return row;
  }

  private async openOpportunityOf(tx: RequestContext, id: string, accountId: string) {
    const { record: opp } = await this.opportunities.get(tx, id);
    if (opp.accountId !== accountId)
      throw AppError.field('opportunityId', 'sameAccount', 'must be an opportunity of the account');
    if (opp.status !== 'open')
      throw AppError.field('opportunityId', 'open', 'must be an open opportunity');
    return id;
  }

  /**
   * What the registration collides with: open opportunities of an account of the same name
   * or web domain, and other partners' live registrations of it (with the products both name).
   */
  private async conflicts(
    ctx: RequestContext,
    r: RegistrationRow,
  ): Promise<RegistrationConflictDto[]> {
    const rows = await this.db.query<{
      kind: 'opportunity' | 'registration';
      id: string;
      match: 'name' | 'domain';
      account_name: string;
      partner_id: string | null;
      status: string;
      overlapping: string[];
    }>(
      ctx,
      `SELECT 'opportunity' AS kind, o.id, CASE WHEN lower(a.name) = lower($2) THEN 'name' ELSE 'domain' END AS match,
              a.name AS account_name, po.partner_id, o.status, '{}'::text[] AS overlapping
         FROM opportunities o JOIN accounts a ON a.id = o.account_id AND a.deleted_at IS NULL
         LEFT JOIN partner_opportunities po ON po.opportunity_id = o.id
        WHERE o.deleted_at IS NULL AND o.status = 'open' AND o.id IS DISTINCT FROM $5::uuid
          AND (lower(a.name) = lower($2) OR ($3::text IS NOT NULL AND a.website IS NOT NULL
               AND ${domainSql('a.website')} = $3))
       UNION ALL
       SELECT 'registration', d.id, CASE WHEN lower(d.account_name) = lower($2) THEN 'name' ELSE 'domain' END,
              d.account_name, d.partner_id, d.status,
              ARRAY(SELECT x FROM unnest(d.product_interest) x
                     WHERE lower(x) IN (SELECT lower(y) FROM unnest($4::text[]) y))
         FROM deal_registrations d
        WHERE d.id <> $1 AND d.partner_id <> $6 AND d.status IN ('submitted', 'approved')
          AND (lower(d.account_name) = lower($2) OR ($3::text IS NOT NULL AND d.account_domain = $3))
        LIMIT 100`,
      [r.id, r.account_name, r.account_domain, r.product_interest, r.opportunity_id, r.partner_id],
    );
    return rows.map((c) => ({
      kind: c.kind,
      id: c.id,
      match: c.match,
      accountName: c.account_name,
      partnerId: c.partner_id,
      status: c.status,
      overlappingProducts: c.overlapping,
    }));
  }

  private async emit(
    tx: RequestContext,
    r: RegistrationRow,
    byUserId: string | null,
    reason?: string,
  ) {
    const manager = await this.db.one<{ channel_manager_id: string | null }>(
      tx,
      `SELECT channel_manager_id FROM partners WHERE id = $1`,
      [r.partner_id],
    );
    const payload: DealRegistrationPayload = {
      registrationId: r.id,
      partnerId: r.partner_id,
      status: r.status,
      channelManagerId: manager?.channel_manager_id ?? null,
      accountName: r.account_name,
      opportunityId: r.opportunity_id,
      byUserId,
      ...(reason ? { reason } : {}),
    };
    const event = {
      submitted: DEAL_REGISTRATION_SUBMITTED,
      approved: DEAL_REGISTRATION_APPROVED,
      rejected: DEAL_REGISTRATION_REJECTED,
      expired: DEAL_REGISTRATION_EXPIRED,
    }[r.status];
    await this.outbox.append(tx, [event.of(r.id, payload)]);
  }
}
