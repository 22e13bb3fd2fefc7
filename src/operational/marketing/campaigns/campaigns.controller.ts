import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import {
  ApiProblems,
  AppError,
  etagOf,
  parseLimitParam,
  UuidParamPipe,
} from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { MEMBER_STATUSES, type MemberStatus } from './campaign-member-status.js';
import { CampaignCosts } from './campaign-costs.js';
import { CampaignMembersService } from './campaign-members.service.js';
import { CampaignOutcomes } from './campaign-outcomes.js';
import { CampaignPerformance } from './campaign-performance.js';
import { CAMPAIGN_ACTIONS, CampaignWorkflow, type CampaignAction } from './campaign-workflow.js';
import { CampaignsService } from './campaigns.service.js';
import {
  CampaignCostDto,
  CampaignCostListDto,
  CreateCampaignCostDto,
} from './dto/campaign-cost.dto.js';
import {
  AddCampaignMembersDto,
  CampaignMemberDto,
  CampaignMemberPageDto,
  CampaignPerformanceDto,
  MembersAddedDto,
  MoveCampaignMemberDto,
} from './dto/campaign-member.dto.js';
import {
  AttributionListDto,
  CallTaskListDto,
  CallTasksDto,
  CampaignAttributionDto,
  CampaignResponseDto,
  CampaignResponseResultDto,
} from './dto/campaign-outcome.dto.js';
import { CampaignDto, CreateCampaignDto, UpdateCampaignDto } from './dto/campaign.dto.js';

export const CampaignsController = recordController({
  path: 'campaigns',
  tag: 'Campaigns',
  label: 'campaign',
  service: CampaignsService,
  createDto: CreateCampaignDto,
  updateDto: UpdateCampaignDto,
  responseDto: CampaignDto,
  filterExample: 'filter[status][eq]=active&filter[type][in]=email,webinar',
});

const ACTION_DOCS: Record<CampaignAction, string> = {
  approve:
    'planned → approved; by a role of `campaigns.approverRoles` (else 403 `campaign_approval_forbidden`)',
  activate:
    'planned or approved → active; a budget above its currency’s threshold needs approval first (409 `campaign_approval_required`)',
  complete: 'active → completed',
  abort: 'planned, approved or active → aborted',
};

@ApiTags('Campaigns')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/campaigns')
export class CampaignActionsController {
  constructor(
    private readonly workflow: CampaignWorkflow,
    private readonly costs: CampaignCosts,
    private readonly members: CampaignMembersService,
    private readonly outcomes: CampaignOutcomes,
    private readonly performance: CampaignPerformance,
  ) {}

  @Post(':id/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a campaign along: approve, activate, complete or abort',
    description:
      Object.entries(ACTION_DOCS)
        .map(([a, d]) => `\`${a}\`: ${d}.`)
        .join(' ') +
      ' From any other status: 409 `campaign_status_transition`. Emits `campaign.status_changed`.',
    operationId: 'action_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'action', enum: CAMPAIGN_ACTIONS })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the campaign; stale: 412' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async act(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('action') action: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!(CAMPAIGN_ACTIONS as readonly string[]).includes(action))
      throw AppError.notFound('action', action.slice(0, 40));
    const { record, version } = await this.workflow.run(ctx, id, action as CampaignAction, ifMatch);
    void reply.header('etag', etagOf(version));
    return record;
  }

  @Post(':id/costs')
  @ApiOperation({ summary: 'Add a planned or actual cost', operationId: 'create_cost_campaigns' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: CampaignCostDto })
  @ApiProblems(400, 401, 403, 404)
  addCost(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreateCampaignCostDto,
  ) {
    return this.costs.add(ctx, id, body);
  }

  @Get(':id/costs')
  @ApiOperation({
    summary: "A campaign's costs with planned and actual totals",
    operationId: 'list_costs_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CampaignCostListDto })
  @ApiProblems(400, 401, 403, 404)
  listCosts(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.costs.list(ctx, id);
  }

  @Delete(':id/costs/:costId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a cost line', operationId: 'delete_cost_campaigns' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'costId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  removeCost(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('costId', UuidParamPipe) costId: string,
  ) {
    return this.costs.remove(ctx, id, costId);
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add members: everyone in a segment now, or up to 1,000 contacts',
    description:
      'New members start as `targeted`; members already there keep their status. Only contacts you may read are added.',
    operationId: 'add_members_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MembersAddedDto })
  @ApiProblems(400, 401, 403, 404)
  addMembers(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AddCampaignMembersDto,
  ) {
    if (!!body.segmentId === !!body.contactIds)
      throw AppError.field('segmentId', 'exactlyOne', 'give either segmentId or contactIds');
    return this.members.add(ctx, id, body);
  }

  @Get(':id/members')
  @ApiOperation({
    summary: "A campaign's members, paged by contact id",
    operationId: 'list_members_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'status', required: false, enum: MEMBER_STATUSES })
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
  @ApiOkResponse({ type: CampaignMemberPageDto })
  @ApiProblems(400, 401, 403, 404)
  listMembers(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (status !== undefined && !(MEMBER_STATUSES as readonly string[]).includes(status))
      throw new AppError('invalid_query', {}, [
        { field: 'status', rule: 'isIn', message: `must be one of: ${MEMBER_STATUSES.join(', ')}` },
      ]);
    if (cursor !== undefined) new UuidParamPipe().transform(cursor);
    return this.members.list(ctx, id, { status, limit: parseLimitParam(limit), cursor });
  }

  @Get(':id/members/:contactId')
  @ApiOperation({
    summary: 'One member with the history of their status',
    operationId: 'get_member_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOkResponse({ type: CampaignMemberDto })
  @ApiProblems(400, 401, 403, 404)
  member(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('contactId', UuidParamPipe) contactId: string,
  ) {
    return this.members.one(ctx, id, contactId);
  }

  @Patch(':id/members/:contactId')
  @ApiOperation({
    summary: "Move a member's status on",
    description:
      'Only forward on the funnel, or out; otherwise 409 `campaign_member_status_transition`. Emits `campaign.member_status_changed`.',
    operationId: 'update_member_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOkResponse({ type: CampaignMemberDto })
  @ApiProblems(400, 401, 403, 404, 409)
  moveMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('contactId', UuidParamPipe) contactId: string,
    @Body() body: MoveCampaignMemberDto,
  ) {
    return this.members.moveStatus(ctx, id, contactId, body.status as MemberStatus);
  }

  @Post(':id/responses')
  @ApiOperation({
    summary: 'Record a response: a contact who answered, or a new lead',
    description:
      'A contact becomes a member (if not one) and moves to `responded`; someone new becomes a lead with source `campaign`. ' +
      'When that lead converts, its opportunity is credited to the campaign and the contact is a `converted` member.',
    operationId: 'create_response_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: CampaignResponseResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  respond(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CampaignResponseDto,
  ) {
    return this.outcomes.respond(ctx, id, body);
  }

  @Post(':id/attributions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Credit an opportunity or an order to the campaign',
    operationId: 'create_attribution_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AttributionListDto })
  @ApiProblems(400, 401, 403, 404)
  attribute(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CampaignAttributionDto,
  ) {
    return this.outcomes.attribute(ctx, id, body);
  }

  @Get(':id/attributions')
  @ApiOperation({
    summary: 'What is credited to the campaign',
    operationId: 'list_attributions_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AttributionListDto })
  @ApiProblems(400, 401, 403, 404)
  attributions(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.outcomes.attributions(ctx, id);
  }

  @Get(':id/performance')
  @ApiOperation({
    summary: 'Members by status, cost per lead, conversion rates, attributed revenue and ROI',
    operationId: 'performance_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CampaignPerformanceDto })
  @ApiProblems(400, 401, 403, 404)
  performanceOf(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.performance.of(ctx, id);
  }

  @Post(':id/call-tasks')
  @ApiOperation({
    summary:
      'Call tasks for the members of a telemarketing campaign, shared round-robin among callers',
    description:
      'One `call` activity per member in `memberStatus` (default targeted), at most 1,000; other types: 409 `campaign_not_telemarketing`.',
    operationId: 'create_call_tasks_campaigns',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: CallTaskListDto })
  @ApiProblems(400, 401, 403, 404, 409)
  callTasks(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CallTasksDto,
  ) {
    return this.outcomes.callTasks(ctx, id, body);
  }
}
