import { Injectable } from '@nestjs/common';
import { HistoryService } from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
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

/** A new record an import writes: the columns its create rules gave, and whose row it is. */
export interface ImportInsert<R> {
  row: R;
  columns: Record<string, unknown>;
}

/** The record type a batch writes, with what tells the records as stored without reading them. */
export interface InsertTarget {
  def: ResourceDefinition;
  hooks: RecordHooks;
  stored: StoredForm;
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
      const key = Object.keys(r.columns).join(',');
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    const ids: string[] = [];
    const kept: RecordWrite[] = [];
    const write = async (names: string[], chunk: ImportInsert<R>[]) => {
      const writes = await this.write(tx, target, names, chunk);
      ids.push(...chunk.map((r) => r.columns.id as string));
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
    { def, hooks, stored }: InsertTarget,
    names: string[],
    chunk: ImportInsert<R>[],
  ): Promise<RecordWrite[]> {
    await this.db.copyRows(
      tx,
      def.table,
      names,
      chunk.map((r) => names.map((n) => r.columns[n])),
    );
    const ids = chunk.map((r) => r.columns.id as string);
    if (this.lifecycle.reactsToWrites(hooks)) {
      // The hooks see the records whole, as a create gives them; their history comes from the same read.
      const records = await this.readBack(tx, def, recordSelect(def), ids);
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
    // Their history records them as stored (defaults included): told from what was written
    // where the columns store it as given, read back otherwise.
    const told = chunk.map((r) => stored.row(r.columns));
    const unknown = ids.filter((_, i) => !told[i]);
    const readBack = unknown.length
      ? await this.readBack(tx, def, historyColumns(def).join(', '), unknown)
      : [];
    const records = [
      ...told.filter((row) => row !== null).map((row) => rowToRecord(def, row)),
      ...readBack,
    ];
    await this.history.recordMany(
      tx,
      def.entity,
      'create',
      records.map((r) => ({ recordId: r.id, changes: createdChanges(def, r) })),
    );
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
