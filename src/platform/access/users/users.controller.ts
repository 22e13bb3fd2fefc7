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
  CreateUserDto,
  LoginHistoryDto,
  UpdateUserDto,
  UserDto,
  UserListDto,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

@ApiTags('Access')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List users (admins)',
    operationId: 'listUsers',
    description:
      'Filter with `filter[field][op]=value` on email, firstName, lastName, roleId, teamIds (contains), active, locale, lastLoginAt, createdAt; ' +
      'sort with `sort=-createdAt,email`; page with `limit` and `cursor`; search with `q`; project with `fields=`.',
  })
  @ApiListQuery({
    filter: 'filter[active][eq]=true&filter[roleId][eq]=0192f000-0000-7000-8000-000000000003',
    sort: 'email',
    fields: 'id,email,active',
    q: { example: 'wijaya' },
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.users.list(
      ctx,
      parseListQuery(query, {
        defaultLimit: this.config.api.defaultPageSize,
        maxLimit: this.config.api.maxPageSize,
      }),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user (admins)',
    operationId: 'createUser',
    description: 'The email must be unused (case-insensitive). The password is never returned.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key and body return the first response',
  })
  @ApiCreatedResponse({
    type: UserDto,
    headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ApiProblems(400, 401, 403, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateUserDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserDto> {
    const user = await this.users.create(ctx, body);
    void reply.header('location', `/api/v1/users/${user.id}`).header('etag', etagOf(user.version));
    return user;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a user (admins)', operationId: 'getUser' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserDto> {
    const user = await this.users.get(ctx, id);
    void reply.header('etag', etagOf(user.version));
    return user;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a user (admins, partial)',
    operationId: 'updateUser',
    description:
      '`teamIds` replaces the memberships. A new `password` or `active: false` ends the user’s sessions. ' +
      'Admins cannot deactivate themselves or take away their own administration.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: UserDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserDto> {
    const user = await this.users.update(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(user.version));
    return user;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user (admins; soft, deactivates and revokes sessions and API keys)',
    operationId: 'deleteUser',
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
    return this.users.remove(ctx, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Restore a deleted user (admins); it stays inactive until activated',
    operationId: 'restoreUser',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserDto> {
    const user = await this.users.restore(ctx, id);
    void reply.header('etag', etagOf(user.version));
    return user;
  }

  @Get(':id/login-history')
  @ApiOperation({
    summary: "A user's recent logins and failed attempts, newest first (admins)",
    operationId: 'userLoginHistory',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiOkResponse({ type: LoginHistoryDto })
  @ApiProblems(400, 401, 403, 404)
  async loginHistory(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
  ): Promise<LoginHistoryDto> {
    return { data: await this.users.loginHistory(ctx, id, parseLimitParam(limit)) };
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Change history of a user, newest first (admins)',
    operationId: 'userHistory',
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
    const page = await this.users.historyOf(ctx, id, n, cursor ?? null);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
  }
}
