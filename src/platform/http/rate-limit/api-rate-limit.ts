import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import type { Env } from '#platform/config/env.js';
import type { Principal } from '#platform/context/principal.js';
import { AppError } from '#platform/http/app-error.js';
import { syncHook } from '#platform/http/sync-hook.js';
import { FixedWindowCounter, type QuotaState } from './fixed-window-counter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The quota this request was counted against, once it has been. */
    rateLimitQuota: QuotaState | null;
  }
}

/** The one policy's name in the RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10). */
const POLICY = '"default"';

/** The API is metered; health, metrics, docs and CORS preflights are not. */
function isMetered(req: FastifyRequest): boolean {
  return req.method !== 'OPTIONS' && req.url.startsWith('/api/');
}

function hasCredentials(req: FastifyRequest): boolean {
  return req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined;
}

function addressKey(req: FastifyRequest): string {
  return `ip:${req.ip}`;
}

function callerKey(principal: Principal): string {
  return principal.apiKeyId ? `api-key:${principal.apiKeyId}` : `user:${principal.userId}`;
}

function refusal(quota: QuotaState): AppError {
  const retryAfter = quota.resetSeconds;
  return new AppError(
    'rate_limited',
    { retryAfter },
    undefined,
    { retryAfter },
    { 'retry-after': String(retryAfter) },
  );
}

/**
 * The API's request quota: per user or API key once authenticated, per client address for
 * requests without credentials (login, refresh) and for requests answered before they reach
 * a handler (bad credentials, unknown routes). Every metered response carries the RateLimit
 * and RateLimit-Policy fields; a request past the quota answers 429 with Retry-After.
 * Counts live in this process's memory, so behind a load balancer each process has its own.
 */
export class ApiRateLimit {
  private readonly counter: FixedWindowCounter;
  private readonly policyField: string;

  constructor(limit: number, windowSeconds: number, now?: () => number) {
    this.counter = new FixedWindowCounter(limit, windowSeconds, now);
    this.policyField = `${POLICY};q=${limit};w=${windowSeconds}`;
  }

  /** Before routing: a request without credentials is counted against its address. */
  onRequest(req: FastifyRequest): void {
    if (!isMetered(req)) return;
    if (!hasCredentials(req)) return this.charge(req, addressKey(req));
    // An address that spent its quota on requests without valid credentials stays refused,
    // whatever it sends, until its window ends: guessing keys or tokens buys nothing.
    const address = this.counter.peek(addressKey(req));
    if (!address.allowed) {
      req.rateLimitQuota = address;
      throw refusal(address);
    }
  }

  /** After authentication, before the handler: the caller's own quota. */
  onAuthenticated(req: FastifyRequest & { user?: Principal }): void {
    if (!isMetered(req) || req.rateLimitQuota) return;
    this.charge(req, req.user ? callerKey(req.user) : addressKey(req));
  }

  /** On every metered response; one answered before any count is charged to its address. */
  onSend(req: FastifyRequest, reply: FastifyReply): void {
    if (!isMetered(req)) return;
    const quota = req.rateLimitQuota ?? this.counter.take(addressKey(req));
    void reply.header('ratelimit-policy', this.policyField);
    void reply.header('ratelimit', `${POLICY};r=${quota.remaining};t=${quota.resetSeconds}`);
  }

  private charge(req: FastifyRequest, key: string): void {
    const quota = this.counter.take(key);
    req.rateLimitQuota = quota;
    if (!quota.allowed) throw refusal(quota);
  }
}

/**
 * Runs after the authentication guard, so the caller is known; before the pipes, so bad input
 * counts too. A guard rather than an interceptor: a route with no interceptor at all is
 * answered without the Observable chain NestJS builds around interceptors, which costs a
 * read more than the read itself.
 */
class RateLimitGuard implements CanActivate {
  constructor(private readonly rateLimit: ApiRateLimit) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http')
      this.rateLimit.onAuthenticated(context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}

/** Installs the API quota (CRM_RATE_LIMIT_REQUESTS per CRM_RATE_LIMIT_WINDOW_SECONDS; 0: none). */
export function registerApiRateLimit(app: NestFastifyApplication, env: Env): void {
  if (env.rateLimitRequests === 0) return;
  const rateLimit = new ApiRateLimit(env.rateLimitRequests, env.rateLimitWindowSeconds);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('rateLimitQuota', null);
  fastify.addHook(
    'onRequest',
    syncHook((req) => rateLimit.onRequest(req)),
  );
  const onSend: onSendHookHandler = (req, reply, payload, done) => {
    rateLimit.onSend(req, reply);
    done(null, payload);
  };
  fastify.addHook('onSend', onSend);
  // Global guards run in the order they were added: the authentication guard (APP_GUARD) was
  // added when the application was created, before this one.
  app.useGlobalGuards(new RateLimitGuard(rateLimit));
}
