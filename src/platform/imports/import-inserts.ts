import { Injectable } from '@nestjs/common';
import { historyLine, HistoryService } from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { copyLine, DatabaseService } from '#platform/database/database.service.js';
import { createdChanges, historyColumns } from '#platform/records/record-history.js';
import type { RecordHooks, RecordWrite } from '#platform/records/record-hooks.js';
import { RecordLifecycle } from '#platform/records/record-lifecycle.js';
import {
  recordSelect,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from '#platform/records/resource-definition.js';
import { ImportStore } from './import-store.js';
import type { StoredForm } from './stored-form.js';

/**
 * A new record an import writes, in COPY text made before its batch's transaction (`plan`),
 * and whose row it is.
 */
export interface ImportInsert<R> {
  row: R;
  id: string;
  /** The columns `line` holds, comma-separated: records are copied in groups of the same. */
  columns: string;
  line: string;
  /** Its history entry (`historyLine`); null when its stored form must be read back for it. */
  history: string | null;
}

/** The record type a batch writes, with what tells the records as stored without reading them. */
export interface InsertTarget {
  def: ResourceDefinition;
  hooks: RecordHooks;
  stored: StoredForm;
  /** `ignoredInHistory(def)`, once for the run. */
  historyIgnored: ReadonlySet<string>;
}

/**
 * Writes an import batch's new records in bulk — COPY, one per set of columns — with what
 * the record lifecycle gives a created record: its history and the resource's after-write
 * hooks (in their batch form), in the batch's transaction.
 */
@Injectable()
export class ImportInserts {
  constructor(
    private readonly db: DatabaseService,
    private readonly history: HistoryService,
    private readonly lifecycle: RecordLifecycle,
    private readonly rows: ImportStore,
  ) {}

  /**
   * A record's insert, from the columns its create rules gave: its COPY line and, when the
   * record as stored can be told from them and no hook must see it first, its history entry.
   * Made before the batch's transaction, so that the transaction only copies.
   */
  plan<R>(
    ctx: RequestContext,
    { def, hooks, stored, historyIgnored }: InsertTarget,
    row: R,
    columns: Record<string, unknown>,
  ): ImportInsert<R> {
    const names = Object.keys(columns);
    const told = this.lifecycle.reactsToWrites(hooks) ? null : stored.row(columns);
    return {
      row,
      id: columns.id as string,
      columns: names.join(','),
      line: copyLine(names.map((n) => columns[n])),
      history: told
        ? historyLine(
            ctx,
            def.entity,
            told.id as string,
            'create',
            createdChanges(def, rowToRecord(def, told), historyIgnored),
          )
        : null,
    };
  }

  /**
   * Returns the ids written. A COPY that fails (a value only the database refuses, such as a
   * unique custom field repeated within the batch), or whose hooks fail, is redone row by row,
   * so the bad row fails alone.
   */
  async insert<R>(
    tx: RequestContext,
    target: InsertTarget,
    inserts: ImportInsert<R>[],
    fail: (row: R, err: unknown) => void,
  ): Promise<string[]> {
    const groups = new Map<string, ImportInsert<R>[]>();
    for (const r of inserts) {
      const group = groups.get(r.columns);
      if (group) group.push(r);
      else groups.set(r.columns, [r]);
    }
    const ids: string[] = [];
    const kept: RecordWrite[] = [];
    const write = async (names: string[], chunk: ImportInsert<R>[]) => {
      const writes = await this.write(tx, target, names, chunk);
      ids.push(...chunk.map((r) => r.id));
      kept.push(...writes);
    };
    for (const [key, group] of groups) {
      const names = key.split(',');
      await this.rows.savepoint(
        tx,
        () => write(names, group),
        async () => {
          for (const r of group)
            await this.rows.savepoint(
              tx,
              () => write(names, [r]),
              (err) => fail(r.row, err),
            );
        },
      );
    }
    await this.lifecycle.committed(tx, target.hooks, kept);
    return ids;
  }

  /** The chunk's records as the hooks saw them; none when the resource does not react. */
  private async write<R>(
    tx: RequestContext,
    { def, hooks, historyIgnored }: InsertTarget,
    names: string[],
    chunk: ImportInsert<R>[],
  ): Promise<RecordWrite[]> {
    await this.db.copyLines(
      tx,
      def.table,
      names,
      chunk.map((r) => r.line),
    );
    if (this.lifecycle.reactsToWrites(hooks)) {
      // The hooks see the records whole, as a create gives them; their history comes from the same read.
      const records = await this.readBack(
        tx,
        def,
        recordSelect(def),
        chunk.map((r) => r.id),
      );
      const writes = records.map((after) => ({
        action: 'create' as const,
        before: null,
        after,
        changes: createdChanges(def, after),
      }));
      await this.history.recordMany(
        tx,
        def.entity,
        'create',
        writes.map((w) => ({ recordId: w.after.id, changes: w.changes })),
      );
      await this.lifecycle.writtenMany(tx, hooks, writes);
      return writes;
    }
    // Their history records them as stored (defaults included): told when planned where the
    // columns store it as given, read back otherwise.
    const unknown = chunk.filter((r) => r.history === null).map((r) => r.id);
    const readBack = unknown.length
      ? await this.readBack(tx, def, historyColumns(def).join(', '), unknown)
      : [];
    await this.history.copyLines(tx, [
      ...chunk.flatMap((r) => (r.history === null ? [] : [r.history])),
      ...readBack.map((r) =>
        historyLine(tx, def.entity, r.id, 'create', createdChanges(def, r, historyIgnored)),
      ),
    ]);
    return [];
  }

  private async readBack(
    tx: RequestContext,
    def: ResourceDefinition,
    select: string,
    ids: string[],
  ): Promise<ApiRecord[]> {
    const rows = await this.db.query(
      tx,
      `SELECT ${select} FROM ${def.table} ${def.alias} WHERE ${def.alias}.id = ANY($1::uuid[]) ORDER BY ${def.alias}.id`,
      [ids],
    );
    return rows.map((row) => rowToRecord(def, row));
  }
}
