import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { decodeHistoryCursor, encodeHistoryCursor } from '#platform/query/index.js';

interface InboxRow {
  id: string;
  report_id: string;
  run_id: string;
  name: string;
  row_count: number;
  condition_held: boolean | null;
  created_at: Date;
  read_at: Date | null;
  at_text: string;
}

const view = (r: InboxRow) => ({
  id: r.id,
  reportId: r.report_id,
  runId: r.run_id,
  reportName: r.name,
  rowCount: r.row_count,
  conditionHeld: r.condition_held,
  deliveredAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

const SELECT = `SELECT d.id, d.report_id, d.run_id, rep.name, run.row_count, run.condition_held, d.created_at,
                       d.read_at, d.created_at::text AS at_text
                  FROM report_deliveries d
                  JOIN reports rep ON rep.id = d.report_id
                  JOIN report_runs run ON run.id = d.run_id`;

/** The caller's in-app inbox of delivered report runs, newest first. */
@Injectable()
export class ReportInboxService {
  constructor(private readonly db: DatabaseService) {}

  async list(ctx: RequestContext, unreadOnly: boolean, limit: number, cursor: string | null) {
    const params: unknown[] = [ctx.user.userId, limit + 1];
    const where = ['d.user_id = $1', 'rep.deleted_at IS NULL'];
    if (unreadOnly) where.push('d.read_at IS NULL');
    if (cursor) {
      const [at, id] = decodeHistoryCursor(cursor);
      params.push(at, id);
      where.push('(d.created_at, d.id) < ($3::timestamptz, $4::uuid)');
    }
    const rows = await this.db.query<InboxRow>(
      ctx,
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const unread = await this.db.one<{ n: number }>(
      ctx,
      `SELECT count(*)::int AS n FROM report_deliveries d JOIN reports rep ON rep.id = d.report_id
        WHERE d.user_id = $1 AND d.read_at IS NULL AND rep.deleted_at IS NULL`,
      [ctx.user.userId],
    );
    return {
      data: page.map(view),
      meta: {
        nextCursor: rows.length > limit && last ? encodeHistoryCursor(last.at_text, last.id) : null,
        limit,
        unread: unread?.n ?? 0,
      },
    };
  }

  /** Marks an entry of the caller's inbox read; another user's entry is a 404. */
  async markRead(ctx: RequestContext, id: string) {
    const updated = await this.db.query<{ id: string }>(
      ctx,
      `UPDATE report_deliveries SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, ctx.user.userId],
    );
    if (!updated.length) throw AppError.notFound('report delivery', id);
    const row = await this.db.one<InboxRow>(ctx, `${SELECT} WHERE d.id = $1`, [id]);
    return view(row!);
  }
}
