import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiProblems } from '#platform/http/api-docs.decorators.js';
import { SecretFields } from '#platform/http/idempotency.interceptor.js';
import { parseLimitParam, UuidParamPipe } from '#platform/http/params.js';
import { Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import {
  ApiKeyListDto,
  ChangePasswordDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  LoginDto,
  LoginHistoryDto,
  MeDto,
  RefreshDto,
  TokenPairDto,
} from './dto/auth.dto.js';

@ApiTags('Auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with email and password', operationId: 'login' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429)
  login(@Ctx() ctx: RequestContext, @Body() body: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(ctx, body.email, body.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token for a new token pair', operationId: 'refresh' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refresh(@Ctx() ctx: RequestContext, @Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(ctx, body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Revoke a refresh token and every token rotated from it',
    operationId: 'logout',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 401)
  logout(@Ctx() ctx: RequestContext, @Body() body: RefreshDto): Promise<void> {
    return this.auth.logout(ctx, body.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'The caller, with role and teams', operationId: 'me' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401)
  me(@Ctx() ctx: RequestContext): MeDto {
    const p = ctx.user;
    return {
      userId: p.userId,
      email: p.email,
      roleId: p.roleId,
      roleName: p.roleName,
      teamIds: p.teamIds,
      permissions: p.permissions as unknown as Record<string, unknown>,
    };
  }

  @Post('change-password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Change the caller's password; ends all other sessions",
    operationId: 'changePassword',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 401)
  changePassword(@Ctx() ctx: RequestContext, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(ctx, body.currentPassword, body.newPassword);
  }

  @Get('login-history')
  @ApiBearerAuth()
  @ApiOperation({
    summary: "The caller's recent logins, newest first",
    operationId: 'myLoginHistory',
  })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiOkResponse({ type: LoginHistoryDto })
  @ApiProblems(400, 401)
  async loginHistory(
    @Ctx() ctx: RequestContext,
    @Query('limit') limit?: string,
  ): Promise<LoginHistoryDto> {
    return { data: await this.auth.loginHistory(ctx, ctx.user.userId, parseLimitParam(limit)) };
  }
}

@ApiTags('Auth')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @SecretFields('key')
  @ApiOperation({
    summary: 'Create an API key; the secret is shown once',
    operationId: 'createApiKey',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.auth.createApiKey(ctx, body.name, body.expiresAt ?? null, body.scopes ?? null);
  }

  @Get()
  @ApiOperation({
    summary: "The caller's API keys (never their secrets)",
    operationId: 'listApiKeys',
  })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(401)
  async list(@Ctx() ctx: RequestContext): Promise<ApiKeyListDto> {
    return { data: await this.auth.listApiKeys(ctx) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key', operationId: 'revokeApiKey' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 404)
  revoke(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.auth.revokeApiKey(ctx, id);
  }
}
