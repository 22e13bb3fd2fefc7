import type { EntityManager } from 'typeorm';
import { AppError } from '#platform/http/app-error.js';
import type { Locale } from '#platform/http/locale.js';
import type { Principal } from './principal.js';

/**
 * Travels as the first argument of every service and repository method: who is calling, in
 * which language, and — inside a transaction — the EntityManager that every statement of
 * that unit of work must use.
 */
export class RequestContext {
  constructor(
    readonly requestId: string,
    readonly locale: Locale,
    readonly principal: Principal | null,
    readonly ip: string,
    readonly userAgent: string | null = null,
    readonly manager: EntityManager | null = null,
  ) {}

  static system(locale: Locale = 'en'): RequestContext {
    return new RequestContext('system', locale, null, '127.0.0.1');
  }

  withManager(manager: EntityManager): RequestContext {
    return new RequestContext(
      this.requestId,
      this.locale,
      this.principal,
      this.ip,
      this.userAgent,
      manager,
    );
  }

  withPrincipal(principal: Principal): RequestContext {
    return new RequestContext(
      this.requestId,
      this.locale,
      principal,
      this.ip,
      this.userAgent,
      this.manager,
    );
  }

  get user(): Principal {
    if (!this.principal) throw new AppError('unauthorized');
    return this.principal;
  }
}
