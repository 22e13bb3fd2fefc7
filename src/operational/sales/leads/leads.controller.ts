import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AcceptsApiKeyScopes } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  etagOf,
  parseLimitParam,
  UuidParamPipe,
  withEtag,
} from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { ConvertedLeadDto, ConvertLeadDto } from './dto/convert-lead.dto.js';
import {
  CapturedLeadDto,
  CaptureLeadDto,
  CreateLeadDto,
  LeadDto,
  UpdateLeadDto,
} from './dto/lead.dto.js';
import { ScoreHistoryPageDto } from '../lead-scoring/dto/lead-score.dto.js';
import { LeadConversionService } from './lead-conversion.service.js';
import { LeadsService } from './leads.service.js';
import { LEAD_CAPTURE_SCOPE } from './leads.scopes.js';

export const LeadsController = recordController({
  path: 'leads',
  tag: 'Leads',
  label: 'lead',
  service: LeadsService,
  createDto: CreateLeadDto,
  updateDto: UpdateLeadDto,
  responseDto: LeadDto,
  filterExample: 'filter[status][in]=new,working&filter[rating][eq]=hot',
});

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/leads')
export class LeadActionsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly conversion: LeadConversionService,
  ) {}

  @Post(':id/convert')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Convert a lead into an account, a contact and optionally an opportunity',
    description:
      'In one transaction: links or creates the account (from the company) and the contact (from the person), ' +
      'optionally opens an opportunity at the account, carries custom fields as `leadConversion.customFieldMap` ' +
      'in crm.config.yaml maps them, and marks the lead converted with links to what it became. ' +
      'A converted lead is read-only; converting it again answers 409.',
    operationId: 'convert_leads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the lead; stale: 412' })
  @ApiOkResponse({ type: ConvertedLeadDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async convert(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ConvertLeadDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.conversion.convert(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(result.lead.version));
    return result;
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the assignment rules again for a lead',
    description:
      'Places the lead as creating it would today: the first rule of `leadAssignment.rules` in ' +
      "crm.config.yaml whose conditions hold assigns it (a fixed user, turns among the team's " +
      'members, or the member with the fewest open leads); a lead no rule can place goes to ' +
      "the team's default owner, else to its creator (or the caller, when the creator can no " +
      'longer work). The answer shows `assignmentRule` and `assignedVia`; a new owner emits ' +
      '`lead.assigned`. Needs the reassign permission; a converted lead answers 409.',
    operationId: 'assign_leads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the lead; stale: 412' })
  @ApiOkResponse({ type: LeadDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async assign(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.leads.assign(ctx, id, ifMatch));
  }

  @Get(':id/score-history')
  @ApiOperation({
    summary: "Changes of the lead's score, newest first, with the rules that made each score",
    description:
      'One entry per change of the score: after a change to the lead (`change`), to its ' +
      'activities (`activity`) or by the nightly recalculation (`nightly`). Rules are labelled ' +
      "in the caller's language.",
    operationId: 'score_history_leads',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: ScoreHistoryPageDto })
  @ApiProblems(400, 401, 403, 404)
  scoreHistory(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.leads.scoreHistory(ctx, id, parseLimitParam(limit), cursor ?? null);
  }

  @Post('capture')
  @AcceptsApiKeyScopes(LEAD_CAPTURE_SCOPE)
  @ApiOperation({
    summary: 'Capture a lead from a web form',
    description:
      'For a web form holding an API key limited to the `lead-capture` scope (POST /api/v1/api-keys with ' +
      '`scopes: ["lead-capture"]`): such a key can call this and nothing else. The lead belongs to the ' +
      "key's owner unless the assignment rules place it; a lead or contact with the same email " +
      'answers 409 with its id.',
    operationId: 'capture_leads',
  })
  @ApiCreatedResponse({ type: CapturedLeadDto })
  @ApiProblems(400, 401, 403, 409, 413)
  async capture(
    @Ctx() ctx: RequestContext,
    @Body() body: CaptureLeadDto,
  ): Promise<CapturedLeadDto> {
    const created = await this.leads.create(ctx, { source: 'web', ...body });
    return { id: created.id };
  }
}
