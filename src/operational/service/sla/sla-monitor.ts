import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { FieldChange } from '#platform/audit/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox, type NewDomainEvent } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import {
  RecordService,
  recordSelect,
  rowToRecord,
  type ApiRecord,
} from '#platform/records/index.js';
import { caseParties } from '../cases/case-parties.js';
import { CASE_PRIORITIES, type CasePriority, type EscalationConfig } from '../service.config.js';
import { PRIORITY_RANK } from '../cases/case-status.js';
import { CASE_DEFINITION } from '../cases/case.definition.js';
import {
  CASE_ASSIGNED,
  CASE_ESCALATED,
  CASE_SLA_AT_RISK,
  CASE_SLA_BREACHED,
} from '../service.events.js';
import { SlaClock } from './sla-clock.js';
import { pendingTargets, type SlaState } from './sla-state.js';

export const SLA_CHECK_QUEUE = 'service.sla-check';
const BATCH = 100;
/** A run stops after this many batches; the next run goes on where it stopped. */
const MAX_BATCHES = 1000;

/**
 * Watches running SLA clocks on `service.sla.checkSchedule`: a target within its warning
 * time is announced once (`case.sla_at_risk`), a target past its due time once
 * (`case.sla_breached`) with the policy's escalation — another queue or assignee, a higher
 * priority, `case.escalated` for notifications. Each case is looked at only when its next
 * warning or due time has come (`sla_next_check_at`), in short transactions that pass over
 * cases a request holds; the flags it sets make a rerun after a crash do nothing twice.
 */
@Injectable()
export class SlaMonitor implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly records: RecordService,
    private readonly outbox: EventOutbox,
    private readonly clock: SlaClock,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(SLA_CHECK_QUEUE, () => this.run().then(() => undefined));
    this.jobs.schedule(
      SLA_CHECK_QUEUE,
      this.clock.settings.sla.checkSchedule,
      SLA_CHECK_QUEUE,
      {},
      { timeZone: this.config.organization.timeZone },
    );
  }

  /** Checks every case whose next warning or due time is at or before `now`; returns how many. */
  async run(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const n = await this.db.transaction(RequestContext.system(), async (tx) => {
        const rows = await this.db.query(
          tx,
          `SELECT ${recordSelect(CASE_DEFINITION)} FROM cases ${CASE_DEFINITION.alias}
            WHERE id IN (SELECT id FROM cases
                          WHERE sla_next_check_at <= $1 AND deleted_at IS NULL
                          ORDER BY sla_next_check_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
          [now],
        );
        for (const row of rows) await this.check(tx, rowToRecord(CASE_DEFINITION, row), now);
        return rows.length;
      });
      total += n;
      if (n < BATCH) break;
    }
    return total;
  }

  private async check(tx: RequestContext, c: ApiRecord, now: Date): Promise<void> {
    let s = await this.clock.read(tx, c.id);
    const policy = this.clock.settings.sla.policies.find((p) => p.key === s.policy);
    const events: NewDomainEvent[] = [];
    let current = c;
    for (const p of pendingTargets(s).filter((t) => !t.breached)) {
      const base = {
        ...caseParties(current),
        target: p.target,
        dueAt: p.dueAt.toISOString(),
        policy: s.policy!,
      };
      if (now >= p.dueAt) {
        s = flag(s, p.target, 'breached', now);
        const escalated = await this.escalate(tx, current, policy?.escalation ?? {});
        current = escalated.record;
        events.push(CASE_SLA_BREACHED.of(c.id, { ...base, actions: escalated.actions }));
        if (policy?.escalation.notify)
          events.push(CASE_ESCALATED.of(c.id, { ...base, actions: escalated.actions }));
        events.push(...escalated.events);
      } else if (now >= p.warnAt && !p.warned) {
        s = flag(s, p.target, 'warned', now);
        events.push(CASE_SLA_AT_RISK.of(c.id, base));
      }
    }
    await this.clock.write(tx, c.id, s, now);
    await this.outbox.append(tx, events);
  }

  /** Runs a policy's escalation on a case; returns the case after it and what was done. */
  private async escalate(
    tx: RequestContext,
    c: ApiRecord,
    e: EscalationConfig,
  ): Promise<{ record: ApiRecord; actions: string[]; events: NewDomainEvent[] }> {
    const patch: Record<string, unknown> = {};
    // A queue or user removed since the configuration named it is skipped, not a failed run.
    const queueId = e.queueId && (await this.exists(tx, 'queues', e.queueId)) ? e.queueId : null;
    const assigneeId =
      e.assigneeId && (await this.exists(tx, 'users', e.assigneeId)) ? e.assigneeId : null;
    if (queueId && queueId !== c.queueId) {
      patch.queueId = queueId;
      if (!assigneeId) patch.assigneeId = null;
    }
    if (assigneeId && assigneeId !== c.assigneeId) patch.assigneeId = assigneeId;
    const priority = c.priority as CasePriority;
    const higher = CASE_PRIORITIES[CASE_PRIORITIES.indexOf(priority) + 1];
    if (e.raisePriority && higher) patch.priority = higher;
    const actions = [
      ...('queueId' in patch ? ['queue'] : []),
      ...(patch.assigneeId ? ['assignee'] : []),
      ...('priority' in patch ? ['priority'] : []),
      ...(e.notify ? ['notify'] : []),
    ];
    if (Object.keys(patch).length === 0) return { record: c, actions, events: [] };
    const rows = await this.db.query(
      tx,
      `UPDATE cases cs SET queue_id = $2, assignee_id = $3, owner_id = coalesce($3, owner_id),
              priority = $4, priority_rank = $5, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${recordSelect(CASE_DEFINITION)}`,
      [
        c.id,
        'queueId' in patch ? patch.queueId : c.queueId,
        'assigneeId' in patch ? patch.assigneeId : c.assigneeId,
        patch.priority ?? priority,
        PRIORITY_RANK[(patch.priority as CasePriority | undefined) ?? priority],
      ],
    );
    const after = rowToRecord(CASE_DEFINITION, rows[0]);
    const changes: FieldChange[] = ['queueId', 'assigneeId', 'ownerId', 'priority']
      .filter((f) => c[f] !== after[f])
      .map((f) => ({ field: f, old: c[f], new: after[f] }));
    await this.records.recordChange(tx, CASE_DEFINITION, c.id, changes, 'sla.escalation');
    const events =
      after.assigneeId && after.assigneeId !== c.assigneeId
        ? [
            CASE_ASSIGNED.of(c.id, {
              ...caseParties(after),
              previousAssigneeId: (c.assigneeId as string | null) ?? null,
              reason: 'escalation' as const,
            }),
          ]
        : [];
    return { record: after, actions, events };
  }

  private async exists(tx: RequestContext, table: 'queues' | 'users', id: string) {
    return (
      (await this.db.one(tx, `SELECT 1 FROM ${table} WHERE id = $1 AND deleted_at IS NULL`, [
        id,
      ])) !== null
    );
  }
}

function flag(s: SlaState, target: string, what: 'warned' | 'breached', at: Date): SlaState {
  const prefix = target === 'first_response' ? 'firstResponse' : 'resolution';
  const key = `${prefix}${what === 'warned' ? 'WarnedAt' : 'BreachedAt'}` as keyof SlaState;
  return { ...s, [key]: at };
}
