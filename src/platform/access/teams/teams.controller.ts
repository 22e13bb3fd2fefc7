import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiProblems, ETAG_HEADER } from '#platform/http/api-docs.decorators.js';
import { withEtag } from '#platform/http/etag.js';
import { UuidParamPipe } from '#platform/http/params.js';
import { adminTableController } from '#platform/records/admin-table-controller.factory.js';
import {
  AddTeamMemberDto,
  CreateTeamDto,
  TeamDto,
  TeamListDto,
  UpdateTeamDto,
} from './dto/team.dto.js';
import { TeamsService } from './teams.service.js';

export const TeamsController = adminTableController({
  path: 'teams',
  tag: 'Access',
  name: 'Team',
  service: TeamsService,
  createDto: CreateTeamDto,
  updateDto: UpdateTeamDto,
  responseDto: TeamDto,
  listDto: TeamListDto,
  listQuery: { filter: 'filter[name][startsWith]=Jakarta', sort: 'name', fields: 'id,name' },
  docs: {
    list: {
      summary: 'List teams (admins)',
      description:
        'Filter on name, description, memberIds (contains), createdAt; sort by name, createdAt, updatedAt; page with `limit` and `cursor`.',
    },
    create: { summary: 'Create a team (admins)' },
    get: { summary: 'Read a team with its members (admins)' },
    update: { summary: 'Update a team (admins, partial)' },
    remove: { summary: 'Delete a team (admins; soft — it no longer counts for record scope)' },
    restore: { summary: 'Restore a deleted team (admins)' },
    history: { summary: 'Change history of a team, newest first (admins)' },
  },
});

@ApiTags('Access')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/teams')
export class TeamMembersController {
  constructor(private readonly teams: TeamsService) {}

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
    return withEtag(reply, await this.teams.addMember(ctx, id, body.userId.toLowerCase()));
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
}
