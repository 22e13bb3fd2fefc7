import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
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
import { UuidParamPipe } from '#platform/http/params.js';
import { parseListQuery, pageLimits } from '#platform/query/list-request.js';
import { JobDto, JobListDto } from './dto/job.dto.js';
import { JobsAdminService } from './jobs-admin.service.js';

@ApiTags('Jobs')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsAdminService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List background jobs (admins)',
    operationId: 'listJobs',
    description:
      'Newest first by default. Filter on queue, state, attempts, runAt, lastError, singletonKey, createdAt, updatedAt, failedAt, completedAt — e.g. `filter[state][eq]=failed&filter[queue][eq]=webhooks.deliver` for the dead letters of one queue; sort by createdAt, runAt, queue, attempts, failedAt; page with `limit` and `cursor`.',
  })
  @ApiListQuery({
    filter: 'filter[state][eq]=failed',
    fields: 'id,queue,state,lastError',
    q: { description: 'Part of the queue name' },
  })
  @ApiOkResponse({ type: JobListDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.jobs.list(ctx, parseListQuery(query, pageLimits(this.config.api)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a background job (admins)', operationId: 'getJob' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: JobDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string): Promise<JobDto> {
    return this.jobs.get(ctx, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a dead-lettered job (admins)',
    operationId: 'retryJob',
    description:
      'Only `failed` jobs: the job gets a fresh set of retries and runs as soon as a worker is free. Any other state answers 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: JobDto })
  @ApiProblems(400, 401, 403, 404, 409)
  retry(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string): Promise<JobDto> {
    return this.jobs.retry(ctx, id);
  }
}
