import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { CallDeskService } from './call-desk.service.js';
import { CallsService } from './calls.service.js';
import {
  AgentReportDto,
  CallDto,
  CallLookupDto,
  CreateCallDto,
  UpdateCallDto,
} from './dto/call.dto.js';

export const CallsController = recordController({
  path: 'calls',
  tag: 'Call centre',
  label: 'call',
  service: CallsService,
  createDto: CreateCallDto,
  updateDto: UpdateCallDto,
  responseDto: CallDto,
  filterExample: 'filter[outcome][eq]=missed&filter[startedAt][gte]=2026-05-01',
});

@ApiTags('Call centre')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/calls')
export class CallDeskController {
  constructor(private readonly desk: CallDeskService) {}

  @Get('lookup')
  @ApiOperation({
    summary: 'Screen-pop: who is calling from a number',
    description:
      'The number in any usual form (422 when it is no valid number). Answers the contacts the caller may read ' +
      'whose stored numbers are this one, each with its account, open cases and the five latest orders of the ' +
      'contact or its account, read in one statement; `meta.tookMs` is the time it took.',
    operationId: 'lookup_calls',
  })
  @ApiQuery({
    name: 'number',
    required: true,
    schema: { type: 'string', maxLength: 100 },
    example: '+62215550100',
  })
  @ApiOkResponse({ type: CallLookupDto })
  @ApiProblems(400, 401, 403, 422)
  lookup(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.desk.lookup(ctx, query);
  }

  @Get('reports/agents')
  @ApiOperation({
    summary: 'Calls per agent over days: volume, answered rate, handle time, first-call resolution',
    description:
      'Calls that started from `from` to `to` (days inclusive, in the organization time zone) the caller may read. ' +
      'Average handle time is the mean talk time (`durationSeconds`) of answered calls. First-call resolution: of the ' +
      "distinct cases an agent's calls were about, the share that were resolved with that one call and no other " +
      'call on the case, before or after.',
    operationId: 'agent_report_calls',
  })
  @ApiQuery({ name: 'from', required: true, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', required: true, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: AgentReportDto })
  @ApiProblems(400, 401, 403)
  agents(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.desk.agentReport(ctx, query);
  }
}
