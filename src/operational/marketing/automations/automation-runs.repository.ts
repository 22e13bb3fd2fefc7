import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import type { DomainEvent } from '#platform/events/index.js';
import { rowToRecord, recordSelect, type ApiRecord } from '#platform/records/index.js';
import { AUTOMATION_DEFINITION } from './automation.definition.js';
import type { Step } from './automation-steps.js';

export type StepOutcome = 'done' | 'waiting' | 'held' | 'skipped' | 'failed' | 'retrying';
export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'stopped';

export interface RunRow {
  id: string;
  automationId: string;
  contactId: string;
  eventType: string;
  eventId: string | null;
  event: Record<string, unknown>;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
}

const RUN_COLUMNS = `r.id, r.automation_id AS "automationId", r.contact_id AS "contactId",
  r.event_type AS "eventType", r.event_id AS "eventId", r.event, r.status,
  r.started_at AS "startedAt", r.finished_at AS "finishedAt"`;

export const presentRun = (r: RunRow) => ({
  id: r.id,
  automationId: r.automationId,
  contactId: r.contactId,
  eventType: r.eventType,
  eventId: r.eventId,
  status: r.status,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** SQL of automation runs and their steps. */
@Injectable()
export class AutomationRunsRepository {
  constructor(private readonly db: DatabaseService) {}

  async activeFor(ctx: RequestContext, eventType: string): Promise<ApiRecord[]> {
    const d = AUTOMATION_DEFINITION;
    const rows = await this.db.query<Record<string, unknown>>(
      ctx,
      `SELECT ${recordSelect(d)} FROM ${d.table} ${d.alias}
        WHERE ${d.alias}.trigger_event = $1 AND ${d.alias}.status = 'active' AND ${d.alias}.deleted_at IS NULL`,
      [eventType],
    );
    return rows.map((r) => rowToRecord(d, r));
  }

  /** The new run's id, or null when the entry policy's key is taken already. */
  async start(
    tx: RequestContext,
    r: { automationId: string; contactId: string; entryKey: string; event: DomainEvent },
  ): Promise<string | null> {
    const row = await this.db.one<{ id: string }>(
      tx,
      `INSERT INTO automation_runs (id, automation_id, contact_id, entry_key, event_id, event_type, event)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (automation_id, entry_key) DO NOTHING RETURNING id`,
      [
        uuidv7(),
        r.automationId,
        r.contactId,
        r.entryKey,
        r.event.id,
        r.event.type,
        JSON.stringify(r.event.data),
      ],
    );
    return row?.id ?? null;
  }

  /**
   * A run started by a date: the new run's id, or null when the entry key is taken or, with
   * `periodDays`, the contact entered for an occurrence less than that many days before.
   */
  async startDated(
    tx: RequestContext,
    r: {
      automationId: string;
      contactId: string;
      entryKey: string;
      eventType: string;
      data: { occurrence: string } & Record<string, unknown>;
      periodDays: number | null;
    },
  ): Promise<string | null> {
    const row = await this.db.one<{ id: string }>(
      tx,
      `INSERT INTO automation_runs (id, automation_id, contact_id, entry_key, event_type, event)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE $7::int IS NULL OR NOT EXISTS (
          SELECT 1 FROM automation_runs r WHERE r.automation_id = $2 AND r.contact_id = $3
             AND (r.event->>'occurrence')::date > $8::date - $7::int)
       ON CONFLICT (automation_id, entry_key) DO NOTHING RETURNING id`,
      [
        uuidv7(),
        r.automationId,
        r.contactId,
        r.entryKey,
        r.eventType,
        JSON.stringify(r.data),
        r.periodDays,
        r.data.occurrence,
      ],
    );
    return row?.id ?? null;
  }

  lockRun(tx: RequestContext, id: string): Promise<RunRow | null> {
    return this.db.one<RunRow>(
      tx,
      `SELECT ${RUN_COLUMNS} FROM automation_runs r WHERE r.id = $1 FOR UPDATE`,
      [id],
    );
  }

  oneById(ctx: RequestContext, id: string): Promise<RunRow | null> {
    return this.db.one<RunRow>(
      ctx,
      `SELECT ${RUN_COLUMNS} FROM automation_runs r WHERE r.id = $1`,
      [id],
    );
  }

  /** Whether the step at `seq` has its outcome; a step still being retried has not. */
  async hasStep(tx: RequestContext, runId: string, seq: number): Promise<boolean> {
    return (
      (await this.db.one(
        tx,
        `SELECT 1 FROM automation_run_steps WHERE run_id = $1 AND seq = $2 AND outcome <> 'retrying'`,
        [runId, seq],
      )) !== null
    );
  }

  /** What a step being retried has recorded so far, or null. */
  async retrying(tx: RequestContext, runId: string, seq: number) {
    const row = await this.db.one<{ detail: Record<string, unknown> }>(
      tx,
      `SELECT detail FROM automation_run_steps WHERE run_id = $1 AND seq = $2 AND outcome = 'retrying'`,
      [runId, seq],
    );
    return row?.detail ?? null;
  }

  async recordStep(
    tx: RequestContext,
    runId: string,
    seq: number,
    step: Step,
    outcome: StepOutcome,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      tx,
      `INSERT INTO automation_run_steps AS s (run_id, seq, step_id, type, outcome, detail)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (run_id, seq) DO UPDATE SET outcome = EXCLUDED.outcome, detail = EXCLUDED.detail, at = now()
        WHERE s.outcome = 'retrying'`,
      [runId, seq, step.id, step.type, outcome, JSON.stringify(detail)],
    );
  }

  async setStatus(tx: RequestContext, id: string, status: RunStatus): Promise<void> {
    await this.db.query(tx, `UPDATE automation_runs SET status = $2 WHERE id = $1`, [id, status]);
  }

  async finish(tx: RequestContext, id: string, status: RunStatus): Promise<void> {
    await this.db.query(
      tx,
      `UPDATE automation_runs SET status = $2, finished_at = now() WHERE id = $1`,
      [id, status],
    );
  }

  async list(ctx: RequestContext, automationId: string, limit: number, cursor?: string) {
    const params: unknown[] = [automationId, limit];
    const after = cursor ? `AND r.id < $${params.push(cursor)}::uuid` : '';
    return this.db.query<RunRow>(
      ctx,
      `SELECT ${RUN_COLUMNS} FROM automation_runs r WHERE r.automation_id = $1 ${after}
        ORDER BY r.id DESC LIMIT $2`,
      params,
    );
  }

  one(ctx: RequestContext, automationId: string, runId: string) {
    return this.db.one<RunRow>(
      ctx,
      `SELECT ${RUN_COLUMNS} FROM automation_runs r WHERE r.automation_id = $1 AND r.id = $2`,
      [automationId, runId],
    );
  }

  async steps(ctx: RequestContext, runId: string) {
    const rows = await this.db.query<{
      seq: number;
      stepId: string;
      type: string;
      outcome: StepOutcome;
      detail: Record<string, unknown>;
      at: Date;
    }>(
      ctx,
      `SELECT seq, step_id AS "stepId", type, outcome, detail, at FROM automation_run_steps
        WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
