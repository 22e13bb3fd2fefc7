import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../http/app-error.js';

const PUBLIC = 'relasi:public';

/** Marks a route that needs no credentials (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Global guard: every route needs a valid access token or API key unless marked @Public(). */
@Injectable()
export class ApiAuthGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof Error) throw err;
    if (err) throw new AppError('unauthorized');
    if (!user)
      throw new AppError('unauthorized', {}, undefined, {}, { 'www-authenticate': 'Bearer' });
    return user;
  }
}
