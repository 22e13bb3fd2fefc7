import { Body, Controller, HttpCode, Inject, Post, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiModuleProblem, ApiProblems } from '#platform/http/api-docs.decorators.js';
import { Audience, AudienceUser, type AudienceCaller } from './audiences.js';
import { Public } from './auth.guard.js';
import { AcceptInvitationDto, LoginDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';

/** How an audience's users set their password and log in. */
export interface AudienceAccess {
  accept(ctx: RequestContext, token: string, password: string): Promise<TokenPairDto>;
  login(ctx: RequestContext, email: string, password: string): Promise<TokenPairDto>;
}

/** An audience's sessions (see AudienceSessionStore). */
export interface AudienceSessions {
  refresh(ctx: RequestContext, refreshToken: string): Promise<TokenPairDto>;
  logout(ctx: RequestContext, userId: string, refreshToken: string): Promise<void>;
}

export interface AudienceAuthSpec<P> {
  /** The audience, and the word of its paths and operation ids: `partner` → /api/v1/partner/auth, partnerLogin. */
  audience: string;
  tag: string;
  /** "the customer portal": what the login operation logs in to. */
  service: string;
  loginDescription?: string;
  access: Type<AudienceAccess>;
  sessions: Type<AudienceSessions>;
  userIdOf(principal: P): string;
}

const capitalized = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The accept-invitation, login, refresh and logout endpoints of an audience other than staff
 * (customers on the portal, partner users), the same for each: their tokens reach only their
 * audience's own endpoints.
 */
export function audienceAuthController<P>(spec: AudienceAuthSpec<P>): Type<unknown> {
  const name = spec.audience;
  const Name = capitalized(name);

  @ApiTags(spec.tag)
  @Controller(`api/v1/${name}/auth`)
  class AudienceAuthController {
    constructor(
      @Inject(spec.access) private readonly access: AudienceAccess,
      @Inject(spec.sessions) private readonly sessions: AudienceSessions,
    ) {}

    @Public()
    @Post('accept-invitation')
    @HttpCode(200)
    @ApiOperation({
      summary: `Set the password with a ${name} invitation and log in`,
      description: `An unknown link answers 404 \`${name}_invitation_invalid\`; a used or expired one 410.`,
      operationId: `accept${Name}Invitation`,
    })
    @ApiOkResponse({ type: TokenPairDto })
    @ApiProblems(400, 404)
    @ApiModuleProblem(410, {
      code: `${name}_invitation_expired`,
      title: 'Invitation expired',
      detail: 'The invitation expired at 2026-12-01T00:00:00.000Z; ask for a new one.',
    })
    accept(@Ctx() ctx: RequestContext, @Body() body: AcceptInvitationDto): Promise<TokenPairDto> {
      return this.access.accept(ctx, body.token, body.password);
    }

    @Public()
    @Post('login')
    @HttpCode(200)
    @ApiOperation({
      summary: `Log in to ${spec.service}`,
      description: spec.loginDescription,
      operationId: `${name}Login`,
    })
    @ApiOkResponse({ type: TokenPairDto })
    @ApiProblems(400, 401, 429)
    login(@Ctx() ctx: RequestContext, @Body() body: LoginDto): Promise<TokenPairDto> {
      return this.access.login(ctx, body.email, body.password);
    }

    @Public()
    @Post('refresh')
    @HttpCode(200)
    @ApiOperation({
      summary: `Rotate a ${name} refresh token for a new token pair`,
      operationId: `${name}Refresh`,
    })
    @ApiOkResponse({ type: TokenPairDto })
    @ApiProblems(400, 401)
    refresh(@Ctx() ctx: RequestContext, @Body() body: RefreshDto): Promise<TokenPairDto> {
      return this.sessions.refresh(ctx, body.refreshToken);
    }

    @Audience(name)
    @Post('logout')
    @HttpCode(204)
    @ApiBearerAuth('audienceBearer')
    @ApiOperation({ summary: `End a ${name} session`, operationId: `${name}Logout` })
    @ApiNoContentResponse()
    @ApiProblems(400, 401)
    logout(
      @Ctx() ctx: RequestContext,
      @AudienceUser() caller: AudienceCaller<P>,
      @Body() body: RefreshDto,
    ): Promise<void> {
      return this.sessions.logout(ctx, spec.userIdOf(caller.principal), body.refreshToken);
    }
  }
  Object.defineProperty(AudienceAuthController, 'name', { value: `${Name}AuthController` });
  return AudienceAuthController;
}
