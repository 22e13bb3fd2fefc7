import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/request-context.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { diffRecords } from '#platform/audit/history.service.js';
import { CustomFieldValidator } from '#platform/customization/custom-field-validator.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { RecordHooks } from './record-hooks.js';
import { createdChanges, ignoredInHistory, RecordChangeLog } from './record-history.js';
import { RecordLifecycle } from './record-lifecycle.js';
import { RecordReader } from './record-reader.js';
import {
  recordSelect,
  recordToColumns,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from './resource-definition.js';

export const OWNERSHIP = ['ownerId', 'teamId'];

/**
 * Writes of customer records, one lifecycle for every write path: the resource's `shape`,
 * the generic rules (rights, field access, ownership, custom fields), the resource's checks
 * and derived columns, the write with its history and `<label>.<verb>` event, and then the
 * resource's after-write hooks — all in one transaction.
 */
@Injectable()
export class RecordWriter {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly customFields: CustomFieldValidator,
    private readonly reader: RecordReader,
    private readonly changeLog: RecordChangeLog,
    private readonly lifecycle: RecordLifecycle,
  ) {}

  /**
   * Everything `create` checks and derives before it writes one record — the role's create
   * scope, field access, ownership, custom fields, rules, the resource's hooks and (unless
   * allowed) duplicates — and the columns it will insert. Bulk writers (CSV import) call it
   * for each record, so a record they write passes exactly the rules of POST.
   */
  async prepareCreate(
    ctx: RequestContext,
    def: ResourceDefinition,
    request: Record<string, unknown>,
    hooks: RecordHooks = {},
    options: { allowDuplicate?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    const principal = ctx.user;
    const input = hooks.shape?.(request, null) ?? request;
    const scope = this.permissions.require(principal, def.entity, 'create');
    this.checkFields(ctx, def, input);
    const record: Record<string, unknown> = { customFields: {}, ...input };
    record.ownerId = input.ownerId ?? principal.userId;
    record.teamId = input.teamId !== undefined ? input.teamId : (principal.teamIds[0] ?? null);
    const grant = this.permissions.grant(principal, def.entity);
    const reassigning =
      record.ownerId !== principal.userId ||
      (record.teamId !== null && !principal.teamIds.includes(record.teamId as string));
    if (reassigning && !grant.reassign)
      throw new AppError('reassign_forbidden', { entity: def.entity });
    if (
      !this.permissions.inScope(principal, scope, {
        ownerId: record.ownerId as string,
        teamId: record.teamId as string | null,
      })
    ) {
      throw AppError.forbidden('create', `${def.entity} for this owner`);
    }
    record.customFields = await this.customFields.prepare(
      ctx,
      def,
      input.customFields as Record<string, unknown> | undefined,
      null,
      this.reader.readableFor(ctx),
    );
    this.customFields.checkRules(def, record);
    await this.validateOwnership(ctx, record, new Set(Object.keys(input)));
    await hooks.validate?.(ctx, record, new Set(Object.keys(input)), null);
    const derived = hooks.derive?.(record) ?? {};
    if (!options.allowDuplicate && hooks.findDuplicate) {
      const duplicate = await hooks.findDuplicate(ctx, record, derived);
      if (duplicate) {
        throw new AppError(
          'duplicate_record',
          { entity: def.label, match: duplicate.match, existingId: duplicate.id },
          undefined,
          {
            existingId: duplicate.id,
            match: duplicate.match,
          },
        );
      }
    }
    if (hooks.assignOwnership)
      Object.assign(
        record,
        await hooks.assignOwnership(
          ctx,
          record,
          input.ownerId !== undefined && input.ownerId !== null,
        ),
      );
    // Assigned into the columns' own object: V8 builds a literal of several spreads property by
    // property, about ten times slower, and bulk writers call this for every row.
    return Object.assign(recordToColumns(def, record), derived, {
      id: uuidv7(),
      ...(def.discriminator ? { [def.discriminator.column]: def.discriminator.value } : {}),
      created_by_id: principal.userId,
      updated_by_id: principal.userId,
    });
  }

  async create(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
    hooks: RecordHooks = {},
    options: { allowDuplicate?: boolean } = {},
  ): Promise<ApiRecord> {
    return this.db.transaction(ctx, async (tx) => {
      const columns = await this.prepareCreate(tx, def, input, hooks, options);
      const names = Object.keys(columns);
      const rows = await this.db.query(
        tx,
        `INSERT INTO ${def.table} AS ${def.alias} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${recordSelect(def)}`,
        names.map((n) => columns[n]),
      );
      const created = rowToRecord(def, rows[0]);
      const changes = createdChanges(def, created);
      await this.changeLog.changed(tx, def.entity, created.id, 'create', changes, {
        record: created,
      });
      return this.lifecycle.written(tx, hooks, {
        action: 'create',
        before: null,
        after: created,
        changes,
      });
    });
  }

  async update(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    request: Record<string, unknown>,
    ifMatch: string | undefined,
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    const principal = ctx.user;
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.reader.load(tx, def, id, { forUpdate: true });
      this.reader.assertAction(tx, def, existing, 'update');
      checkIfMatch(ifMatch, existing.version);
      const patch = hooks.shape?.(request, existing) ?? request;
      const changedKeys = Object.keys(patch).filter(
        (k) => JSON.stringify(patch[k]) !== JSON.stringify(existing[k]),
      );
      const existingCustom = (existing.customFields ?? {}) as Record<string, unknown>;
      const customChanged = Object.entries(
        (patch.customFields ?? {}) as Record<string, unknown>,
      ).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(existingCustom[k] ?? null));
      this.checkFields(tx, def, {
        ...Object.fromEntries(
          changedKeys.filter((k) => k !== 'customFields').map((k) => [k, patch[k]]),
        ),
        ...(customChanged.length ? { customFields: Object.fromEntries(customChanged) } : {}),
      });
      // Optional in a PATCH does not mean nullable: a required field cannot be cleared.
      const cleared = def.attributes.filter(
        (a) =>
          changedKeys.includes(a.name) &&
          patch[a.name] === null &&
          a.kind === 'scalar' &&
          !a.nullable,
      );
      if (cleared.length) {
        throw AppError.validation(
          cleared.map((a) => ({ field: a.name, rule: 'required', message: 'is required' })),
        );
      }
      const createOnly = def.attributes.filter(
        (a) => a.writable === 'create' && changedKeys.includes(a.name),
      );
      if (createOnly.length)
        throw AppError.validation(
          createOnly.map((a) => ({
            field: a.name,
            rule: 'serverOwned',
            message: 'cannot change after creation',
          })),
        );
      if (
        OWNERSHIP.some((k) => changedKeys.includes(k)) &&
        !this.permissions.grant(principal, def.entity).reassign
      ) {
        throw new AppError('reassign_forbidden', { entity: def.entity });
      }
      const merged: Record<string, unknown> = { ...existing, ...patch };
      merged.customFields = await this.customFields.prepare(
        tx,
        def,
        patch.customFields as Record<string, unknown> | undefined,
        {
          id,
          customFields: existing.customFields as Record<string, unknown>,
        },
        this.reader.readableFor(tx),
      );
      this.customFields.checkRules(def, merged);
      const changed = new Set(changedKeys.filter((k) => k !== 'customFields'));
      if (JSON.stringify(merged.customFields) !== JSON.stringify(existing.customFields))
        changed.add('customFields');
      await this.validateOwnership(tx, merged, changed);
      await hooks.validate?.(tx, merged, changed, existing);
      if (changed.size === 0)
        return this.lifecycle.written(tx, hooks, {
          action: 'update',
          before: existing,
          after: existing,
          changes: [],
        });
      const columns = Object.assign(
        recordToColumns(def, Object.fromEntries([...changed].map((k) => [k, merged[k]]))),
        hooks.derive?.(merged),
      );
      const names = Object.keys(columns);
      const sets = names.map((n, i) => `${n} = $${i + 3}`);
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET ${[...sets, 'version = version + 1', 'updated_at = now()', 'updated_by_id = $2'].join(', ')}
          WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [id, principal.userId, ...names.map((n) => columns[n])],
      );
      const updated = rowToRecord(def, rows[0]);
      const changes = diffRecords(existing, updated, ignoredInHistory(def));
      await this.changeLog.changed(tx, def.entity, id, 'update', changes, { record: updated });
      return this.lifecycle.written(tx, hooks, {
        action: 'update',
        before: existing,
        after: updated,
        changes,
      });
    });
  }

  async remove(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    ifMatch: string | undefined,
    hooks: RecordHooks = {},
  ): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const existing = await this.reader.load(tx, def, id, { forUpdate: true });
      this.reader.assertAction(tx, def, existing, 'delete');
      checkIfMatch(ifMatch, existing.version);
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET deleted_at = now(), version = version + 1, updated_at = now(), updated_by_id = $2 WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [id, ctx.user.userId],
      );
      await this.changeLog.changed(tx, def.entity, id, 'delete', []);
      await this.lifecycle.written(tx, hooks, {
        action: 'delete',
        before: existing,
        after: rowToRecord(def, rows[0]),
        changes: [],
      });
    });
  }

  async restore(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.reader.load(tx, def, id, { forUpdate: true, deleted: true });
      this.reader.assertAction(tx, def, existing, 'delete');
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET deleted_at = NULL, merged_into_id = NULL, version = version + 1, updated_at = now(), updated_by_id = $2 WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [id, ctx.user.userId],
      );
      const restored = rowToRecord(def, rows[0]);
      await this.changeLog.changed(tx, def.entity, id, 'restore', [], { record: restored });
      return this.lifecycle.written(tx, hooks, {
        action: 'restore',
        before: existing,
        after: restored,
        changes: [],
      });
    });
  }

  /** Removes a soft-deleted record for good; admins only. */
  async purge(ctx: RequestContext, def: ResourceDefinition, id: string): Promise<void> {
    this.permissions.requireAdmin(ctx.user);
    await this.db.transaction(ctx, async (tx) => {
      await this.reader.load(tx, def, id, { forUpdate: true, deleted: true });
      await this.db.query(tx, `DELETE FROM record_history WHERE entity = $1 AND record_id = $2`, [
        def.entity,
        id,
      ]);
      // Entries the record wrote, and its own timeline, go with it.
      await this.db.query(
        tx,
        `DELETE FROM timeline_entries WHERE source_entity = $1 AND source_id = $2`,
        [def.entity, id],
      );
      await this.db.query(
        tx,
        `DELETE FROM timeline_entries WHERE subject_entity = $1 AND subject_id = $2`,
        [def.entity, id],
      );
      await this.db.query(tx, `DELETE FROM ${def.table} WHERE id = $1`, [id]);
    });
  }

  /** 403 for a field the caller's role hides or makes read-only. */
  private checkFields(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
  ): void {
    if (!this.permissions.limitsFields(ctx.user, def.entity)) return;
    const keys = Object.keys(input).flatMap((key) =>
      key === 'customFields' && input.customFields && typeof input.customFields === 'object'
        ? Object.keys(input.customFields).map((code) => `customFields.${code}`)
        : [key],
    );
    for (const key of keys) {
      const access = this.permissions.field(ctx.user, def.entity, key);
      if (access === 'hidden' || access === 'read-only')
        throw new AppError('field_read_only', { field: key });
    }
  }

  /** The owner must be an active user and the team must exist. */
  private async validateOwnership(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    if (changed.has('ownerId')) {
      const owner = await this.db.one(
        ctx,
        `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
        [record.ownerId],
      );
      if (!owner)
        throw AppError.field(
          'ownerId',
          'notFound',
          'refers to a user that does not exist or is inactive',
        );
    }
    if (changed.has('teamId') && record.teamId !== null) {
      const team = await this.db.one(
        ctx,
        `SELECT 1 FROM teams WHERE id = $1 AND deleted_at IS NULL`,
        [record.teamId],
      );
      if (!team) throw AppError.field('teamId', 'notFound', 'refers to a team that does not exist');
    }
  }
}
