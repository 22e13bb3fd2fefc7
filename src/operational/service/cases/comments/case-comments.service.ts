import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { CASE_COMMENT_ADDED } from '../../service.events.js';
import { SlaClock } from '../../sla/sla-clock.js';
import { caseParties } from '../case-parties.js';
import { CasesService } from '../cases.service.js';
import type { CaseCommentDto, CreateCaseCommentDto } from './case-comment.dto.js';
import { CaseCommentsRepository } from './case-comments.repository.js';

/**
 * Comments on a case: internal notes between staff and public answers to the customer. The
 * first public comment by staff is the case's first response on its SLA clock. Commenting
 * needs the right to update the case.
 */
@Injectable()
export class CaseCommentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly cases: CasesService,
    private readonly repo: CaseCommentsRepository,
    private readonly sla: SlaClock,
    private readonly outbox: EventOutbox,
  ) {}

  async add(ctx: RequestContext, caseId: string, body: CreateCaseCommentDto) {
    return this.db.transaction(ctx, async (tx) => {
      const c = await this.cases.loadForUpdate(tx, caseId);
      return this.write(tx, c, {
        body: body.body,
        visibility: body.visibility ?? 'internal',
        authorUserId: tx.user.userId,
        authorContactId: null,
        source: 'api',
      });
    });
  }

  /** Writes a comment on a case locked by the caller, with its event and SLA effect. */
  async write(
    tx: RequestContext,
    c: ApiRecord,
    comment: Omit<Parameters<CaseCommentsRepository['insert']>[1], 'caseId'>,
  ): Promise<CaseCommentDto> {
    if (c.status === 'closed') throw new AppError('case_closed', { number: c.number });
    const written = await this.repo.insert(tx, { ...comment, caseId: c.id });
    if (written.visibility === 'public' && written.authorUserId)
      await this.sla.firstResponse(tx, c.id, new Date(written.createdAt));
    await this.outbox.append(tx, [
      CASE_COMMENT_ADDED.of(c.id, {
        ...caseParties(c),
        commentId: written.id,
        visibility: written.visibility,
        authorUserId: written.authorUserId,
        authorContactId: written.authorContactId,
        source: written.source,
      }),
    ]);
    return written;
  }

  async list(ctx: RequestContext, caseId: string) {
    await this.cases.load(ctx, caseId);
    return { data: await this.repo.list(ctx, caseId) };
  }
}
