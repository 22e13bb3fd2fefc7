import { Inject, Injectable } from '@nestjs/common';
import { LeadsService, OpportunitiesService } from '#operational/sales/index.js';
import { customerListRequest } from '#operational/service/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { actingForAudience } from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { pageLimits, parseListQuery } from '#platform/query/index.js';
import {
  RecordService,
  type ApiRecord,
  type RecordResourceService,
} from '#platform/records/index.js';
import { PARTNER_ACTOR_ID, PARTNER_AUDIENCE, type PartnerPrincipal } from './partner-sessions.js';
import { PartnerSharing, type SharedType } from './partner-sharing.js';
import {
  PARTNER_LEAD_FIELDS,
  PARTNER_OPPORTUNITY_FIELDS,
  PARTNERS_SECTION,
} from './partners.config.js';

/** Lead statuses a partner may set while working a lead. */
export const PARTNER_LEAD_STATUSES = ['working', 'nurturing', 'qualified', 'unqualified'] as const;

const pick = (r: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, r[f] ?? null]));

/**
 * Leads and opportunities as a partner sees them: only those shared with its organization,
 * only the fields above less those `partners.access` hides, and a small set of updates (a lead's status, an opportunity's next
 * step) made on the authority of the staff user who invited the partner user.
 */
@Injectable()
export class PartnerRecordsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
    private readonly leads: LeadsService,
    private readonly opportunities: OpportunitiesService,
    private readonly sharing: PartnerSharing,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {}

  /** The record type as the partner role (`partners.access`) lets partners see and change it. */
  private kind(type: SharedType) {
    const access = PARTNERS_SECTION.read(this.crm).access[type];
    const all: readonly string[] =
      type === 'leads' ? PARTNER_LEAD_FIELDS : PARTNER_OPPORTUNITY_FIELDS;
    const fields = all.filter((f) => !access.hidden.includes(f));
    return type === 'leads'
      ? { service: this.leads as RecordResourceService, fields, access, noun: 'lead' }
      : {
          service: this.opportunities as RecordResourceService,
          fields,
          access,
          noun: 'opportunity',
        };
  }

  /** Reads run with every grant: the share check above is the partner's narrower rule. */
  private acting(ctx: RequestContext): RequestContext {
    return actingForAudience(ctx, PARTNER_AUDIENCE, PARTNER_ACTOR_ID);
  }

  async list(
    ctx: RequestContext,
    p: PartnerPrincipal,
    type: SharedType,
    query: Record<string, unknown>,
  ) {
    const { service, fields, access } = this.kind(type);
    const request = customerListRequest(parseListQuery(query, pageLimits(this.crm.api)), fields);
    // A search would answer on hidden text too, and so tell what it holds.
    if (request.q && access.hidden.length)
      throw AppError.field('q', 'whitelist', 'is not available while fields are hidden');
    const page = await this.records.list(this.acting(ctx), service.def, request, [
      this.sharing.sharedWhere(p.partnerId, type, service.def.alias),
    ]);
    return { data: page.data.map((r) => pick(r, fields)), meta: page.meta };
  }

  private async shared(ctx: RequestContext, p: PartnerPrincipal, type: SharedType, id: string) {
    const { service, noun } = this.kind(type);
    if (!(await this.sharing.isShared(ctx, p.partnerId, type, id)))
      throw AppError.notFound(noun, id);
    return this.records.load(this.acting(ctx), service.def, id);
  }

  async get(ctx: RequestContext, p: PartnerPrincipal, type: SharedType, id: string) {
    const { fields } = this.kind(type);
    const record = await this.shared(ctx, p, type, id);
    return { record: pick(record, fields), version: record.version };
  }

  async update(
    ctx: RequestContext,
    p: PartnerPrincipal,
    type: SharedType,
    id: string,
    patch: Record<string, unknown>,
    ifMatch: string | undefined,
  ) {
    const { service, fields, access, noun } = this.kind(type);
    const locked = Object.keys(patch).find((f) => !access.editable.includes(f));
    await this.shared(ctx, p, type, id);
    if (locked) throw new AppError('partner_field_not_editable', { field: locked, entity: noun });
    const updated = await service.update(this.acting(ctx), id, patch, ifMatch);
    return { record: pick(updated, fields), version: updated.version };
  }

  /** Staff share a lead or opportunity they may update with an active partner. */
  async shareByStaff(
    ctx: RequestContext,
    type: SharedType,
    id: string,
    partnerId: string,
  ): Promise<{ partnerId: string; recordType: SharedType; recordId: string; added: boolean }> {
    const { service, noun } = this.kind(type);
    const record: ApiRecord = await this.records.load(ctx, service.def, id);
    const scope = this.permissions.require(ctx.user, type, 'update');
    if (!this.permissions.inScope(ctx.user, scope, record))
      throw AppError.forbidden('update', `this ${noun}`);
    const partner = await this.db.one<{ status: string }>(
      ctx,
      `SELECT status FROM partners WHERE id = $1 AND deleted_at IS NULL`,
      [partnerId],
    );
    if (!partner) throw AppError.field('partnerId', 'exists', 'names no partner');
    if (partner.status !== 'active') throw new AppError('partner_suspended');
    const added = await this.db.transaction(ctx, (tx) =>
      this.sharing.share(tx, partnerId, type, id, 'staff'),
    );
    return { partnerId, recordType: type, recordId: id, added };
  }
}
