import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Principal } from '#platform/context/principal.js';
import { AppError } from '#platform/http/app-error.js';
import { API_KEY_SCOPES_METADATA } from './api-key-scopes.js';

const PUBLIC = 'relasi:public';

/** Marks a route that needs no credentials (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Global guard: every route needs a valid access token or API key unless marked @Public(). */
@Injectable()
export class ApiAuthGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, targets);
    if (isPublic) return true;
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

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof Error) throw err;
    if (err) throw new AppError('unauthorized');
    if (!user)
      throw new AppError('unauthorized', {}, undefined, {}, { 'www-authenticate': 'Bearer' });
    return user;
  }
}
