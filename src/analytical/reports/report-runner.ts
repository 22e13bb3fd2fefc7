import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { compare, type ReportCondition } from './report-condition.js';
import { exportResult } from './report-export.js';
import { ReportMailer } from './report-mailer.js';
import { ReportQuery } from './report-query.js';
import type { ReportResult } from './report-result.js';
import { REPORTS_SECTION } from './reports.config.js';
import { REPORT_RUN_DELIVERED, REPORT_RUN_FAILED } from './reports.events.js';
import type { ReportDeliveryDto } from './dto/report.dto.js';

export type RunTrigger = 'manual' | 'schedule';

export interface RunRow {
  id: string;
  report_id: string;
  trigger: RunTrigger;
  status: 'completed' | 'failed';
  run_by_id: string;
  started_at: Date;
  finished_at: Date;
  row_count: number;
  condition_held: boolean | null;
  delivered: boolean;
  email_status: string | null;
  error: string | null;
  result?: ReportResult | null;
}

/** A run in API form; `result` only when asked for. */
export function runView(r: RunRow, withResult: boolean) {
  return {
    id: r.id,
    reportId: r.report_id,
    trigger: r.trigger,
    status: r.status,
    runById: r.run_by_id,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at.toISOString(),
    rowCount: r.row_count,
    conditionHeld: r.condition_held,
    delivered: r.delivered,
    emailStatus: r.email_status,
    error: r.error,
    ...(withResult ? { result: r.result ?? null } : {}),
  };
}

/** Whether an exception condition holds, and the rows the run then carries. */
export function applyCondition(
  c: ReportCondition,
  result: ReportResult,
): { held: boolean; result: ReportResult } {
  const details = result.rows.filter((r) => !r.rolledUp);
  switch (c.when) {
    case 'rowsExist':
      return { held: details.length > 0, result };
    case 'rowCount':
      return { held: compare(details.length, c.op!, c.value), result };
    case 'anyRow': {
      const rows = details.filter((r) => compare(r[c.field!], c.op!, c.value));
      return { held: rows.length > 0, result: { ...result, rows } };
    }
  }
}

/**
 * Runs a report as the given caller and keeps the run; when its condition holds (or it has
 * none) pushes it: an inbox entry per recipient and `report.run.delivered` in the run's
 * transaction, then the e-mail with the result attached once that committed.
 */
@Injectable()
export class ReportRunner {
  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
    private readonly query: ReportQuery,
    private readonly mailer: ReportMailer,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async run(ctx: RequestContext, report: ApiRecord, trigger: RunTrigger) {
    const started = new Date();
    const prepared = await this.query.prepare(
      ctx,
      String(report.kind),
      report.query as Record<string, unknown>,
    );
    let result = await this.query.run(ctx, prepared);
    let held: boolean | null = null;
    const condition = report.condition as ReportCondition | null;
    if (condition) ({ held, result } = applyCondition(condition, result));
    const fire = held !== false;
    const delivery = (report.delivery ?? {}) as ReportDeliveryDto;
    const wanted =
      fire && delivery.inbox !== false
        ? [...new Set([report.ownerId, ...(delivery.userIds ?? [])])]
        : [];
    const email = fire ? (delivery.email ?? null) : null;
    const runId = uuidv7();
    const row = await this.db.transaction(ctx, async (tx) => {
      const recipients = (
        await this.db.query<{ id: string }>(
          tx,
          `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active AND deleted_at IS NULL ORDER BY id`,
          [wanted],
        )
      ).map((u) => u.id);
      const delivered = fire && (recipients.length > 0 || email !== null);
      const [run] = await this.db.query<RunRow>(
        tx,
        `INSERT INTO report_runs (id, report_id, trigger, status, run_by_id, started_at, finished_at, row_count,
                                  condition_held, delivered, result, email_status)
         VALUES ($1, $2, $3, 'completed', $4, $5, clock_timestamp(), $6, $7, $8, $9, $10) RETURNING *`,
        [
          runId,
          report.id,
          trigger,
          ctx.user.userId,
          started,
          result.rows.length,
          held,
          delivered,
          JSON.stringify(result),
          email ? 'failed' : null,
        ],
      );
      await this.db.query(
        tx,
        `INSERT INTO report_deliveries (id, report_id, run_id, user_id)
         SELECT u.id2, $1, $2, u.uid FROM unnest($3::uuid[], $4::uuid[]) AS u (uid, id2)`,
        [report.id, runId, recipients, recipients.map(() => uuidv7())],
      );
      await this.db.query(tx, `UPDATE reports SET last_run_at = $2 WHERE id = $1`, [
        report.id,
        started,
      ]);
      if (delivered)
        await this.outbox.append(tx, [
          REPORT_RUN_DELIVERED.of(String(report.id), {
            reportId: String(report.id),
            runId,
            userIds: recipients,
            name: String(report.name),
            rowCount: result.rows.length,
          }),
        ]);
      return run;
    });
    if (email) {
      const file = await exportResult(result, email.format, String(report.name));
      const status = await this.mailer.send(
        email.to,
        `${String(report.name)}${held ? ' — condition met' : ''}`,
        `${String(report.name)}: ${result.rows.length} rows${result.dataAsOf ? `, data as of ${result.dataAsOf}` : ''}. The file is attached.`,
        file,
      );
      await this.db.query(ctx, `UPDATE report_runs SET email_status = $2 WHERE id = $1`, [
        runId,
        status,
      ]);
      row.email_status = status;
    }
    await this.prune(ctx, String(report.id));
    return runView(row, true);
  }

  /** Keeps a scheduled run that could not be made, so the history shows why. */
  async failed(
    ctx: RequestContext,
    report: ApiRecord,
    runById: string,
    started: Date,
    error: string,
  ) {
    const runId = uuidv7();
    await this.db.transaction(ctx, async (tx) => {
      await this.db.query(
        tx,
        `INSERT INTO report_runs (id, report_id, trigger, status, run_by_id, started_at, finished_at, error)
         VALUES ($1, $2, 'schedule', 'failed', $3, $4, clock_timestamp(), $5)`,
        [runId, report.id, runById, started, error.slice(0, 2000)],
      );
      await this.outbox.append(tx, [
        REPORT_RUN_FAILED.of(String(report.id), {
          reportId: String(report.id),
          runId,
          error: error.slice(0, 500),
        }),
      ]);
    });
  }

  private async prune(ctx: RequestContext, reportId: string): Promise<void> {
    await this.db.query(
      ctx,
      `DELETE FROM report_runs WHERE report_id = $1 AND id IN (
         SELECT id FROM report_runs WHERE report_id = $1 ORDER BY started_at DESC, id DESC OFFSET $2)`,
      [reportId, REPORTS_SECTION.read(this.config).runsKept],
    );
  }
}
