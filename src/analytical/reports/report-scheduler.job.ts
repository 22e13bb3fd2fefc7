import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PrincipalLoader } from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { recordSelect, rowToRecord } from '#platform/records/index.js';
import { ReportRunner } from './report-runner.js';
import { nextSlot } from './report-schedule.js';
import { REPORT_DEFINITION } from './report.definition.js';
import { REPORTS_SECTION } from './reports.config.js';

export const REPORT_DUE_QUEUE = 'reports.due';
export const REPORT_RUN_QUEUE = 'reports.run';
const BATCH = 100;

interface RunPayload {
  reportId: string;
  slot: string;
}

/**
 * Scheduled reports as durable jobs: a platform schedule looks for reports whose next slot has
 * come, enqueues one run job per slot (its singleton key makes a second look harmless) and
 * moves the slot on; the run job runs the report as its owner, with the owner's access today.
 */
@Injectable()
export class ReportSchedulerJob implements OnModuleInit {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly jobs: JobsService,
    private readonly db: DatabaseService,
    private readonly runner: ReportRunner,
    private readonly principals: PrincipalLoader,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(REPORT_DUE_QUEUE, () => this.enqueueDue(RequestContext.system()));
    this.jobs.work<RunPayload>(REPORT_RUN_QUEUE, (job) => this.runScheduled(job.payload), {
      concurrency: 2,
    });
    this.jobs.schedule(
      REPORT_DUE_QUEUE,
      REPORTS_SECTION.read(this.config).dueCheckSchedule,
      REPORT_DUE_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }

  async enqueueDue(ctx: RequestContext): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const due = await this.db.query<{
        id: string;
        schedule: string;
        time_zone: string | null;
        next_run_at: Date;
        now: Date;
      }>(
        tx,
        `SELECT id, schedule, time_zone, next_run_at, now() AS now FROM reports
          WHERE deleted_at IS NULL AND active AND next_run_at <= now()
          ORDER BY next_run_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const r of due) {
        const slot = r.next_run_at.toISOString();
        await this.jobs.enqueue(
          tx,
          REPORT_RUN_QUEUE,
          { reportId: r.id, slot },
          {
            singletonKey: `report:${r.id}@${slot}`,
            retryLimit: 2,
          },
        );
        let next: Date | null = null;
        try {
          next = nextSlot(r.schedule, r.time_zone ?? this.config.organization.timeZone, r.now);
        } catch (e) {
          this.logger.warn(`report ${r.id}: schedule no longer valid: ${(e as Error).message}`);
        }
        await this.db.query(tx, `UPDATE reports SET next_run_at = $2 WHERE id = $1`, [r.id, next]);
      }
    });
  }

  private async runScheduled(payload: RunPayload): Promise<void> {
    const system = RequestContext.system();
    const row = await this.db.one<Record<string, unknown>>(
      system,
      `SELECT ${recordSelect(REPORT_DEFINITION)} FROM reports rep WHERE rep.id = $1 AND rep.deleted_at IS NULL`,
      [payload.reportId],
    );
    if (!row) return;
    const report = rowToRecord(REPORT_DEFINITION, row);
    const started = new Date();
    const principal = await this.principals.load(report.ownerId);
    if (!principal) {
      await this.runner.failed(
        system,
        report,
        report.ownerId,
        started,
        'The report owner is no longer an active user',
      );
      return;
    }
    try {
      await this.runner.run(system.withPrincipal(principal), report, 'schedule');
    } catch (e) {
      // A run the owner may no longer make (lost access, a field removed) is kept as failed;
      // retrying would fail the same way.
      await this.runner.failed(system, report, report.ownerId, started, (e as Error).message);
    }
  }
}
