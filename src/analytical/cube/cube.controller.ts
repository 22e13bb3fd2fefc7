import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PermissionEvaluator } from '#platform/access/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { CubeRefreshJob } from './cube-refresh.job.js';
import { CubeService } from './cube.service.js';
import { CubeQueryDto } from './dto/cube-query.dto.js';
import { CubeListDto, CubeRefreshDto, CubeResultDto } from './dto/cube-result.dto.js';

@ApiTags('Analytics')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/analytics')
export class CubeController {
  constructor(
    private readonly cubes: CubeService,
    private readonly refresher: CubeRefreshJob,
    private readonly permissions: PermissionEvaluator,
  ) {}

  @Get('cubes')
  @ApiOperation({
    summary: 'The cubes, with their measures and dimensions',
    operationId: 'list_cubes_analytics',
  })
  @ApiOkResponse({ type: CubeListDto })
  @ApiProblems(401)
  list() {
    return { data: this.cubes.describe() };
  }

  @Post('cube')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Slice, dice, drill and roll up a cube',
    description:
      'Measures by dimensions over a cube’s materialized view, limited to the records of the cube’s entity ' +
      'you may read. `totals: rollup` adds subtotals (GROUPING SETS by ROLLUP) and `cube` every combination; ' +
      'drill down by adding a dimension or a finer time level, up by removing one. Money is in the reporting ' +
      'currency; `dataAsOf` says how fresh the data is. An unknown cube, measure or dimension answers 400 naming it; ' +
      'one made of a field your role hides (e.g. `accounts.industry` behind the `industry` dimension) answers 403 naming it.',
    operationId: 'query_cube_analytics',
  })
  @ApiOkResponse({ type: CubeResultDto })
  @ApiProblems(400, 401, 403, 422)
  query(@Ctx() ctx: RequestContext, @Body() body: CubeQueryDto) {
    return this.cubes.query(ctx, body);
  }

  @Post('cubes/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh every cube now (admins)',
    description:
      'Runs what the `cubes.refreshSchedule` job runs: each materialized view refreshed concurrently, readers never blocked.',
    operationId: 'refresh_cubes_analytics',
  })
  @ApiOkResponse({ type: CubeRefreshDto })
  @ApiProblems(401, 403)
  refresh(@Ctx() ctx: RequestContext) {
    this.permissions.requireAdmin(ctx.user);
    return this.refresher.refresh(ctx);
  }
}
