import { Controller, Get, Inject, Param, Query, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiListQuery, ApiProblems } from '#platform/http/api-docs.decorators.js';
import { AppError } from '#platform/http/app-error.js';
import { UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, pageLimits } from '#platform/query/list-request.js';
import { TimelinePageDto } from './dto/timeline.dto.js';
import { TimelineService } from './timeline.service.js';

export interface TimelineControllerOptions {
  /** Path of the record resource under /api/v1, e.g. `contacts`. */
  path: string;
  /** Entity key of the records, e.g. `contacts`. */
  entity: string;
  tag: string;
  label: string;
}

const NOT_FOR_TIMELINES = ['fields', 'include', 'count'] as const;

/** `GET /api/v1/{path}/{id}/timeline` for one record resource. */
export function timelineController(o: TimelineControllerOptions): Type<unknown> {
  @ApiTags(o.tag)
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @Controller(`api/v1/${o.path}`)
  class TimelineController {
    constructor(
      readonly timeline: TimelineService,
      @Inject(CRM_CONFIG) readonly config: CrmConfig,
    ) {}

    @Get(':id/timeline')
    @ApiOperation({
      summary: `The timeline of ${o.label}`,
      operationId: `timeline_${o.path}`,
      description:
        'Everything that happened with the record, newest first, as every module puts it on the timeline (notes, calls, changes, …), ' +
        'each shown only when the caller may read the record it describes. Filter by `filter[type][in]=call,meeting` and ' +
        '`filter[occurredAt][gte]=…`, search titles with `q`, page with `limit` and `cursor` (keyset), `sort=occurredAt` for oldest first.',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiListQuery({
      filter: 'filter[type][in]=call,meeting,stage_change',
      sort: '-occurredAt',
      count: false,
    })
    @ApiOkResponse({ type: TimelinePageDto })
    @ApiProblems(400, 401, 403, 404)
    page(
      @Ctx() ctx: RequestContext,
      @Param('id', UuidParamPipe) id: string,
      @Query() query: Record<string, unknown>,
    ) {
      const unsupported = NOT_FOR_TIMELINES.filter((name) => query[name] !== undefined);
      if (unsupported.length) {
        throw new AppError(
          'invalid_query',
          {},
          unsupported.map((field) => ({
            field,
            rule: 'unknownField',
            message: 'is not supported by timelines',
          })),
        );
      }
      const request = parseListQuery(query, pageLimits(this.config.api));
      return this.timeline.page(ctx, { entity: o.entity, id }, request);
    }
  }
  Object.defineProperty(TimelineController, 'name', {
    value: `${o.tag.replace(/\W/g, '')}TimelineController`,
  });
  return TimelineController;
}
