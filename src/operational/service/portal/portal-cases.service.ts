import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type UploadPart } from '#platform/http/index.js';
import { pageLimits, parseListQuery } from '#platform/query/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { CaseAttachmentsService } from '../attachments/case-attachments.service.js';
import type { CaseAttachmentDto } from '../attachments/case-attachment.dto.js';
import { CaseCommentsService } from '../cases/comments/case-comments.service.js';
import { CasesService } from '../cases/cases.service.js';
import type { CaseCommentDto } from '../cases/comments/case-comment.dto.js';
import type {
  CreatePortalCaseDto,
  PortalAttachmentDto,
  PortalCaseDto,
  PortalCommentDto,
} from './dto/portal.dto.js';
import { customerListRequest, mustOwn, ownedWhere, portalContext } from './portal-scope.js';
import { PORTAL_SECTION } from './portal.config.js';
import type { PortalPrincipal } from './portal-sessions.js';

/** The case fields a customer sees, filters and sorts on. */
const CASE_FIELDS = [
  'id',
  'number',
  'subject',
  'description',
  'status',
  'type',
  'category',
  'channel',
  'contactId',
  'orderId',
  'resolvedAt',
  'closedAt',
  'createdAt',
  'updatedAt',
  'version',
] as const;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

export function portalCase(r: Record<string, unknown>): PortalCaseDto {
  return Object.fromEntries(
    CASE_FIELDS.map((f) => [f, iso(r[f] ?? null)]),
  ) as unknown as PortalCaseDto;
}

const portalComment = (c: CaseCommentDto): PortalCommentDto => ({
  id: c.id,
  body: c.body,
  author: c.authorContactId ? 'customer' : 'staff',
  authorContactId: c.authorContactId,
  createdAt: c.createdAt,
});

const portalAttachment = (a: CaseAttachmentDto): PortalAttachmentDto => ({
  id: a.id,
  fileName: a.fileName,
  mediaType: a.mediaType,
  sizeBytes: a.sizeBytes,
  createdAt: a.createdAt,
});

/** What a customer's reply does to a case waiting for them or already resolved. */
const REOPENS: Record<string, string> = { pending_customer: 'open', resolved: 'reopened' };

/**
 * The customer's cases: those of their contact or account, never another's (404 as if it did
 * not exist). Public comments only, attachments other than those of internal notes, and none
 * of the desk's internal fields. Writes go through the cases' own services, so a portal case
 * passes every rule a staff one does (SLA, assignment by queue, events, history).
 */
@Injectable()
export class PortalCasesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly cases: CasesService,
    private readonly comments: CaseCommentsService,
    private readonly attachments: CaseAttachmentsService,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {}

  async list(ctx: RequestContext, p: PortalPrincipal, query: Record<string, unknown>) {
    const request = customerListRequest(
      parseListQuery(query, pageLimits(this.crm.api)),
      CASE_FIELDS,
    );
    const page = await this.records.list(portalContext(ctx), this.cases.def, request, [
      ownedWhere(p, this.cases.def.alias),
    ]);
    return { data: page.data.map(portalCase), meta: page.meta };
  }

  private async own(ctx: RequestContext, p: PortalPrincipal, id: string): Promise<ApiRecord> {
    return mustOwn(p, await this.cases.load(portalContext(ctx), id), 'case');
  }

  async get(ctx: RequestContext, p: PortalPrincipal, id: string): Promise<PortalCaseDto> {
    return portalCase(await this.own(ctx, p, id));
  }

  async open(ctx: RequestContext, p: PortalPrincipal, body: CreatePortalCaseDto) {
    if (body.contactId !== undefined && body.contactId !== p.contactId)
      throw notOwn('contactId', 'contact', 'kontak');
    if (body.accountId !== undefined && body.accountId !== p.accountId)
      throw notOwn('accountId', 'account', 'akun');
    const acting = portalContext(ctx);
    return this.db.transaction(acting, async (tx) => {
      if (body.orderId) {
        const order = await this.db.one<{ account_id: string; contact_id: string | null }>(
          tx,
          `SELECT account_id, contact_id FROM orders WHERE id = $1 AND deleted_at IS NULL`,
          [body.orderId],
        );
        const owned =
          order &&
          (order.contact_id === p.contactId ||
            (p.accountId !== null && order.account_id === p.accountId));
        if (!owned) throw notOwn('orderId', 'order', 'pesanan');
      }
      const { caseQueueId, caseOwnerId } = PORTAL_SECTION.read(this.crm);
      const created = await this.cases.create(tx, {
        ...(caseQueueId ? { queueId: caseQueueId } : {}),
        ownerId: caseOwnerId ?? (await this.contactOwner(tx, p.contactId)),
        subject: body.subject,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.type !== undefined ? { type: body.type } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
        ...(body.orderId !== undefined ? { orderId: body.orderId } : {}),
        channel: 'portal',
        contactId: p.contactId,
        accountId: p.accountId,
      });
      return portalCase(created);
    });
  }

  /** Who looks after the customer: their contact's owner, who answers for the case until routing picks someone. */
  private async contactOwner(tx: RequestContext, contactId: string): Promise<string> {
    const row = await this.db.one<{ owner_id: string }>(
      tx,
      `SELECT owner_id FROM contacts WHERE id = $1`,
      [contactId],
    );
    if (!row) throw AppError.notFound('contact', contactId);
    return row.owner_id;
  }

  async listComments(ctx: RequestContext, p: PortalPrincipal, id: string) {
    await this.own(ctx, p, id);
    const { data: all } = await this.comments.list(portalContext(ctx), id);
    return { data: all.filter((c) => c.visibility === 'public').map(portalComment) };
  }

  /** A public comment by the customer; a case waiting for them opens again. */
  async comment(ctx: RequestContext, p: PortalPrincipal, id: string, body: string) {
    return this.db.transaction(portalContext(ctx), async (tx) => {
      const c = mustOwn(p, await this.cases.loadForUpdate(tx, id), 'case');
      const written = await this.comments.write(tx, c, {
        body,
        visibility: 'public',
        authorUserId: null,
        authorContactId: p.contactId,
        source: 'portal',
      });
      const back = REOPENS[c.status as string];
      if (back) await this.cases.update(tx, c.id, { status: back });
      return portalComment(written);
    });
  }

  /** Attachments the customer may see: not those of internal notes. */
  private async visible(ctx: RequestContext, p: PortalPrincipal, id: string) {
    const acting = portalContext(ctx);
    const internal = new Set(
      (await this.comments.list(acting, id)).data
        .filter((c) => c.visibility === 'internal')
        .map((c) => c.id),
    );
    const { data } = await this.attachments.list(acting, id);
    return data.filter((a) => a.commentId === null || !internal.has(a.commentId));
  }

  async listAttachments(ctx: RequestContext, p: PortalPrincipal, id: string) {
    await this.own(ctx, p, id);
    return { data: (await this.visible(ctx, p, id)).map(portalAttachment) };
  }

  async upload(
    ctx: RequestContext,
    p: PortalPrincipal,
    id: string,
    parts: AsyncIterable<UploadPart>,
  ): Promise<PortalAttachmentDto> {
    const c = await this.own(ctx, p, id);
    if (c.status === 'closed') throw new AppError('case_closed', { number: c.number });
    return portalAttachment(
      await this.attachments.upload(portalContext(ctx), id, parts, p.contactId),
    );
  }

  async download(ctx: RequestContext, p: PortalPrincipal, id: string, attachmentId: string) {
    await this.own(ctx, p, id);
    if (!(await this.visible(ctx, p, id)).some((a) => a.id === attachmentId))
      throw AppError.notFound('attachment', attachmentId);
    return this.attachments.content(portalContext(ctx), id, attachmentId);
  }
}

function notOwn(field: string, noun: string, nounId: string): AppError {
  return new AppError('portal_not_own', { field, noun, nounId }, undefined, { field });
}
