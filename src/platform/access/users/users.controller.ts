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
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiProblems } from '#platform/http/api-docs.decorators.js';
import { parseLimitParam, UuidParamPipe } from '#platform/http/params.js';
import { adminTableController } from '#platform/records/admin-table-controller.factory.js';
import { LoginHistoryDto } from '#platform/auth/dto/auth.dto.js';
import { CreateUserDto, UpdateUserDto, UserDto, UserListDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

export const UsersController = adminTableController({
  path: 'users',
  tag: 'Access',
  name: 'User',
  service: UsersService,
  createDto: CreateUserDto,
  updateDto: UpdateUserDto,
  responseDto: UserDto,
  listDto: UserListDto,
  listQuery: {
    filter: 'filter[active][eq]=true&filter[roleId][eq]=0192f000-0000-7000-8000-000000000003',
    sort: 'email',
    fields: 'id,email,active',
    q: { example: 'wijaya' },
  },
  docs: {
    list: {
      summary: 'List users (admins)',
      description:
        'Filter with `filter[field][op]=value` on email, firstName, lastName, roleId, teamIds (contains), active, locale, lastLoginAt, createdAt; ' +
        'sort with `sort=-createdAt,email`; page with `limit` and `cursor`; search with `q`; project with `fields=`.',
    },
    create: {
      summary: 'Create a user (admins)',
      description: 'The email must be unused (case-insensitive). The password is never returned.',
      idempotencyKey: 'Retries with the same key and body return the first response',
    },
    get: { summary: 'Read a user (admins)' },
    update: {
      summary: 'Update a user (admins, partial)',
      description:
        '`teamIds` replaces the memberships. A new `password` or `active: false` ends the user’s sessions. ' +
        'Admins cannot deactivate themselves or take away their own administration.',
    },
    remove: {
      summary: 'Delete a user (admins; soft, deactivates and revokes sessions and API keys)',
      problems: [400, 401, 403, 404, 409, 412],
    },
    restore: { summary: 'Restore a deleted user (admins); it stays inactive until activated' },
    history: { summary: 'Change history of a user, newest first (admins)' },
  },
});

@ApiTags('Access')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/users')
export class UserActionsController {
  constructor(private readonly users: UsersService) {}

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
}
