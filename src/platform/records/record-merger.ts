import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/request-context.js';
import { diffRecords } from '#platform/audit/history.service.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import type { RecordHooks } from './record-hooks.js';
import { ignoredInHistory, RecordChangeLog } from './record-history.js';
import { RecordLifecycle } from './record-lifecycle.js';
import { RecordReader } from './record-reader.js';
import { OWNERSHIP } from './record-writer.js';
import {
  recordSelect,
  recordToColumns,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from './resource-definition.js';
import { ResourceRegistry, type RecordReference } from './resource-registry.js';

/** Merges duplicate records into one, moving everything that pointed at the duplicates. */
@Injectable()
export class RecordMerger {
  constructor(
    private readonly db: DatabaseService,
    private readonly reader: RecordReader,
    private readonly registry: ResourceRegistry,
    private readonly changeLog: RecordChangeLog,
    private readonly lifecycle: RecordLifecycle,
  ) {}

  /**
   * Merges duplicates into a survivor in one transaction: the survivor's empty fields are
   * filled from the duplicates (first one wins), `combine` adds resource-specific unions,
   * every reference to a duplicate moves to the survivor (with history on the moved
   * records), and the duplicates are soft-deleted pointing at the survivor. The resource's
   * after-write hooks see the survivor's write and each duplicate's, as `merge`.
   */
  async merge(
    ctx: RequestContext,
    def: ResourceDefinition,
    survivorId: string,
    duplicateIds: string[],
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    const ids = [...new Set(duplicateIds.map((d) => d.toLowerCase()))];
    if (ids.includes(survivorId))
      throw AppError.field('duplicateIds', 'invalid', 'must not contain the surviving record');
    return this.db.transaction(ctx, async (tx) => {
      const survivor = await this.reader.load(tx, def, survivorId, { forUpdate: true });
      this.reader.assertAction(tx, def, survivor, 'update');
      const duplicates: ApiRecord[] = [];
      for (const id of ids) {
        const duplicate = await this.reader.load(tx, def, id, { forUpdate: true });
        this.reader.assertAction(tx, def, duplicate, 'delete');
        duplicates.push(duplicate);
      }
      const fill: Record<string, unknown> = {};
      const empty = (v: unknown) =>
        v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
      for (const a of def.attributes) {
        if (a.writable === 'never' || OWNERSHIP.includes(a.name) || a.name === 'customFields')
          continue;
        if (!empty(survivor[a.name])) continue;
        const donor = duplicates.find((d) => !empty(d[a.name]));
        if (donor) fill[a.name] = donor[a.name];
      }
      const customFields = { ...(survivor.customFields as object) } as Record<string, unknown>;
      for (const d of duplicates) {
        for (const [k, v] of Object.entries((d.customFields ?? {}) as Record<string, unknown>))
          if (empty(customFields[k])) customFields[k] = v;
      }
      Object.assign(fill, hooks.combine?.(survivor, duplicates) ?? {});
      fill.customFields = customFields;
      const merged = { ...survivor, ...fill };
      const columns = { ...recordToColumns(def, fill), ...(hooks.derive?.(merged) ?? {}) };
      const names = Object.keys(columns);
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET ${[...names.map((n, i) => `${n} = $${i + 3}`), 'version = version + 1', 'updated_at = now()', 'updated_by_id = $2'].join(', ')}
          WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [survivorId, ctx.user.userId, ...names.map((n) => columns[n])],
      );
      const updated = rowToRecord(def, rows[0]);
      const changes = [
        { field: 'mergedFrom', old: null, new: ids },
        ...diffRecords(survivor, updated, ignoredInHistory(def)),
      ];
      await this.changeLog.changed(tx, def.entity, survivorId, 'merge', changes);
      for (const ref of this.registry.referencesTo(def.entity)) {
        const moved = await this.moveReference(tx, ref, ids, survivorId);
        if (ref.entity) {
          for (const m of moved)
            await this.changeLog.changed(tx, ref.entity, m.id, 'update', [
              { field: ref.attribute, old: m.old, new: m.new },
            ]);
        }
      }
      await this.moveTimeline(tx, def.entity, ids, survivorId);
      const gone = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET deleted_at = now(), merged_into_id = $2, version = version + 1, updated_at = now(), updated_by_id = $3
          WHERE ${def.alias}.id = ANY($1::uuid[]) RETURNING ${recordSelect(def)}`,
        [ids, survivorId, ctx.user.userId],
      );
      const mergedInto = [{ field: 'mergedInto', old: null, new: survivorId }];
      for (const id of ids) await this.changeLog.changed(tx, def.entity, id, 'merge', mergedInto);
      const after = new Map(gone.map((row) => [row.id as string, rowToRecord(def, row)]));
      const mergedAway = duplicates.map((d) => ({
        action: 'merge' as const,
        before: d,
        after: after.get(d.id) ?? d,
        changes: mergedInto,
      }));
      await this.lifecycle.writtenMany(tx, hooks, mergedAway);
      await this.lifecycle.committed(tx, hooks, mergedAway);
      return this.lifecycle.written(tx, hooks, {
        action: 'merge',
        before: survivor,
        after: updated,
        changes,
      });
    });
  }

  /** Points a reference at the survivor instead of the duplicates; a record never refers to itself. */
  private moveReference(
    tx: RequestContext,
    ref: RecordReference,
    ids: string[],
    survivorId: string,
  ): Promise<{ id: string; old: unknown; new: unknown }[]> {
    const typed = ref.typedBy ? `AND ${ref.typedBy.column} = $3` : '';
    const params = [ids, survivorId, ...(ref.typedBy ? [ref.typedBy.value] : [])];
    const bump = ref.entity ? ', version = t.version + 1, updated_at = now()' : '';
    if (ref.array) {
      return this.db.query(
        tx,
        `WITH moved AS (SELECT id, ${ref.column} AS old FROM ${ref.table} WHERE ${ref.column} && $1::text[] ${typed} FOR UPDATE)
         UPDATE ${ref.table} t SET ${ref.column} = ARRAY(
             SELECT DISTINCT CASE WHEN v = ANY($1::text[]) THEN $2::text ELSE v END FROM unnest(t.${ref.column}) v ORDER BY 1)
           ${bump}
           FROM moved WHERE t.id = moved.id RETURNING t.id, moved.old, t.${ref.column} AS new`,
        params,
      );
    }
    return this.db.query(
      tx,
      `WITH moved AS (SELECT id, ${ref.column} AS old FROM ${ref.table} WHERE ${ref.column} = ANY($1::uuid[]) ${typed} FOR UPDATE)
       UPDATE ${ref.table} t SET ${ref.column} = CASE WHEN t.id = $2 THEN NULL ELSE $2::uuid END ${bump}
         FROM moved WHERE t.id = moved.id RETURNING t.id, moved.old, t.${ref.column} AS new`,
      params,
    );
  }

  /** The duplicates' timelines join the survivor's; an entry both showed is kept once. */
  private async moveTimeline(
    tx: RequestContext,
    entity: string,
    ids: string[],
    survivorId: string,
  ) {
    await this.db.query(
      tx,
      `DELETE FROM timeline_entries d USING timeline_entries k
        WHERE d.subject_entity = $1 AND d.subject_id = ANY($2::uuid[])
          AND k.subject_entity = $1 AND (k.subject_id = $3 OR (k.subject_id = ANY($2::uuid[]) AND k.id < d.id))
          AND k.source_entity = d.source_entity AND k.source_id = d.source_id AND k.entry_key = d.entry_key`,
      [entity, ids, survivorId],
    );
    await this.db.query(
      tx,
      `UPDATE timeline_entries SET subject_id = $3 WHERE subject_entity = $1 AND subject_id = ANY($2::uuid[])`,
      [entity, ids, survivorId],
    );
  }
}
