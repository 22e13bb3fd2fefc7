import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { decodeHistoryCursor, encodeHistoryCursor } from '#platform/query/history-cursor.js';

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore' | 'merge';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface HistoryEntry {
  id: string;
  action: HistoryAction;
  actorId: string | null;
  requestId: string | null;
  at: string;
  changes: FieldChange[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Field-by-field difference of two API representations of a record. */
export function diffRecords(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  ignore: ReadonlySet<string>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (ignore.has(key)) continue;
    if (key === 'customFields') {
      const b = (before[key] ?? {}) as Record<string, unknown>;
      const a = (after[key] ?? {}) as Record<string, unknown>;
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (ignore.has(`customFields.${k}`)) continue;
        if (!same(b[k], a[k]))
          changes.push({ field: `customFields.${k}`, old: b[k] ?? null, new: a[k] ?? null });
      }
      continue;
    }
    if (!same(before[key], after[key]))
      changes.push({ field: key, old: before[key] ?? null, new: after[key] ?? null });
  }
  return changes;
}

const HISTORY_COLUMNS = [
  'id',
  'entity',
  'record_id',
  'action',
  'actor_id',
  'request_id',
  'changes',
];

/** The values of a new history entry, in the order of HISTORY_COLUMNS. */
function historyValues(
  ctx: RequestContext,
  entity: string,
  recordId: string,
  action: HistoryAction,
  changes: FieldChange[],
): unknown[] {
  return [
    uuidv7(),
    entity,
    recordId,
    action,
    ctx.principal?.userId ?? null,
    ctx.requestId,
    JSON.stringify(changes),
  ];
}

/** Keeps who changed what on every customizable record, in the same transaction as the change. */
@Injectable()
export class HistoryService {
  constructor(private readonly db: DatabaseService) {}

  async record(
    ctx: RequestContext,
    entity: string,
    recordId: string,
    action: HistoryAction,
    changes: FieldChange[],
  ): Promise<void> {
    if (action === 'update' && changes.length === 0) return;
    await this.db.query(
      ctx,
      `INSERT INTO record_history (${HISTORY_COLUMNS.join(', ')}) VALUES (${HISTORY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
      historyValues(ctx, entity, recordId, action, changes),
    );
  }

  /**
   * The same action on many records at once (bulk writers such as CSV import), copied in
   * with COPY; `ctx` must carry a transaction.
   */
  async recordMany(
    ctx: RequestContext,
    entity: string,
    action: HistoryAction,
    entries: { recordId: string; changes: FieldChange[] }[],
  ): Promise<void> {
    await this.db.copyRows(
      ctx,
      'record_history',
      HISTORY_COLUMNS,
      entries.map((e) => historyValues(ctx, entity, e.recordId, action, e.changes)),
    );
  }

  /** Newest first, keyset-paginated by (at, id). */
  async list(
    ctx: RequestContext,
    entity: string,
    recordId: string,
    options: { limit: number; cursor: string | null; hidden: ReadonlySet<string> },
  ): Promise<{ data: HistoryEntry[]; nextCursor: string | null }> {
    const params: unknown[] = [entity, recordId];
    let after = '';
    if (options.cursor) {
      const decoded = decodeHistoryCursor(options.cursor);
      params.push(decoded[0], decoded[1]);
      after = `AND (at, id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = await this.db.query<{
      id: string;
      action: HistoryAction;
      actor_id: string | null;
      request_id: string | null;
      at_text: string;
      at: Date;
      changes: FieldChange[];
    }>(
      ctx,
      `SELECT id, action, actor_id, request_id, at, at::text AS at_text, changes FROM record_history
        WHERE entity = $1 AND record_id = $2 ${after}
        ORDER BY at DESC, id DESC LIMIT ${options.limit + 1}`,
      params,
    );
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        id: r.id,
        action: r.action,
        actorId: r.actor_id,
        requestId: r.request_id,
        at: r.at.toISOString(),
        changes: r.changes.filter(
          (c) => !options.hidden.has(c.field) && !options.hidden.has(c.field.split('.')[0]),
        ),
      })),
      nextCursor:
        rows.length > options.limit && last ? encodeHistoryCursor(last.at_text, last.id) : null,
    };
  }
}
