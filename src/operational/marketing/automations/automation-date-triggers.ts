import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { SqlParams } from '#platform/query/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { SegmentRules } from '../segments/index.js';
import {
  checkDateTrigger,
  DATE_TRIGGERS,
  dateSql,
  type DateTrigger,
} from './automation-date-trigger.js';
import { AutomationRunner } from './automation-runner.js';
import { AutomationRunsRepository } from './automation-runs.repository.js';
import { eventMatches, type Condition } from './automation-steps.js';

export const DATE_TRIGGER_QUEUE = 'marketing.automation-dates';
/**
 * Hourly, so that each contact's day is seen soon after it begins where they live; a contact
 * enters once per occurrence however often the job runs.
 */
const SCHEDULE = '5 * * * *';

/**
 * Date triggers: finds the contacts whose date comes round today, or came round yesterday
 * (a run missed while no worker ran is made up), in their time zone — their preferences',
 * else their record's, else the organization's — and starts their runs under the entry
 * policy. The occurrence (the day reached) is the run's event data and part of its entry key,
 * so a second run of the job on the same day starts nothing.
 */
@Injectable()
export class AutomationDateTriggers implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly runs: AutomationRunsRepository,
    private readonly runner: AutomationRunner,
    private readonly rules: SegmentRules,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** The job's work at once, for whoever may change automations (403 otherwise). */
  runNow(ctx: RequestContext): Promise<number> {
    this.permissions.require(ctx.user, 'automations', 'update');
    return this.run();
  }

  onModuleInit(): void {
    this.jobs.work(DATE_TRIGGER_QUEUE, () => this.run().then(() => undefined));
    this.jobs.schedule(DATE_TRIGGER_QUEUE, SCHEDULE, DATE_TRIGGER_QUEUE);
  }

  /** Starts the runs every active date-triggered automation is due; returns how many. */
  async run(): Promise<number> {
    const ctx = RequestContext.system();
    let started = 0;
    for (const type of DATE_TRIGGERS)
      for (const a of await this.runs.activeFor(ctx, type)) started += await this.enter(ctx, a);
    return started;
  }

  private async enter(ctx: RequestContext, a: ApiRecord): Promise<number> {
    const trigger = checkDateTrigger(a.triggerEvent, a.dateTrigger)!;
    const condition = a.condition as Condition;
    let started = 0;
    for (const due of await this.due(ctx, a, trigger, condition)) {
      const data = { ...trigger, date: due.date, occurrence: due.occurrence };
      if (condition.event && !eventMatches(condition.event, data)) continue;
      await this.db.transaction(ctx, async (tx) => {
        const runId = await this.runs.startDated(tx, {
          automationId: a.id,
          contactId: due.id,
          entryKey: a.entryPolicy === 'once' ? due.id : `${due.id}:${due.occurrence}`,
          eventType: a.triggerEvent as string,
          data,
          periodDays: a.entryPolicy === 'once_per_period' ? (a.entryPeriodDays as number) : null,
        });
        if (!runId) return;
        await this.runner.begin(tx, a, runId, due.id, a.triggerEvent as string);
        started += 1;
      });
    }
    return started;
  }

  /** Contacts whose date is reached today or yesterday, their own day, with the day reached. */
  private due(ctx: RequestContext, a: ApiRecord, trigger: DateTrigger, condition: Condition) {
    const params = new SqlParams();
    const tz = `coalesce(p.time_zone, c.time_zone, ${params.add(this.config.organization.timeZone)})`;
    const rule = condition.contact
      ? this.rules.compile(
          null,
          this.rules.check(null, condition.contact, '/condition/contact'),
          params,
        )
      : 'true';
    const match =
      a.triggerEvent === 'contact.birthday'
        ? // Born on 29 February: the 28th in a year without one.
          `x.date <= o.day AND extract(month FROM o.day) = extract(month FROM x.date)
           AND (extract(day FROM o.day) = extract(day FROM x.date)
                OR (extract(month FROM x.date) = 2 AND extract(day FROM x.date) = 29
                    AND extract(day FROM o.day) = 28 AND extract(month FROM o.day + 1) = 3))`
        : `o.day = x.date ${trigger.direction === 'before' ? '-' : '+'} ${params.add(trigger.days)}::int`;
    return this.db.query<{ id: string; date: string; occurrence: string }>(
      ctx,
      `SELECT x.id, x.date::text AS date, o.day::text AS occurrence
         FROM (SELECT c.id, ${dateSql(trigger, tz)} AS date, (now() AT TIME ZONE ${tz})::date AS today
                 FROM contacts c LEFT JOIN contact_preferences p ON p.contact_id = c.id
                WHERE c.deleted_at IS NULL AND ${rule}) x
        CROSS JOIN LATERAL (VALUES (x.today - 1), (x.today)) o(day)
        WHERE x.date IS NOT NULL AND ${match}
        ORDER BY o.day, x.id`,
      params.values,
    );
  }
}
