import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '#platform/context/principal.js';
import { AppError } from '#platform/http/app-error.js';
import { API_KEY_SCOPES_METADATA } from './api-key-scopes.js';
import { AUDIENCE_METADATA, AudienceRegistry, type RequestWithAudience } from './audiences.js';
import { AuthService } from './auth.service.js';
import { API_KEY_PREFIX } from './secrets.js';
import { TokenService } from './token.service.js';

type Headers = Record<string, string | string[] | undefined>;

const PUBLIC = 'relasi:public';

/** Marks a route that needs no credentials (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC, true);

const unauthorized = () =>
  new AppError('unauthorized', {}, undefined, {}, { 'www-authenticate': 'Bearer' });

/** The credential of `Authorization: Bearer …` (the scheme in any case), if any. */
function bearerOf(headers: Headers): string | undefined {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const m = /^(\S+)\s+(\S+)\s*$/.exec(auth);
  return m && m[1].toLowerCase() === 'bearer' ? m[2] : undefined;
}

/** What a route asks of its callers, from its decorators. */
interface RoutePolicy {
  isPublic: boolean;
  audience: string | undefined;
  /** The API key scopes it accepts. */
  scopes: readonly string[];
}

/**
 * Global guard: every route needs a valid access token or API key unless marked @Public().
 * An access token goes in `Authorization: Bearer`; an API key in `X-API-Key` or there.
 * A route of an @Audience() takes only that audience's tokens, resolved by the resolver its
 * module registered; every other route refuses them (their `typ` is not `access`).
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    private readonly audiences: AudienceRegistry,
  ) {}

  /** By controller and handler: decorators do not change once the application runs. */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  private policyOf(context: ExecutionContext): RoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.policies.get(controller);
    if (!byHandler) this.policies.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller];
      policy = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC, targets) === true,
        audience: this.reflector.getAllAndOverride<string | undefined>(AUDIENCE_METADATA, targets),
        scopes: this.reflector.getAllAndOverride<string[]>(API_KEY_SCOPES_METADATA, targets) ?? [],
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyOf(context);
    if (policy.isPublic) return true;
    const { audience } = policy;
    if (audience !== undefined) return this.admitAudience(context, audience);
    const req = context.switchToHttp().getRequest<{ headers: Headers; user?: Principal }>();
    const principal = await this.principalOf(req.headers);
    if (!principal) throw unauthorized();
    req.user = principal;
    // A key limited to scopes reaches only the routes that accept one of them.
    const scopes = principal.apiKeyScopes;
    if (scopes?.length) {
      if (!policy.scopes.some((s) => scopes.includes(s)))
        throw new AppError('api_key_scope_forbidden', { scopes: scopes.join(', ') });
    }
    return true;
  }

  /** The staff user an access token (tried first) or an API key speaks for, or null. */
  private async principalOf(headers: Headers): Promise<Principal | null> {
    const bearer = bearerOf(headers);
    if (bearer && !bearer.startsWith(API_KEY_PREFIX)) {
      const claims = await this.tokens.verifyAccess(bearer);
      const principal = claims && (await this.auth.verifyAccessToken(claims.sub, claims.sid));
      if (principal) return principal;
    }
    const header = headers['x-api-key'];
    const key =
      typeof header === 'string'
        ? header.trim()
        : bearer?.startsWith(API_KEY_PREFIX)
          ? bearer
          : undefined;
    return key ? this.auth.verifyApiKey(key) : null;
  }

  private async admitAudience(context: ExecutionContext, audience: string): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithAudience & { headers: Headers }>();
    const bearer = bearerOf(req.headers);
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
}
