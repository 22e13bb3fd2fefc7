import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PreferencesService, type UpdatePreferencesDto } from '#operational/marketing/index.js';
import { OrdersService } from '#operational/orders/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import { pageLimits, parseListQuery } from '#platform/query/index.js';
import { RecordService } from '#platform/records/index.js';
import { KnowledgeSearchService } from '../knowledge/knowledge-search.service.js';
import type { PortalMeDto, PortalOrderDto } from './dto/portal.dto.js';
import { customerListRequest, ownedWhere, portalContext } from './portal-scope.js';
import type { PortalPrincipal } from './portal-sessions.js';

const ORDER_FIELDS = ['id', 'number', 'status', 'orderedAt', 'statusChangedAt', 'createdAt'];

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string));

function portalOrder(o: Row, detail: boolean): PortalOrderDto {
  const view: PortalOrderDto = {
    id: o.id as string,
    number: o.number as string,
    status: o.status as string,
    orderedAt: iso(o.orderedAt),
    statusChangedAt: iso(o.statusChangedAt),
    total: o.total as PortalOrderDto['total'],
  };
  if (!detail) return view;
  return {
    ...view,
    lines: ((o.lines as Row[] | undefined) ?? []).map((l) => ({
      lineNo: l.lineNo as number,
      kind: l.kind as string,
      sku: l.sku as string,
      productName: l.productName as string,
      quantity: l.quantity as string,
      unitPrice: l.unitPrice as PortalOrderDto['total'],
      net: l.net as PortalOrderDto['total'],
    })),
    trackingEvents: ((o.trackingEvents as Row[] | undefined) ?? []).map((e) => ({
      occurredAt: e.occurredAt as string,
      status: e.status as string,
      carrier: (e.carrier as string | null) ?? null,
      trackingNumber: (e.trackingNumber as string | null) ?? null,
      location: (e.location as string | null) ?? null,
    })),
  };
}

/**
 * The customer's own things besides cases: who they are, their account's orders (order
 * tracking), the public knowledge base and their contact preferences.
 */
@Injectable()
export class PortalSelfService {
  constructor(
    private readonly records: RecordService,
    private readonly orders: OrdersService,
    private readonly knowledge: KnowledgeSearchService,
    private readonly preferences: PreferencesService,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {}

  async me(ctx: RequestContext, p: PortalPrincipal): Promise<PortalMeDto> {
    const acting = portalContext(ctx);
    const contact = await this.records.load(acting, CONTACT_DEFINITION, p.contactId);
    const account = p.accountId
      ? await this.records.load(acting, ACCOUNT_DEFINITION, p.accountId)
      : null;
    return {
      contactId: p.contactId,
      accountId: p.accountId,
      accountName: (account?.name as string | undefined) ?? null,
      firstName: (contact.firstName as string | null) ?? null,
      lastName: contact.lastName as string,
      email: p.email,
    };
  }

  async listOrders(ctx: RequestContext, p: PortalPrincipal, query: Record<string, unknown>) {
    const request = customerListRequest(
      parseListQuery(query, pageLimits(this.crm.api)),
      ORDER_FIELDS,
    );
    const page = await this.records.list(portalContext(ctx), this.orders.def, request, [
      ownedWhere(p, this.orders.def.alias, p.accountId === null),
    ]);
    return { data: page.data.map((o) => portalOrder(o, false)), meta: page.meta };
  }

  /** One order of the customer's account (or their own, without an account); 404 otherwise. */
  async order(ctx: RequestContext, p: PortalPrincipal, id: string): Promise<PortalOrderDto> {
    const { record } = await this.orders.get(portalContext(ctx), id);
    const owned = p.accountId ? record.accountId === p.accountId : record.contactId === p.contactId;
    if (!owned) throw AppError.notFound('order', id);
    return portalOrder(record, true);
  }

  articles(ctx: RequestContext, query: Record<string, unknown>) {
    return this.knowledge.publicArticles(ctx, query);
  }

  preferencesOf(ctx: RequestContext, p: PortalPrincipal) {
    return this.preferences.getAsContact(ctx, p.contactId);
  }

  updatePreferences(
    ctx: RequestContext,
    p: PortalPrincipal,
    patch: UpdatePreferencesDto,
    ifMatch: string | undefined,
  ) {
    return this.preferences.updateAsContact(ctx, p.contactId, patch, ifMatch);
  }
}
