import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, parseLimitParam, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import {
  CreateOpportunityDto,
  OpportunityDto,
  StageHistoryPageDto,
  UpdateOpportunityDto,
} from './dto/opportunity.dto.js';
import { OpportunitiesService } from './opportunities.service.js';

export const OpportunitiesController = recordController({
  path: 'opportunities',
  tag: 'Opportunities',
  label: 'opportunity',
  service: OpportunitiesService,
  createDto: CreateOpportunityDto,
  updateDto: UpdateOpportunityDto,
  responseDto: OpportunityDto,
  filterExample: 'filter[stage][eq]=proposal&filter[amount.amount][gte]=100000000',
});

@ApiTags('Opportunities')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/opportunities')
export class OpportunityActionsController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @Get(':id/stage-history')
  @ApiOperation({
    summary: 'Stages the opportunity went through, oldest first, with time in each',
    operationId: 'stage_history_opportunities',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: StageHistoryPageDto })
  @ApiProblems(400, 401, 403, 404)
  stageHistory(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    return this.opportunities.stageHistory(ctx, id, parseLimitParam(limit, 100), cursor ?? null);
  }
}
