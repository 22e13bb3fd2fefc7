import { Inject, Injectable } from '@nestjs/common';
import { CubeQueryDto, CubeService, type CheckedCubeQuery } from '#analytical/cube/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError, validateDto, type FieldError } from '#platform/http/index.js';
import { pageLimits, parseQueryBody, type ListRequest } from '#platform/query/index.js';
import {
  RecordService,
  ResourceRegistry,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { fromCube, fromList, type ReportResult } from './report-result.js';

/** A report's query, checked and ready to run. */
export type PreparedQuery =
  | { kind: 'cube'; cube: CheckedCubeQuery; fields: string[] }
  | { kind: 'list'; def: ResourceDefinition; request: ListRequest; fields: string[] };

const prefixed = (errors: FieldError[] | undefined, at: string): FieldError[] =>
  (errors ?? []).map((e) => ({
    ...e,
    field: e.field === '(body)' ? at.slice(0, -1) : `${at}${e.field}`,
  }));

/**
 * Checks a report's query the way its endpoint would (the cube API's body, or a resource and
 * the body of its POST …/query) and runs it as the caller, so a report never shows more
 * than its runner may read.
 */
@Injectable()
export class ReportQuery {
  constructor(
    private readonly cubes: CubeService,
    private readonly records: RecordService,
    private readonly registry: ResourceRegistry,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** The query checked, or 400 naming each problem under `query.`. */
  async prepare(
    ctx: RequestContext,
    kind: string,
    raw: Record<string, unknown>,
  ): Promise<PreparedQuery> {
    if (kind === 'cube') {
      const body = await validateDto(CubeQueryDto, raw).catch((e: unknown) => {
        throw e instanceof AppError ? AppError.validation(prefixed(e.errors, 'query.')) : e;
      });
      const { query, errors } = this.cubes.check(
        { ...body, shape: 'rows', pivotOn: undefined },
        'query.',
      );
      if (!query) throw AppError.validation(errors);
      return {
        kind,
        cube: query,
        fields: [...query.dimensions.map((d) => d.name), ...query.measures.map((m) => m.name)],
      };
    }
    const { resource, ...rest } = raw;
    const entities = this.registry.entities();
    if (typeof resource !== 'string' || !entities.includes(resource))
      throw AppError.field(
        'query.resource',
        'isIn',
        `must be one of: ${entities.sort().join(', ')}`,
      );
    const def = this.registry.get(resource);
    let request: ListRequest;
    try {
      request = parseQueryBody(rest, pageLimits(this.config.api));
    } catch (e) {
      throw e instanceof AppError ? AppError.validation(prefixed(e.errors, 'query.')) : e;
    }
    if (request.cursor)
      throw AppError.field('query.cursor', 'notAllowed', 'a report lists from the start');
    const fields = request.fields ?? def.attributes.map((a) => a.name);
    return { kind: 'list', def, request, fields };
  }

  /** Checks names against the data without keeping rows: a one-row run as the caller. */
  async tryOut(ctx: RequestContext, q: PreparedQuery): Promise<void> {
    if (q.kind === 'cube') this.cubes.requireVisible(ctx, q.cube, 'query.');
    if (q.kind === 'list')
      await this.records.list(ctx, q.def, { ...q.request, limit: 1, count: null });
  }

  async run(ctx: RequestContext, q: PreparedQuery): Promise<ReportResult> {
    if (q.kind === 'cube') return fromCube(await this.cubes.run(ctx, q.cube, 'query.'));
    const page = await this.records.list(ctx, q.def, q.request);
    return fromList(page.data, q.request.fields);
  }
}
