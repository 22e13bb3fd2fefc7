import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { negotiateLocale, type Locale } from '#platform/http/locale.js';
import type { Principal } from './principal.js';
import { RequestContext } from './request-context.js';

let defaultLocale: Locale = 'en';

/** Set once at start from crm.config.yaml. */
export function setDefaultLocale(locale: Locale): void {
  defaultLocale = locale;
}

export function contextOf(req: FastifyRequest & { user?: Principal }): RequestContext {
  return new RequestContext(
    String(req.id),
    negotiateLocale(req.headers['accept-language'], defaultLocale),
    req.user ?? null,
    req.ip,
    req.headers['user-agent'] ?? null,
  );
}

/** The request context of the current call: `@Ctx() ctx: RequestContext`. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext) =>
  contextOf(context.switchToHttp().getRequest()),
);
