import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION } from '#operational/customers/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import {
  recordSelect,
  rowToRecord,
  type ApiRecord,
  type RecordWrite,
} from '#platform/records/index.js';
import { BusinessCalendar } from '../calendars/business-calendar.js';
import { isDone, type CaseStatus } from '../cases/case-status.js';
import { CASE_DEFINITION } from '../cases/case.definition.js';
import { SERVICE_SECTION, type ServiceConfig, type SlaPolicyConfig } from '../service.config.js';
import { paused, slaStanding, withDueTimes, type SlaState } from './sla-state.js';

const COLUMNS: Record<keyof SlaState, string> = {
  policy: 'sla_policy',
  calendar: 'sla_calendar',
  startedAt: 'sla_started_at',
  firstResponseTarget: 'first_response_target_minutes',
  resolutionTarget: 'resolution_target_minutes',
  warnBefore: 'warn_before_minutes',
  pausedAt: 'sla_paused_at',
  pausedMinutes: 'sla_paused_minutes',
  firstResponseDueAt: 'first_response_due_at',
  resolutionDueAt: 'resolution_due_at',
  firstRespondedAt: 'first_responded_at',
  resolvedAt: 'resolved_at',
  firstResponseWarnedAt: 'first_response_warned_at',
  resolutionWarnedAt: 'resolution_warned_at',
  firstResponseBreachedAt: 'first_response_breached_at',
  resolutionBreachedAt: 'resolution_breached_at',
};
const FIELDS = Object.keys(COLUMNS) as (keyof SlaState)[];

/** The attributes of a case the clock decides; a change to them is not the caller's. */
export const SLA_ATTRIBUTES = [
  'slaPolicy',
  'slaStatus',
  'slaPausedAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstRespondedAt',
  'resolvedAt',
  'closedAt',
] as const;

/**
 * A case's SLA clock: picks the policy (priority, account tier, category), computes the due
 * times in the policy's business calendar, stops the clock while the case waits for the
 * customer (and on hold, if configured) or is resolved, and starts it again, adding the
 * business minutes it stood still to the due times. Runs in the transaction of each case write.
 */
@Injectable()
export class SlaClock {
  readonly settings: ServiceConfig;
  private readonly calendars = new Map<string, BusinessCalendar>();

  constructor(
    private readonly db: DatabaseService,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    this.settings = SERVICE_SECTION.read(config);
    for (const [key, spec] of Object.entries(this.settings.calendars))
      this.calendars.set(key, new BusinessCalendar(spec));
  }

  calendar(key: string): BusinessCalendar {
    const cal = this.calendars.get(key);
    if (!cal) throw new Error(`no business calendar ${key}`);
    return cal;
  }

  /** Whether the clock stands still in a status. */
  stopsIn(status: CaseStatus): boolean {
    return (
      status === 'pending_customer' ||
      (status === 'on_hold' && this.settings.sla.pauseOnHold) ||
      isDone(status)
    );
  }

  policyFor(c: {
    priority: string;
    category: string | null;
    tier: string | null;
  }): SlaPolicyConfig | null {
    const has = (list: readonly string[] | undefined, v: string | null) =>
      !list?.length || (v !== null && list.includes(v));
    return (
      this.settings.sla.policies.find(
        (p) =>
          has(p.match.priorities, c.priority) &&
          has(p.match.tiers, c.tier) &&
          has(p.match.categories, c.category),
      ) ?? null
    );
  }

  /** Brings the clock in step with a case write; returns the case as stored afterwards. */
  async afterWrite(tx: RequestContext, write: RecordWrite): Promise<ApiRecord> {
    const { before, after } = write;
    const now = new Date();
    let s = await this.read(tx, after.id);
    const status = after.status as CaseStatus;
    const moved = !before || before.status !== after.status;
    if (!before) s = { ...s, startedAt: new Date(after.createdAt as string), pausedMinutes: 0 };
    const policy = this.policyFor({
      priority: after.priority as string,
      category: (after.category as string | null) ?? null,
      tier: await this.tierOf(tx, (after.accountId as string | null) ?? null),
    });
    s = this.withPolicy(s, policy);
    const resolving = moved && isDone(status) && !s.resolvedAt;
    const reopening = moved && !isDone(status) && s.resolvedAt !== null;
    if (resolving) s = { ...s, resolvedAt: now };
    if (reopening) s = { ...s, resolvedAt: null };
    if (s.calendar && s.startedAt)
      s = paused(s, this.stopsIn(status), now, this.calendar(s.calendar));
    // A target missed without the scheduled check noticing counts as breached when it ends.
    if (resolving && s.resolutionDueAt && now > s.resolutionDueAt && !s.resolutionBreachedAt)
      s = { ...s, resolutionBreachedAt: now };
    const closing = moved && status === 'closed';
    return this.write(tx, after.id, s, now, closing ? now : undefined);
  }

  /** The first public answer by staff stops the first-response target. */
  async firstResponse(tx: RequestContext, caseId: string, at: Date): Promise<void> {
    const s = await this.read(tx, caseId);
    if (s.firstRespondedAt) return;
    const late = s.firstResponseDueAt && at > s.firstResponseDueAt && !s.firstResponseBreachedAt;
    await this.write(
      tx,
      caseId,
      {
        ...s,
        firstRespondedAt: at,
        ...(late ? { firstResponseBreachedAt: at } : {}),
      },
      at,
    );
  }

  async read(tx: RequestContext, id: string): Promise<SlaState> {
    const row = await this.db.one<Record<string, unknown>>(
      tx,
      `SELECT ${FIELDS.map((f) => `${COLUMNS[f]} AS "${f}"`).join(', ')} FROM cases WHERE id = $1`,
      [id],
    );
    if (!row) throw new Error(`case ${id} vanished`);
    return row as unknown as SlaState;
  }

  /** Stores the clock with its standing at `now`; returns the case as stored. */
  async write(
    tx: RequestContext,
    id: string,
    s: SlaState,
    now: Date,
    closedAt?: Date,
  ): Promise<ApiRecord> {
    const standing = slaStanding(s, now);
    const values = FIELDS.map((f) => s[f]);
    const sets = FIELDS.map((f, i) => `${COLUMNS[f]} = $${i + 2}`);
    const rows = await this.db.query(
      tx,
      `UPDATE cases cs SET ${sets.join(', ')}, sla_status = $${FIELDS.length + 2},
              sla_next_check_at = $${FIELDS.length + 3},
              closed_at = ${closedAt ? `$${FIELDS.length + 4}` : 'closed_at'}
        WHERE id = $1 RETURNING ${recordSelect(CASE_DEFINITION)}`,
      [id, ...values, standing.status, standing.nextCheckAt, ...(closedAt ? [closedAt] : [])],
    );
    return rowToRecord(CASE_DEFINITION, rows[0]);
  }

  private withPolicy(s: SlaState, policy: SlaPolicyConfig | null): SlaState {
    if (!policy)
      return {
        ...s,
        policy: null,
        calendar: null,
        firstResponseTarget: null,
        resolutionTarget: null,
        firstResponseDueAt: null,
        resolutionDueAt: null,
      };
    const same =
      s.policy === policy.key &&
      s.calendar === policy.calendar &&
      s.firstResponseTarget === policy.firstResponseMinutes &&
      s.resolutionTarget === policy.resolutionMinutes &&
      s.warnBefore === policy.warnBeforeMinutes;
    if (same && s.firstResponseDueAt) return s;
    return withDueTimes(
      {
        ...s,
        policy: policy.key,
        calendar: policy.calendar,
        firstResponseTarget: policy.firstResponseMinutes,
        resolutionTarget: policy.resolutionMinutes,
        warnBefore: policy.warnBeforeMinutes,
      },
      this.calendar(policy.calendar),
    );
  }

  /** The account's tier from the custom field the configuration names. */
  private async tierOf(tx: RequestContext, accountId: string | null): Promise<string | null> {
    if (!accountId) return null;
    const row = await this.db.one<{ tier: unknown }>(
      tx,
      `SELECT custom_fields -> $2 AS tier FROM ${ACCOUNT_DEFINITION.table} WHERE id = $1`,
      [accountId, this.settings.sla.accountTierField],
    );
    return typeof row?.tier === 'string' ? row.tier : null;
  }
}
