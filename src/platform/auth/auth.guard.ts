import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Principal } from '#platform/context/principal.js';
import { AppError } from '#platform/http/app-error.js';
import { API_KEY_SCOPES_METADATA } from './api-key-scopes.js';
import { AUDIENCE_METADATA, AudienceRegistry, type RequestWithAudience } from './audiences.js';
import { TokenService } from './token.service.js';

const PUBLIC = 'relasi:public';

/** Marks a route that needs no credentials (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC, true);

const unauthorized = () =>
  new AppError('unauthorized', {}, undefined, {}, { 'www-authenticate': 'Bearer' });

/**
 * Global guard: every route needs a valid access token or API key unless marked @Public().
 * A route of an @Audience() takes only that audience's tokens, resolved by the resolver its
 * module registered; every other route refuses them (their `typ` is not `access`).
 */
@Injectable()
export class ApiAuthGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly audiences: AudienceRegistry,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, targets);
    if (isPublic) return true;
    const audience = this.reflector.getAllAndOverride<string | undefined>(
      AUDIENCE_METADATA,
      targets,
    );
    if (audience !== undefined) return this.admitAudience(context, audience);
    const ok = (await super.canActivate(context)) as boolean;
    // A key limited to scopes reaches only the routes that accept one of them.
    const scopes = context.switchToHttp().getRequest<{ user?: Principal }>().user?.apiKeyScopes;
    if (scopes?.length) {
      const accepted =
        this.reflector.getAllAndOverride<string[]>(API_KEY_SCOPES_METADATA, targets) ?? [];
      if (!accepted.some((s) => scopes.includes(s)))
        throw new AppError('api_key_scope_forbidden', { scopes: scopes.join(', ') });
    }
    return ok;
  }

  private async admitAudience(context: ExecutionContext, audience: string): Promise<boolean> {
    const req = context
      .switchToHttp()
      .getRequest<
        RequestWithAudience & { headers: Record<string, string | string[] | undefined> }
      >();
    const auth = req.headers.authorization;
    const bearer =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    // An API key belongs to a staff user: it never speaks for an audience.
    if (!bearer || req.headers['x-api-key'] !== undefined) throw unauthorized();
    const claims = await this.tokens.verifyForAudience(bearer, audience);
    const resolver = this.audiences.get(audience);
    if (!claims || !resolver) throw unauthorized();
    const principal = await resolver.resolve(claims.sub, claims.sid);
    if (principal === null) throw unauthorized();
    req.audienceCaller = { audience, subjectId: claims.sub, sessionId: claims.sid, principal };
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof Error) throw err;
    if (err) throw new AppError('unauthorized');
    if (!user) throw unauthorized();
    return user;
  }
}
