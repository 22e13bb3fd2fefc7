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
import { ApiProblems } from '#platform/http/index.js';
import { OpportunityBoardService } from '../opportunities/opportunity-board.service.js';
import { BoardDto, PipelineDto, PipelineListDto } from './dto/pipeline.dto.js';
import { PipelinesService } from './pipelines.service.js';

@ApiTags('Pipelines')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/pipelines')
export class PipelinesController {
  constructor(
    private readonly pipelines: PipelinesService,
    private readonly board: OpportunityBoardService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Sales pipelines and their stages, in order',
    description: 'Declared in crm.config.yaml (`pipelines:`); read-only through the API.',
    operationId: 'list_pipelines',
  })
  @ApiOkResponse({ type: PipelineListDto })
  @ApiProblems(401)
  list(@Ctx() ctx: RequestContext): PipelineListDto {
    return { data: this.pipelines.list(ctx) };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One pipeline with its stages', operationId: 'get_pipelines' })
  @ApiParam({ name: 'key', example: 'sales', schema: { type: 'string', maxLength: 100 } })
  @ApiOkResponse({ type: PipelineDto })
  @ApiProblems(401, 404)
  get(@Ctx() ctx: RequestContext, @Param('key') key: string): PipelineDto {
    return this.pipelines.get(ctx, key);
  }

  @Get(':key/board')
  @ApiOperation({
    summary: 'Opportunities per stage: counts and amount totals per currency',
    description:
      "Covers the opportunities the caller may read (their role's read scope), optionally narrowed to one owner or team.",
    operationId: 'board_pipelines',
  })
  @ApiParam({ name: 'key', example: 'sales', schema: { type: 'string', maxLength: 100 } })
  @ApiQuery({ name: 'ownerId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'teamId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: BoardDto })
  @ApiProblems(400, 401, 403, 404)
  boardOf(
    @Ctx() ctx: RequestContext,
    @Param('key') key: string,
    @Query() query: Record<string, unknown>,
  ): Promise<BoardDto> {
    return this.board.board(ctx, key, query);
  }
}
