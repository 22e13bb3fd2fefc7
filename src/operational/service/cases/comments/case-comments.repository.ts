import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { CaseCommentDto, CommentSource, CommentVisibility } from './case-comment.dto.js';

type Row = {
  id: string;
  case_id: string;
  body: string;
  visibility: CommentVisibility;
  author_user_id: string | null;
  author_contact_id: string | null;
  source: CommentSource;
  created_at: Date;
};

const toDto = (r: Row): CaseCommentDto => ({
  id: r.id,
  caseId: r.case_id,
  body: r.body,
  visibility: r.visibility,
  authorUserId: r.author_user_id,
  authorContactId: r.author_contact_id,
  source: r.source,
  createdAt: r.created_at.toISOString(),
});

export const MAX_COMMENTS_LISTED = 1000;

@Injectable()
export class CaseCommentsRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: RequestContext,
    c: {
      caseId: string;
      body: string;
      visibility: CommentVisibility;
      authorUserId: string | null;
      authorContactId: string | null;
      source: CommentSource;
    },
  ): Promise<CaseCommentDto> {
    const rows = await this.db.query<Row>(
      tx,
      `INSERT INTO case_comments (id, case_id, body, visibility, author_user_id, author_contact_id, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [uuidv7(), c.caseId, c.body, c.visibility, c.authorUserId, c.authorContactId, c.source],
    );
    return toDto(rows[0]);
  }

  async list(ctx: RequestContext, caseId: string): Promise<CaseCommentDto[]> {
    const rows = await this.db.query<Row>(
      ctx,
      `SELECT * FROM case_comments WHERE case_id = $1 ORDER BY created_at, id LIMIT ${MAX_COMMENTS_LISTED}`,
      [caseId],
    );
    return rows.map(toDto);
  }
}
