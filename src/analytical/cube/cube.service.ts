import { Inject, Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import type { QuerySchema } from '#platform/query/index.js';
import {
  checkCubeQuery,
  compileCubeQuery,
  CUBE_MAX_LIMIT,
  dimensionNames,
  hiddenFieldErrors,
  type AccountFieldTypes,
  type CheckedCubeQuery,
  type CubeQuery,
} from './cube-query.js';
import { pivotRows, toCubeRows, type CubePivot, type CubeRow } from './cube-results.js';
import { CUBES, type CubeDefinition } from './cube.definitions.js';

/** A cube query's answer: rows or a pivot, in one currency, with the age of the data. */
export interface CubeResult {
  cube: string;
  currency: string;
  dataAsOf: string;
  measures: string[];
  dimensions: string[];
  totals: string;
  shape: 'rows' | 'pivot';
  rows?: CubeRow[];
  pivot?: CubePivot;
}

/**
 * Answers cube queries over the cubes' materialized views: every name checked against the
 * cube's definition, the statement built with parameters only, and the rows limited to the
 * records the caller may read of the cube's entity.
 */
@Injectable()
export class CubeService {
  private readonly accountFields: AccountFieldTypes;

  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    this.accountFields = new Map(
      (config.customization.accounts?.fields ?? []).map((f) => [f.code, f.type]),
    );
  }

  get reportingCurrency(): string {
    return this.config.organization.defaultCurrency;
  }

  /** The names of a query checked; the problems found, with `at` before each field path. */
  check(query: CubeQuery, at = ''): { query: CheckedCubeQuery | null; errors: FieldError[] } {
    return checkCubeQuery(query, this.accountFields, at);
  }

  describe() {
    return [...CUBES.values()].map((c) => ({
      name: c.name,
      description: c.description,
      entity: c.entity,
      time: c.time,
      currency: this.reportingCurrency,
      measures: c.measures.map((m) => ({ name: m.name, type: m.type, description: m.description })),
      dimensions: dimensionNames(c, this.accountFields),
    }));
  }

  async query(ctx: RequestContext, raw: CubeQuery): Promise<CubeResult> {
    const { query, errors } = this.check(raw);
    if (!query) throw AppError.validation(errors);
    return this.run(ctx, query);
  }

  /**
   * Runs a checked query as the caller: 403 without read on the cube's entity, and 403 naming
   * each measure, dimension or filter made of a field the caller's role hides (`at` is put
   * before their places, e.g. `query.` for a saved report).
   */
  async run(ctx: RequestContext, q: CheckedCubeQuery, at = ''): Promise<CubeResult> {
    const scope = this.permissions.require(ctx.user, q.cube.entity, 'read');
    this.requireVisible(ctx, q, at);
    const schema = scopeSchema(q.cube);
    const { sql, params, view } = compileCubeQuery(q, (p, alias) =>
      this.permissions.scopeSql(ctx.user, scope, schema, alias, p),
    );
    const [rows, asOf] = await Promise.all([
      this.db.query<Record<string, unknown>>(ctx, sql, params),
      this.dataAsOf(ctx, view),
    ]);
    if (rows.length > q.limit)
      throw new AppError('cube_result_too_large', { limit: q.limit, max: CUBE_MAX_LIMIT });
    const currency = await this.viewCurrency(ctx);
    const cubeRows = toCubeRows(q, rows, currency);
    const base = {
      cube: q.cube.name,
      currency,
      dataAsOf: asOf,
      measures: q.measures.map((m) => m.name),
      dimensions: q.dimensions.map((d) => d.name),
      totals: q.totals,
      shape: q.shape,
    };
    return q.shape === 'pivot'
      ? { ...base, pivot: pivotRows(q.pivotOn!, cubeRows) }
      : { ...base, rows: cubeRows };
  }

  /** 403 when the query is made of a field hidden from the caller, naming every such place. */
  requireVisible(ctx: RequestContext, q: CheckedCubeQuery, at = ''): void {
    const hidden = hiddenFieldErrors(
      q,
      (entity, field) => this.permissions.field(ctx.user, entity, field) === 'hidden',
      at,
    );
    if (hidden.length)
      throw new AppError(
        'cube_field_hidden',
        { fields: [...new Set(hidden.flatMap((e) => e.params!.fields as string[]))].join(', ') },
        hidden,
      );
  }

  /** When the view was last refreshed. */
  async dataAsOf(ctx: RequestContext, view: string): Promise<string> {
    const row = await this.db.one<{ refreshed_at: Date }>(
      ctx,
      `SELECT refreshed_at FROM cube_refreshes WHERE view_name = $1`,
      [view],
    );
    return (row?.refreshed_at ?? new Date(0)).toISOString();
  }

  /** The currency the views' money is in: the one set at their last refresh. */
  private async viewCurrency(ctx: RequestContext): Promise<string> {
    const row = await this.db.one<{ reporting_currency: string }>(
      ctx,
      `SELECT reporting_currency FROM cube_settings`,
    );
    return row?.reporting_currency.trim() ?? this.reportingCurrency;
  }
}

/** What the permission evaluator needs of a cube's view to limit it to the caller's scope. */
function scopeSchema(cube: CubeDefinition): QuerySchema {
  return {
    entity: cube.entity,
    table: cube.view,
    alias: 'm',
    fields: new Map(),
    relations: new Map(),
    search: null,
    defaultSort: '',
    ownerColumn: 'owner_id',
    teamColumn: 'team_id',
  };
}
