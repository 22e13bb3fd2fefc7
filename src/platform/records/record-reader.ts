import { Injectable } from '@nestjs/common';
import type { CrudAction } from '#platform/context/principal.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import { buildListQuery, cursorOf, type ExtraWhere } from '#platform/query/list-query-builder.js';
import type { ListRequest } from '#platform/query/list-request.js';
import { SqlParams } from '#platform/query/sql-params.js';
import {
  querySchemaOf,
  recordSelect,
  rowToRecord,
  type ApiRecord,
  type ResourceDefinition,
} from './resource-definition.js';
import { ResourceRegistry } from './resource-registry.js';

export interface ListPage {
  data: Record<string, unknown>[];
  meta: { nextCursor: string | null; limit: number; total?: number; totalIsEstimate?: boolean };
}

function withoutHidden(
  custom: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(custom).filter(([code]) => !hidden.has(`customFields.${code}`)),
  );
}

/**
 * Reads of customer records under the caller's rights: one record in its read scope, keyset
 * lists through the one list-query builder, related records embedded under their own scope,
 * hidden fields removed.
 */
@Injectable()
export class RecordReader {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly registry: ResourceRegistry,
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

  /** 403 unless the caller's role allows `action` on this record. */
  assertAction(
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
    extraWhere: ExtraWhere[] = [],
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
    const rows = await this.db.read(ctx, compiled.sql, compiled.params);
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
      const [{ n }] = await this.db.read<{ n: string }>(
        ctx,
        compiled.countSql,
        compiled.countParams,
      );
      meta.total = Number(n);
    } else if (request.count === 'estimated') {
      const plan = await this.db.read<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
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
        const rows = await this.db.read(
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

  readableFor(ctx: RequestContext) {
    return (entity: string, id: string): Promise<boolean> => this.isReadable(ctx, entity, id);
  }
}
