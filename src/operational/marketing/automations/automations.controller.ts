import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  AppError,
  etagOf,
  parseLimitParam,
  UuidParamPipe,
} from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { AutomationsService } from './automations.service.js';
import { AutomationDateTriggers } from './automation-date-triggers.js';
import { AutomationRunsRepository, presentRun } from './automation-runs.repository.js';
import {
  AutomationDto,
  AutomationRunDetailDto,
  AutomationRunPageDto,
  CreateAutomationDto,
  DateTriggerRunDto,
  EventTypesDto,
  UpdateAutomationDto,
} from './dto/automation.dto.js';

export const AutomationsController = recordController({
  path: 'automations',
  tag: 'Automations',
  label: 'automation',
  service: AutomationsService,
  createDto: CreateAutomationDto,
  updateDto: UpdateAutomationDto,
  responseDto: AutomationDto,
  filterExample: 'filter[status][eq]=active&filter[triggerEvent][eq]=lead.created',
});

const ACTIONS = ['activate', 'pause'] as const;

@ApiTags('Automations')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/automations')
export class AutomationActionsController {
  constructor(
    private readonly automations: AutomationsService,
    private readonly runs: AutomationRunsRepository,
    private readonly dates: AutomationDateTriggers,
  ) {}

  @Post('date-triggers/run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start the runs date triggers are due now',
    description:
      'What the hourly job does, at once: every contact whose date is reached today or yesterday (in their time ' +
      'zone) enters each active `contact.date_reached` or `contact.birthday` automation, under its entry policy. ' +
      'Running it again the same day starts nothing new. Needs update on automations.',
    operationId: 'run_date_triggers_automations',
  })
  @ApiOkResponse({ type: DateTriggerRunDto })
  @ApiProblems(401, 403)
  async runDateTriggers(@Ctx() ctx: RequestContext) {
    return { started: await this.dates.runNow(ctx) };
  }

  @Get('event-types')
  @ApiOperation({
    summary: 'The events an automation can be triggered by',
    operationId: 'list_event_types_automations',
  })
  @ApiOkResponse({ type: EventTypesDto })
  @ApiProblems(401, 403)
  eventTypes() {
    return { data: [...this.automations.knownEvents()].sort() };
  }

  @Post(':id/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate or pause an automation',
    description:
      '`activate` checks the whole definition first: an unknown event, template, campaign, user or contact field, ' +
      'or a bad contact rule answers 422. A paused automation starts no runs and its runs stop at their next step.',
    operationId: 'action_automations',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'action', enum: ACTIONS })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag of the automation; stale: 412',
  })
  @ApiOkResponse({ type: AutomationDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422)
  async act(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('action') action: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!(ACTIONS as readonly string[]).includes(action))
      throw AppError.notFound('action', action.slice(0, 40));
    const { record, version } = await this.automations.setStatus(
      ctx,
      id,
      action as 'activate' | 'pause',
      ifMatch,
    );
    void reply.header('etag', etagOf(version));
    return record;
  }

  @Get(':id/runs')
  @ApiOperation({
    summary: 'Runs of an automation, newest first',
    operationId: 'list_runs_automations',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiOkResponse({ type: AutomationRunPageDto })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    await this.automations.get(ctx, id);
    if (cursor !== undefined) new UuidParamPipe().transform(cursor);
    const n = parseLimitParam(limit);
    const rows = await this.runs.list(ctx, id, n + 1, cursor);
    const page = rows.slice(0, n).map(presentRun);
    return {
      data: page,
      meta: { limit: n, nextCursor: rows.length > n ? page[page.length - 1].id : null },
    };
  }

  @Get(':id/runs/:runId')
  @ApiOperation({ summary: 'One run with each step’s outcome', operationId: 'get_run_automations' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiOkResponse({ type: AutomationRunDetailDto })
  @ApiProblems(400, 401, 403, 404)
  async one(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('runId', UuidParamPipe) runId: string,
  ) {
    await this.automations.get(ctx, id);
    const run = await this.runs.one(ctx, id, runId);
    if (!run) throw AppError.notFound('automation run', runId);
    return { ...presentRun(run), steps: await this.runs.steps(ctx, runId) };
  }
}
