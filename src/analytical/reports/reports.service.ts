import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import { cronProblem } from '#platform/jobs/index.js';
import {
  decodeHistoryCursor,
  encodeHistoryCursor,
  type ListRequest,
  type SqlParams,
} from '#platform/query/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { conditionProblems, type ReportCondition } from './report-condition.js';
import { exportResult } from './report-export.js';
import { ReportQuery } from './report-query.js';
import { runView, ReportRunner, type RunRow } from './report-runner.js';
import { nextSlot } from './report-schedule.js';
import { REPORT_DEFINITION } from './report.definition.js';
import type { ExportFormat, ReportDeliveryDto } from './dto/report.dto.js';

const uniqueIds = (v: unknown): string[] =>
  Array.isArray(v) ? [...new Set(v.map((x) => String(x).toLowerCase()))] : [];

/**
 * Saved reports: their queries and conditions checked against the data they name, their
 * schedules against cron and time zone, sharing by team and role, on-demand runs as the
 * caller and the run history. A report is seen by its owner, its team, the teams and roles
 * it is shared with, and admins; anyone else gets 404.
 */
@Injectable()
export class ReportsService extends RecordResourceService {
  readonly def = REPORT_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    shape: (input) => {
      const out = { ...input };
      for (const key of ['sharedTeamIds', 'sharedRoleIds'])
        if (key in out) out[key] = uniqueIds(out[key]);
      if ('delivery' in out && out.delivery && typeof out.delivery === 'object') {
        const d = out.delivery as ReportDeliveryDto;
        out.delivery = { ...d, ...(d.userIds ? { userIds: uniqueIds(d.userIds) } : {}) };
      }
      return out;
    },
    validate: (ctx, record) => this.validateReport(ctx, record),
    derive: (r) => ({ next_run_at: this.nextRun(r) }),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly query: ReportQuery,
    private readonly runner: ReportRunner,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    super(records);
  }

  override list(ctx: RequestContext, request: ListRequest) {
    return this.records.list(ctx, this.def, request, [(params) => this.visibleSql(ctx, params)]);
  }

  override async get(
    ctx: RequestContext,
    id: string,
    include: string[] = [],
    fields: string[] | null = null,
  ) {
    await this.visible(ctx, id);
    return super.get(ctx, id, include, fields);
  }

  override async history(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    await this.visible(ctx, id);
    return super.history(ctx, id, limit, cursor);
  }

  /** Runs the report now as the caller: the result, kept as a run and pushed as configured. */
  async run(ctx: RequestContext, id: string) {
    const report = await this.visible(ctx, id);
    return this.runner.run(ctx, report, 'manual');
  }

  async runs(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    await this.visible(ctx, id);
    const params: unknown[] = [id, limit + 1];
    let after = '';
    if (cursor) {
      const [at, runId] = decodeHistoryCursor(cursor);
      params.push(at, runId);
      after = `AND (started_at, id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = await this.db.query<RunRow & { at_text: string }>(
      ctx,
      `SELECT id, report_id, trigger, status, run_by_id, started_at, finished_at, row_count, condition_held,
              delivered, email_status, error, started_at::text AS at_text
         FROM report_runs WHERE report_id = $1 ${after}
        ORDER BY started_at DESC, id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map((r) => runView(r, false)),
      meta: {
        nextCursor: rows.length > limit && last ? encodeHistoryCursor(last.at_text, last.id) : null,
        limit,
      },
    };
  }

  async runOf(ctx: RequestContext, id: string, runId: string) {
    const report = await this.visible(ctx, id);
    const run = await this.db.one<RunRow>(
      ctx,
      `SELECT * FROM report_runs WHERE id = $1 AND report_id = $2`,
      [runId, id],
    );
    if (!run) throw AppError.notFound('report run', runId);
    return { report, run };
  }

  async export(ctx: RequestContext, id: string, runId: string, format: ExportFormat) {
    const { report, run } = await this.runOf(ctx, id, runId);
    if (!run.result) throw AppError.notFound('report run', runId);
    return exportResult(run.result, format, String(report.name));
  }

  /** The report if the caller may see it (owner, team, shared team or role, admin); else 404. */
  async visible(ctx: RequestContext, id: string): Promise<ApiRecord> {
    const report = await this.records.load(ctx, this.def, id);
    const p = ctx.user;
    const sees =
      p.permissions.admin ||
      report.ownerId === p.userId ||
      (report.teamId !== null && p.teamIds.includes(report.teamId)) ||
      (report.sharedTeamIds as string[]).some((t) => p.teamIds.includes(t)) ||
      (report.sharedRoleIds as string[]).includes(p.roleId);
    if (!sees) throw AppError.notFound(this.def.entity, id);
    return report;
  }

  private visibleSql(ctx: RequestContext, params: SqlParams): string {
    const p = ctx.user;
    if (p.permissions.admin) return 'TRUE';
    const teams = params.add(p.teamIds);
    return `(rep.owner_id = ${params.add(p.userId)}::uuid OR rep.team_id = ANY(${teams}::uuid[])
             OR rep.shared_team_ids && ${teams}::uuid[] OR ${params.add(p.roleId)}::uuid = ANY(rep.shared_role_ids))`;
  }

  private nextRun(r: Record<string, unknown>): Date | null {
    if (!r.schedule || r.active === false) return null;
    try {
      return nextSlot(String(r.schedule), String(r.timeZone ?? this.config.organization.timeZone));
    } catch {
      return null;
    }
  }

  private async validateReport(ctx: RequestContext, r: Record<string, unknown>): Promise<void> {
    const errors: FieldError[] = [];
    if (r.schedule) {
      const problem = cronProblem(
        String(r.schedule),
        String(r.timeZone ?? this.config.organization.timeZone),
      );
      if (problem) errors.push({ field: 'schedule', rule: 'isCron', message: problem });
    }
    const prepared = await this.query.prepare(
      ctx,
      String(r.kind),
      (r.query ?? {}) as Record<string, unknown>,
    );
    if (r.condition)
      errors.push(...conditionProblems(r.condition as ReportCondition, prepared.fields));
    const delivery = (r.delivery ?? {}) as ReportDeliveryDto;
    const userIds = delivery.userIds ?? [];
    if (userIds.length) {
      const found = await this.db.query<{ id: string }>(
        ctx,
        `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
        [userIds],
      );
      const missing = userIds.filter((u) => !found.some((f) => f.id === u));
      if (missing.length)
        errors.push({
          field: 'delivery.userIds',
          rule: 'exists',
          message: `no such users: ${missing.join(', ')}`,
        });
    }
    if (errors.length) throw AppError.validation(errors);
    await this.query.tryOut(ctx, prepared);
  }
}
