import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
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
import { CRM_CONFIG } from '../../config/config.tokens.js';
import type { CrmConfig } from '../../config/crm-config.js';
import { Ctx } from '../../context/ctx.decorator.js';
import type { RequestContext } from '../../context/request-context.js';
import { ApiListQuery, ApiProblems } from '../../http/api-docs.decorators.js';
import { etagOf } from '../../http/etag.js';
import { parseLimitParam, UuidParamPipe } from '../../http/params.js';
import { parseListQuery } from '../../query/list-request.js';
import { HistoryPageDto } from '../../records/dto/list.dto.js';
import {
  AddTeamMemberDto,
  CreateTeamDto,
  TeamDto,
  TeamListDto,
  UpdateTeamDto,
} from './dto/team.dto.js';
import { TeamsService } from './teams.service.js';

const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

@ApiTags('Access')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/teams')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List teams (admins)',
    operationId: 'listTeams',
    description:
      'Filter on name, description, memberIds (contains), createdAt; sort by name, createdAt, updatedAt; page with `limit` and `cursor`.',
  })
  @ApiListQuery({ filter: 'filter[name][startsWith]=Jakarta', sort: 'name', fields: 'id,name' })
  @ApiOkResponse({ type: TeamListDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.teams.list(
      ctx,
      parseListQuery(query, {
        defaultLimit: this.config.api.defaultPageSize,
        maxLimit: this.config.api.maxPageSize,
      }),
    );
  }

  @Post()
  @ApiOperation({ summary: 'Create a team (admins)', operationId: 'createTeam' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    type: TeamDto,
    headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ApiProblems(400, 401, 403, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateTeamDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TeamDto> {
    const team = await this.teams.create(ctx, body);
    void reply.header('location', `/api/v1/teams/${team.id}`).header('etag', etagOf(team.version));
    return team;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a team with its members (admins)', operationId: 'getTeam' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TeamDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TeamDto> {
    const team = await this.teams.get(ctx, id);
    void reply.header('etag', etagOf(team.version));
    return team;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a team (admins, partial)', operationId: 'updateTeam' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: TeamDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateTeamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TeamDto> {
    const team = await this.teams.update(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(team.version));
    return team;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a team (admins; soft — it no longer counts for record scope)',
    operationId: 'deleteTeam',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.teams.remove(ctx, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted team (admins)', operationId: 'restoreTeam' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TeamDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TeamDto> {
    const team = await this.teams.restore(ctx, id);
    void reply.header('etag', etagOf(team.version));
    return team;
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add a user to the team (admins); adding a member again changes nothing',
    operationId: 'addTeamMember',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: TeamDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async addMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AddTeamMemberDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TeamDto> {
    const team = await this.teams.addMember(ctx, id, body.userId.toLowerCase());
    void reply.header('etag', etagOf(team.version));
    return team;
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a user from the team (admins)',
    operationId: 'removeTeamMember',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  removeMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<void> {
    return this.teams.removeMember(ctx, id, userId);
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Change history of a team, newest first (admins)',
    operationId: 'teamHistory',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiProblems(400, 401, 403, 404)
  async history(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<HistoryPageDto> {
    const n = parseLimitParam(limit);
    const page = await this.teams.historyOf(ctx, id, n, cursor ?? null);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
  }
}
