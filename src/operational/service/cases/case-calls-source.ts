import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import type { CallCasesSource, OpenCaseSummary } from '../calls/open-cases.js';
import { CASE_DEFINITION } from './case.definition.js';

/** The newest open cases the screen-pop shows per contact. */
const OPEN_PER_CONTACT = 20;
const DONE = ['resolved', 'closed'];

/**
 * Cases as the call centre sees them (provided under CALL_CASES): a caller's open cases for
 * the screen-pop, within the agent's read scope on cases (none without the right), and which
 * cases are resolved for the first-call resolution report.
 */
@Injectable()
export class CaseCallsSource implements CallCasesSource {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  async openCasesOf(
    ctx: RequestContext,
    contactIds: string[],
  ): Promise<Map<string, OpenCaseSummary[]>> {
    const found = new Map<string, OpenCaseSummary[]>();
    const scope = this.permissions.grant(ctx.user, CASE_DEFINITION.entity).read;
    if (scope === 'none' || contactIds.length === 0) return found;
    const params = new SqlParams();
    const ids = params.add(contactIds);
    const done = params.add(DONE);
    const where = this.permissions.scopeSql(
      ctx.user,
      scope,
      querySchemaOf(CASE_DEFINITION),
      'cs',
      params,
    );
    const rows = await this.db.query<{
      contact_id: string;
      id: string;
      number: string;
      subject: string;
      status: string;
      priority: string | null;
      created_at: Date;
    }>(
      ctx,
      `SELECT contact_id, id, number, subject, status, priority, created_at FROM (
         SELECT cs.*, row_number() OVER (PARTITION BY cs.contact_id ORDER BY cs.created_at DESC, cs.id DESC) AS n
           FROM cases cs
          WHERE cs.contact_id = ANY(${ids}::uuid[]) AND cs.deleted_at IS NULL
            AND cs.status <> ALL(${done}::text[]) AND ${where}) ranked
        WHERE n <= ${OPEN_PER_CONTACT} ORDER BY contact_id, created_at DESC, id DESC`,
      params.values,
    );
    for (const r of rows) {
      const list = found.get(r.contact_id) ?? [];
      list.push({
        id: r.id,
        number: r.number,
        subject: r.subject,
        status: r.status,
        priority: r.priority,
        openedAt: r.created_at.toISOString(),
      });
      found.set(r.contact_id, list);
    }
    return found;
  }

  async resolvedAmong(ctx: RequestContext, caseIds: string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id FROM cases WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])`,
      [caseIds, DONE],
    );
    return new Set(rows.map((r) => r.id));
  }
}
