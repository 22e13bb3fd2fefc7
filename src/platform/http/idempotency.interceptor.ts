import {
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  Inject,
  Injectable,
  type NestInterceptor,
  RequestMethod,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { sha256 } from '#platform/auth/secrets.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import type { Principal } from '#platform/context/principal.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from './app-error.js';

const REPLAYED_HEADERS = ['location', 'etag'];
const SECRET_FIELDS = 'relasi:secret-fields';

/**
 * Marks response fields that are shown once (API keys, signing secrets). The copy kept for
 * Idempotency-Key replays leaves them out, so no secret rests in plaintext in the database;
 * a replay says so instead of repeating it.
 */
export const SecretFields = (...fields: string[]) => SetMetadata(SECRET_FIELDS, fields);

function redact(body: unknown, fields: readonly string[]): unknown {
  if (!fields.length || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const f of fields) if (f in copy) copy[f] = '(shown once; not repeated on replay)';
  return copy;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key` on any authenticated POST (applyIdempotencyToPostRoutes puts it there): the first response is stored per caller and
 * key; a retry with the same body gets that response again (with `Idempotent-Replayed:
 * true`), a retry with another body gets 422, and a retry while the first is still running
 * gets 409. A failed first attempt frees the key so the client can try again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const key = req.headers['idempotency-key'];
    if (key === undefined || !req.user) return next.handle();
    // An upload is read by its handler as it streams; the handler hashes the file and keeps
    // the key itself (CSV imports).
    if (/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return next.handle();
    return from(
      this.run(
        req,
        context.switchToHttp().getResponse<FastifyReply>(),
        String(key),
        next,
        this.reflector.get<string[] | undefined>(SECRET_FIELDS, context.getHandler()) ?? [],
      ),
    );
  }

  private async run(
    req: FastifyRequest & { user?: Principal },
    reply: FastifyReply,
    key: string,
    next: CallHandler,
    secretFields: readonly string[],
  ): Promise<unknown> {
    if (key.length === 0 || key.length > 255) {
      throw AppError.field('Idempotency-Key', 'maxLength', 'must be 1 to 255 characters', {
        max: 255,
      });
    }
    const ctx = RequestContext.system();
    const principalId = req.user!.userId;
    const path = req.url.split('?')[0];
    const hash = sha256(`${req.method} ${req.url}\n${canonical(req.body)}`);
    const ttl = this.env.idempotencyTtlHours;
    await this.db.query(
      ctx,
      `DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
      [principalId, key, ttl],
    );
    const claimed = await this.db.query(
      ctx,
      `INSERT INTO idempotency_keys (principal_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING key`,
      [principalId, key, req.method, path, hash],
    );
    if (claimed.length === 0) {
      const prior = await this.db.one<{
        request_hash: string;
        status: number | null;
        response: unknown;
        response_headers: Record<string, string> | null;
      }>(
        ctx,
        `SELECT request_hash, status, response, response_headers FROM idempotency_keys WHERE principal_id = $1 AND key = $2`,
        [principalId, key],
      );
      if (!prior) throw new AppError('idempotency_in_progress');
      if (prior.request_hash !== hash) throw new AppError('idempotency_mismatch');
      if (prior.status === null) throw new AppError('idempotency_in_progress');
      void reply
        .status(prior.status)
        .headers({ ...(prior.response_headers ?? {}), 'idempotent-replayed': 'true' });
      return prior.response;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const headers: Record<string, string> = {};
      for (const h of REPLAYED_HEADERS) {
        const v = reply.getHeader(h);
        if (typeof v === 'string') headers[h] = v;
      }
      await this.db.query(
        ctx,
        `UPDATE idempotency_keys SET status = $3, response = $4, response_headers = $5, completed_at = now() WHERE principal_id = $1 AND key = $2`,
        [
          principalId,
          key,
          reply.statusCode,
          JSON.stringify(redact(body, secretFields) ?? null),
          JSON.stringify(headers),
        ],
      );
      return body;
    } catch (err) {
      await this.db
        .query(ctx, `DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2`, [
          principalId,
          key,
        ])
        .catch(() => undefined);
      throw err;
    }
  }
}

/**
 * Puts the interceptor on every POST route, and there only: a route without any interceptor
 * is answered without the Observable chain NestJS builds around interceptors, which costs a
 * read more than the read itself, and Idempotency-Key means nothing to the other methods.
 * Called before the routes are built (app.init()).
 */
export function applyIdempotencyToPostRoutes(app: INestApplication): void {
  const interceptor = app.get(IdempotencyInterceptor);
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as Type | null)?.prototype as
        Record<string, unknown> | undefined;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        const own = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        if (!own.includes(interceptor))
          Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...own], handler);
      }
    }
  }
}
