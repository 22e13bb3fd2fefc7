import { Injectable } from '@nestjs/common';
import type { CrudAction } from '#platform/context/principal.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import {
  diffRecords,
  HistoryService,
  type FieldChange,
  type HistoryAction,
} from '#platform/audit/history.service.js';
import { CustomFieldValidator } from '#platform/customization/custom-field-validator.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import { buildListQuery, cursorOf } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import {
  historyIgnoredFields,
  querySchemaOf,
  recordSelect,
  recordToColumns,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from './resource-definition.js';
import { ResourceRegistry, type RecordReference } from './resource-registry.js';

/** What a resource adds to the generic rules: derived columns, reference checks, duplicates. */
export interface RecordHooks {
  /** Server-derived columns (search keys) computed from the whole record after the change. */
  derive?(record: Record<string, unknown>): Record<string, unknown>;
  /** Reference and cross-field checks; `changed` names the attributes the request set. */
  validate?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void>;
  /** A record this one would duplicate, checked on create. */
  findDuplicate?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    derived: Record<string, unknown>,
  ): Promise<{ id: string; match: string } | null>;
  /**
   * Ownership the server gives a new record (assignment rules), called once every other
   * create rule has passed; `ownerRequested` says whether the request named an owner. The
   * attributes it returns (owner, team, server-owned ones) are stored as they are: the
   * caller's right to create was checked with the ownership the request asked for, and an
   * owner chosen by the admin's rules is not a reassignment by the caller.
   */
  assignOwnership?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    ownerRequested: boolean,
  ): Promise<Record<string, unknown>>;
}

export interface ListPage {
  data: Record<string, unknown>[];
  meta: { nextCursor: string | null; limit: number; total?: number; totalIsEstimate?: boolean };
}

const HISTORY_IGNORED = new Set([
  'updatedAt',
  'version',
  'updatedById',
  'createdAt',
  'createdById',
  'id',
]);
const OWNERSHIP = ['ownerId', 'teamId'];

/** Columns a record's history is made of: those of every attribute but the server's bookkeeping. */
export function historyColumns(def: ResourceDefinition): string[] {
  return def.attributes
    .filter((a) => a.name === 'id' || !HISTORY_IGNORED.has(a.name))
    .flatMap((a) =>
      a.kind === 'money' ? [`${a.column}_amount`, `${a.column}_currency`] : [a.column],
    );
}

/**
 * The history entry of a new record: every field it was created with (what `diffRecords`
 * against an empty record gives, without comparing each value as JSON — bulk writers make
 * many of these). Custom fields come in the order of their codes, whatever order the
 * record's JSON holds them in.
 */
export function createdChanges(def: ResourceDefinition, created: ApiRecord): FieldChange[] {
  const ignored = historyIgnoredFields(def, HISTORY_IGNORED);
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(created)) {
    if (ignored.has(field)) continue;
    if (field === 'customFields') {
      const custom = Object.entries((value ?? {}) as Record<string, unknown>);
      for (const [code, v] of custom.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (v !== null && v !== undefined && !ignored.has(`customFields.${code}`))
          changes.push({ field: `customFields.${code}`, old: null, new: v });
      }
    } else if (value !== null && value !== undefined) {
      changes.push({ field, old: null, new: value });
    }
  }
  return changes;
}

function withoutHidden(
  custom: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(custom).filter(([code]) => !hidden.has(`customFields.${code}`)),
  );
}
const EVENT_VERBS: Record<HistoryAction, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  merge: 'merged',
};

/**
 * The REST contract for every customer record, written once: scoped reads, keyset lists,
 * validated writes in one transaction with their history, ETag checks, soft delete, restore
 * and purge. Resources add their own rules through hooks.
 */
@Injectable()
export class RecordService {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly history: HistoryService,
    private readonly registry: ResourceRegistry,
    private readonly outbox: EventOutbox,
    private readonly customFields: CustomFieldValidator,
  ) {}

  /** The record as the caller may see it, or 404 when it is outside the read scope. */
  async load(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    opts: { forUpdate?: boolean; deleted?: boolean } = {},
  ): Promise<ApiRecord> {
    const principal = ctx.user;
    const scope = this.permissions.require(principal, def.entity, 'read');
    const params = new SqlParams();
    const idParam = params.add(id);
    const scopeSql = this.permissions.scopeSql(
      principal,
      scope,
      querySchemaOf(def),
      def.alias,
      params,
    );
    const rows = await this.db.query(
      ctx,
      `SELECT ${recordSelect(def)} FROM ${def.table} ${def.alias}
        WHERE ${def.alias}.id = ${idParam} AND ${def.alias}.deleted_at IS ${opts.deleted ? 'NOT NULL' : 'NULL'} AND ${scopeSql}
          ${def.discriminator ? `AND ${def.alias}.${def.discriminator.column} = ${params.add(def.discriminator.value)}` : ''}
        ${opts.forUpdate ? 'FOR UPDATE' : ''}`,
      params.values,
    );
    if (rows.length === 0) throw AppError.notFound(def.label, id);
    return rowToRecord(def, rows[0]);
  }

  private assertAction(
    ctx: RequestContext,
    def: ResourceDefinition,
    record: ApiRecord,
    action: CrudAction,
  ): void {
    const scope = this.permissions.require(ctx.user, def.entity, action);
    if (!this.permissions.inScope(ctx.user, scope, record))
      throw AppError.forbidden(action, `this ${def.label}`);
  }

  /** Removes hidden fields and applies `fields=` projection. */
  present(
    ctx: RequestContext,
    def: ResourceDefinition,
    record: Record<string, unknown>,
    fields: string[] | null = null,
  ): Record<string, unknown> {
    const hidden = this.permissions.hiddenFields(ctx.user, def.entity);
    if (hidden.size === 0 && !fields) return record;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (hidden.has(k)) continue;
      if (fields && k !== 'id' && !fields.includes(k)) continue;
      out[k] =
        k === 'customFields' && hidden.size > 0 && v
          ? withoutHidden(v as Record<string, unknown>, hidden)
          : v;
    }
    return out;
  }

  private checkFields(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
  ): void {
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

  private validFields(def: ResourceDefinition, fields: string[] | null): void {
    if (!fields) return;
    const known = new Set(def.attributes.map((a) => a.name));
    const unknown = fields.filter((f) => !known.has(f) && !def.relations.some((r) => r.name === f));
    if (unknown.length) {
      throw new AppError(
        'invalid_query',
        {},
        unknown.map((f) => ({
          field: 'fields',
          rule: 'unknownField',
          message: `"${f}" is not a field`,
          params: { value: f },
        })),
      );
    }
  }

  async get(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    include: string[] = [],
    fields: string[] | null = null,
  ): Promise<{ record: Record<string, unknown>; version: number }> {
    this.validFields(def, fields);
    const record = await this.load(ctx, def, id);
    const [withIncludes] = await this.embed(ctx, def, [record], include);
    return { record: this.present(ctx, def, withIncludes, fields), version: record.version };
  }

  async list(
    ctx: RequestContext,
    def: ResourceDefinition,
    request: ListRequest,
    extraWhere: string[] = [],
  ): Promise<ListPage> {
    const principal = ctx.user;
    this.permissions.require(principal, def.entity, 'read');
    this.validFields(def, request.fields);
    for (const name of request.include) {
      if (!def.relations.some((r) => r.name === name)) {
        throw new AppError('invalid_query', {}, [
          {
            field: 'include',
            rule: 'unknownField',
            message: `"${name}" is not a relation`,
            params: { value: name },
          },
        ]);
      }
    }
    const compiled = buildListQuery(
      querySchemaOf(def),
      request,
      this.permissions.queryAccess(principal),
      new SqlParams(),
      extraWhere,
    );
    const rows = await this.db.query(ctx, compiled.sql, compiled.params);
    const page = rows.slice(0, request.limit);
    const records = await this.embed(
      ctx,
      def,
      page.map((r) => rowToRecord(def, r)),
      request.include,
    );
    const meta: ListPage['meta'] = {
      nextCursor:
        rows.length > request.limit ? cursorOf(page[page.length - 1], compiled.keyCount) : null,
      limit: request.limit,
    };
    if (request.count === 'exact') {
      const [{ n }] = await this.db.query<{ n: string }>(
        ctx,
        compiled.countSql,
        compiled.countParams,
      );
      meta.total = Number(n);
    } else if (request.count === 'estimated') {
      const plan = await this.db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
        ctx,
        `EXPLAIN (FORMAT JSON) ${compiled.countSql.replace(/^SELECT count\(\*\)::bigint AS n/, 'SELECT 1')}`,
        compiled.countParams,
      );
      meta.total = plan[0]['QUERY PLAN'][0].Plan['Plan Rows'];
      meta.totalIsEstimate = true;
    }
    return { data: records.map((r) => this.present(ctx, def, r, request.fields)), meta };
  }

  /** Embeds related records named in `include`, each subject to its own read scope. */
  private async embed(
    ctx: RequestContext,
    def: ResourceDefinition,
    records: ApiRecord[],
    include: string[],
  ): Promise<ApiRecord[]> {
    for (const name of include) {
      const relation = def.relations.find((r) => r.name === name);
      if (!relation) {
        throw new AppError('invalid_query', {}, [
          {
            field: 'include',
            rule: 'unknownField',
            message: `"${name}" is not a relation`,
            params: { value: name },
          },
        ]);
      }
      const target = this.registry.get(relation.entity);
      const key =
        def.attributes.find((a) => a.column === relation.foreignKey)?.name ?? relation.foreignKey;
      const ids = [
        ...new Set(records.map((r) => r[key]).filter((v): v is string => typeof v === 'string')),
      ];
      const related = new Map<string, Record<string, unknown>>();
      const scope = this.permissions.grant(ctx.user, target.entity).read;
      if (ids.length > 0 && scope !== 'none') {
        const params = new SqlParams();
        const idList = params.add(ids);
        const scopeSql = this.permissions.scopeSql(
          ctx.user,
          scope,
          querySchemaOf(target),
          target.alias,
          params,
        );
        const rows = await this.db.query(
          ctx,
          `SELECT ${recordSelect(target)} FROM ${target.table} ${target.alias} WHERE ${target.alias}.id = ANY(${idList}::uuid[]) AND ${target.alias}.deleted_at IS NULL AND ${scopeSql}`,
          params.values,
        );
        for (const row of rows)
          related.set(row.id as string, this.present(ctx, target, rowToRecord(target, row)));
      }
      for (const r of records)
        (r as Record<string, unknown>)[name] = related.get(r[key] as string) ?? null;
    }
    return records;
  }

  /**
   * Everything `create` checks and derives before it writes one record — the role's create
   * scope, field access, ownership, custom fields, rules, the resource's hooks and (unless
   * allowed) duplicates — and the columns it will insert. Bulk writers (CSV import) call it
   * for each record, so a record they write passes exactly the rules of POST.
   */
  async prepareCreate(
    ctx: RequestContext,
    def: ResourceDefinition,
    input: Record<string, unknown>,
    hooks: RecordHooks = {},
    options: { allowDuplicate?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    const principal = ctx.user;
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
      this.readableFor(ctx),
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
    return {
      ...recordToColumns(def, record),
      ...derived,
      id: uuidv7(),
      ...(def.discriminator ? { [def.discriminator.column]: def.discriminator.value } : {}),
      created_by_id: principal.userId,
      updated_by_id: principal.userId,
    };
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
      await this.changed(tx, def.entity, created.id, 'create', createdChanges(def, created), {
        record: created,
      });
      return created;
    });
  }

  async update(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    patch: Record<string, unknown>,
    ifMatch: string | undefined,
    hooks: RecordHooks = {},
  ): Promise<ApiRecord> {
    const principal = ctx.user;
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, def, id, { forUpdate: true });
      this.assertAction(tx, def, existing, 'update');
      checkIfMatch(ifMatch, existing.version);
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
        this.readableFor(tx),
      );
      this.customFields.checkRules(def, merged);
      const changed = new Set(changedKeys.filter((k) => k !== 'customFields'));
      if (JSON.stringify(merged.customFields) !== JSON.stringify(existing.customFields))
        changed.add('customFields');
      await this.validateOwnership(tx, merged, changed);
      await hooks.validate?.(tx, merged, changed, existing);
      if (changed.size === 0) return existing;
      const columns = {
        ...recordToColumns(def, Object.fromEntries([...changed].map((k) => [k, merged[k]]))),
        ...(hooks.derive?.(merged) ?? {}),
      };
      const names = Object.keys(columns);
      const sets = names.map((n, i) => `${n} = $${i + 3}`);
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET ${[...sets, 'version = version + 1', 'updated_at = now()', 'updated_by_id = $2'].join(', ')}
          WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [id, principal.userId, ...names.map((n) => columns[n])],
      );
      const updated = rowToRecord(def, rows[0]);
      await this.changed(
        tx,
        def.entity,
        id,
        'update',
        diffRecords(existing, updated, historyIgnoredFields(def, HISTORY_IGNORED)),
        { record: updated },
      );
      return updated;
    });
  }

  async remove(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    ifMatch: string | undefined,
  ): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, def, id, { forUpdate: true });
      this.assertAction(tx, def, existing, 'delete');
      checkIfMatch(ifMatch, existing.version);
      await this.db.query(
        tx,
        `UPDATE ${def.table} SET deleted_at = now(), version = version + 1, updated_at = now(), updated_by_id = $2 WHERE id = $1`,
        [id, ctx.user.userId],
      );
      await this.changed(tx, def.entity, id, 'delete', []);
    });
  }

  async restore(ctx: RequestContext, def: ResourceDefinition, id: string): Promise<ApiRecord> {
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, def, id, { forUpdate: true, deleted: true });
      this.assertAction(tx, def, existing, 'delete');
      const rows = await this.db.query(
        tx,
        `UPDATE ${def.table} AS ${def.alias} SET deleted_at = NULL, merged_into_id = NULL, version = version + 1, updated_at = now(), updated_by_id = $2 WHERE ${def.alias}.id = $1 RETURNING ${recordSelect(def)}`,
        [id, ctx.user.userId],
      );
      const restored = rowToRecord(def, rows[0]);
      await this.changed(tx, def.entity, id, 'restore', [], { record: restored });
      return restored;
    });
  }

  /** Removes a soft-deleted record for good; admins only. */
  async purge(ctx: RequestContext, def: ResourceDefinition, id: string): Promise<void> {
    this.permissions.requireAdmin(ctx.user);
    await this.db.transaction(ctx, async (tx) => {
      await this.load(tx, def, id, { forUpdate: true, deleted: true });
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

  async historyOf(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    limit: number,
    cursor: string | null,
  ) {
    await this.load(ctx, def, id);
    return this.history.list(ctx, def.entity, id, {
      limit,
      cursor,
      hidden: this.permissions.hiddenFields(ctx.user, def.entity),
    });
  }

  /**
   * Merges duplicates into a survivor in one transaction: the survivor's empty fields are
   * filled from the duplicates (first one wins), `combine` adds resource-specific unions,
   * every reference to a duplicate moves to the survivor (with history on the moved
   * records), and the duplicates are soft-deleted pointing at the survivor.
   */
  async merge(
    ctx: RequestContext,
    def: ResourceDefinition,
    survivorId: string,
    duplicateIds: string[],
    hooks: RecordHooks & {
      combine?(survivor: ApiRecord, duplicates: ApiRecord[]): Record<string, unknown>;
    } = {},
  ): Promise<ApiRecord> {
    const ids = [...new Set(duplicateIds.map((d) => d.toLowerCase()))];
    if (ids.includes(survivorId))
      throw AppError.field('duplicateIds', 'invalid', 'must not contain the surviving record');
    return this.db.transaction(ctx, async (tx) => {
      const survivor = await this.load(tx, def, survivorId, { forUpdate: true });
      this.assertAction(tx, def, survivor, 'update');
      const duplicates: ApiRecord[] = [];
      for (const id of ids) {
        const duplicate = await this.load(tx, def, id, { forUpdate: true });
        this.assertAction(tx, def, duplicate, 'delete');
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
      await this.changed(tx, def.entity, survivorId, 'merge', [
        { field: 'mergedFrom', old: null, new: ids },
        ...diffRecords(survivor, updated, historyIgnoredFields(def, HISTORY_IGNORED)),
      ]);
      for (const ref of this.registry.referencesTo(def.entity)) {
        const moved = await this.moveReference(tx, ref, ids, survivorId);
        if (ref.entity) {
          for (const m of moved)
            await this.changed(tx, ref.entity, m.id, 'update', [
              { field: ref.attribute, old: m.old, new: m.new },
            ]);
        }
      }
      await this.moveTimeline(tx, def.entity, ids, survivorId);
      await this.db.query(
        tx,
        `UPDATE ${def.table} SET deleted_at = now(), merged_into_id = $2, version = version + 1, updated_at = now(), updated_by_id = $3 WHERE id = ANY($1::uuid[])`,
        [ids, survivorId, ctx.user.userId],
      );
      for (const id of ids)
        await this.changed(tx, def.entity, id, 'merge', [
          { field: 'mergedInto', old: null, new: survivorId },
        ]);
      return updated;
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

  /** Whether the caller may read a record: the same rule as a GET of it. */
  async isReadable(ctx: RequestContext, entity: string, id: string): Promise<boolean> {
    try {
      await this.load(ctx, this.registry.get(entity), id);
      return true;
    } catch (e) {
      if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) return false;
      throw e;
    }
  }

  /**
   * A reference a request sets must name a record the caller may read; otherwise it is a field
   * error that says no more than "does not exist", so a reference cannot probe other scopes.
   */
  async mustReference(
    ctx: RequestContext,
    entity: string,
    id: string,
    field: string,
    noun: string,
  ): Promise<void> {
    if (!(await this.isReadable(ctx, entity, id)))
      throw AppError.field(field, 'notFound', `refers to ${noun} that does not exist`);
  }

  private readableFor(ctx: RequestContext) {
    return (entity: string, id: string): Promise<boolean> => this.isReadable(ctx, entity, id);
  }

  /** One change to a record: its history entry and its domain event, in the caller's transaction. */
  private async changed(
    tx: RequestContext,
    entity: string,
    id: string,
    action: HistoryAction,
    changes: FieldChange[],
    data: Record<string, unknown> = {},
  ): Promise<void> {
    if (action === 'update' && changes.length === 0) return;
    await this.history.record(tx, entity, id, action, changes);
    await this.outbox.append(tx, [
      {
        type: `${this.registry.get(entity).label}.${EVENT_VERBS[action]}`,
        entity,
        recordId: id,
        data: { ...data, changes },
      },
    ]);
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
