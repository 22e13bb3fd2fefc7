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
import { CreateRoleDto, RoleDto, RoleListDto, UpdateRoleDto } from './dto/role.dto.js';
import { RolesService } from './roles.service.js';

const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

const PERMISSIONS_HELP =
  '`permissions.entities` keys are entities (accounts, contacts, …) with a scope none|own|team|all per action ' +
  'and `reassign`; `permissions.fields.<entity>.<attribute>` is hidden or read-only. Unknown entities, attributes ' +
  'or scopes answer 400 naming the path, e.g. `permissions.entities.foo`.';

@ApiTags('Access')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/roles')
export class RolesController {
  constructor(
    private readonly roles: RolesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List roles, built-in and custom (admins)',
    operationId: 'listRoles',
    description:
      'Filter on key, name, builtIn, admin, createdAt; sort by name, createdAt, updatedAt; page with `limit` and `cursor`.',
  })
  @ApiListQuery({
    filter: 'filter[builtIn][eq]=false',
    sort: 'name',
    fields: 'id,name,permissions',
  })
  @ApiOkResponse({ type: RoleListDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.roles.list(
      ctx,
      parseListQuery(query, {
        defaultLimit: this.config.api.defaultPageSize,
        maxLimit: this.config.api.maxPageSize,
      }),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Create a custom role (admins)',
    operationId: 'createRole',
    description: PERMISSIONS_HELP,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    type: RoleDto,
    headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ApiProblems(400, 401, 403, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateRoleDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RoleDto> {
    const role = await this.roles.create(ctx, body);
    void reply.header('location', `/api/v1/roles/${role.id}`).header('etag', etagOf(role.version));
    return role;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a role (admins)', operationId: 'getRole' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RoleDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RoleDto> {
    const role = await this.roles.get(ctx, id);
    void reply.header('etag', etagOf(role.version));
    return role;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a role (admins, partial; built-in roles too)',
    operationId: 'updateRole',
    description: `${PERMISSIONS_HELP} \`permissions\` is replaced as a whole. Admins cannot take administration away from their own role.`,
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: RoleDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateRoleDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RoleDto> {
    const role = await this.roles.update(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(role.version));
    return role;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a custom role no user holds (admins; soft)',
    operationId: 'deleteRole',
    description:
      'Built-in roles answer 409 built_in_role; a role still assigned answers 409 role_in_use.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.roles.remove(ctx, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted role (admins)', operationId: 'restoreRole' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RoleDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RoleDto> {
    const role = await this.roles.restore(ctx, id);
    void reply.header('etag', etagOf(role.version));
    return role;
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Change history of a role, newest first (admins)',
    operationId: 'roleHistory',
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
    const page = await this.roles.historyOf(ctx, id, n, cursor ?? null);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
  }
}
