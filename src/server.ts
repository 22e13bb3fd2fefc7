import 'reflect-metadata';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { setDefaultLocale } from '#platform/context/ctx.decorator.js';
import { Readiness } from '#platform/health/readiness.js';
import { AppError } from '#platform/http/app-error.js';
import { registerApiCors } from '#platform/http/cors/api-cors.js';
import { buildOpenApiDocument } from '#platform/http/openapi.js';
import { applyIdempotencyToPostRoutes } from '#platform/http/idempotency.interceptor.js';
import { registerApiRateLimit } from '#platform/http/rate-limit/api-rate-limit.js';
import { requestIdOf } from '#platform/http/request-id.js';
import { syncHook } from '#platform/http/sync-hook.js';
import { assertSafeJsonBody, assertSafeRequestText } from '#platform/http/request-input-guard.js';
import {
  assertUrlLength,
  MAX_HEADER_BYTES,
  MAX_PARAM_LENGTH,
  problemClientErrorHandler,
  problemFrameworkErrors,
} from '#platform/http/transport-errors.js';
import { NestPinoLogger } from '#platform/observability/logger.js';
import { httpDuration, httpErrors } from '#platform/observability/metrics.js';

// DATE columns stay 'YYYY-MM-DD' strings: turning them into JS Dates would shift them by the
// server's time zone.
pg.types.setTypeParser(1082, (v: string) => v);

export const VERSION = '0.1.0';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const MULTIPART_TYPE = /^multipart\/form-data\s*(;|$)/i;
/**
 * Media types that routes with `config.rawBody` take as the bytes sent (a mail relay posts
 * message/rfc822); the handler gets a Buffer. Other routes refuse them like any non-JSON body.
 */
const RAW_TYPES = ['message/rfc822'];
const RAW_TYPE = /^message\/rfc822\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export interface ServerOptions {
  env: Env;
  config: CrmConfig;
  databaseUrl: string;
  logger: Logger;
  connect?: boolean;
}

/** Builds the HTTP application; main.ts, the tests and the OpenAPI script all start here. */
export async function createServer(options: ServerOptions): Promise<NestFastifyApplication> {
  const { env, config, logger } = options;
  setDefaultLocale(config.organization.defaultLocale);
  const locale = config.organization.defaultLocale;
  const adapter = new FastifyAdapter({
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler: problemClientErrorHandler(locale, env.bodyLimitBytes),
    frameworkErrors: problemFrameworkErrors(locale, env.bodyLimitBytes),
    loggerInstance: logger,
    bodyLimit: env.bodyLimitBytes,
    trustProxy: env.trustProxy,
    genReqId: requestIdOf,
    // Requests are logged once, on completion, by the onResponse hook below.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      env,
      config,
      databaseUrl: options.databaseUrl,
      connect: options.connect ?? true,
    }),
    adapter,
    {
      logger: new NestPinoLogger(logger),
      bufferLogs: false,
      // Kept as `req.rawBody` next to the parsed body, for routes that check a signature over
      // the exact bytes sent (provider callbacks).
      rawBody: true,
    },
  );
  // Uploads (CSV imports) stream through it; only routes with `config.multipart` accept them.
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: env.importMaxBytes,
      files: 2,
      fields: 10,
      parts: 20,
      fieldSize: 1_048_576,
    },
  });
  await registerApiCors(app, env);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  const readiness = app.get(Readiness);

  fastify.addHook(
    'onRequest',
    syncHook((req: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', req.id);
      assertUrlLength(req.url);
      if (!readiness.isReady && req.url.startsWith('/api/')) {
        // Starting or stopping: a kept-alive client should reconnect — behind a load balancer,
        // to another process — rather than keep sending here.
        void reply.header('connection', 'close');
        throw new AppError('service_unavailable');
      }
      const type = req.headers['content-type'] ?? '';
      const route = req.routeOptions.config as {
        multipart?: boolean;
        rawBody?: boolean;
        formBody?: boolean;
      };
      const multipart = route.multipart === true;
      if (
        BODY_METHODS.has(req.method) &&
        hasBody(req) &&
        !JSON_TYPE.test(type) &&
        !(multipart && MULTIPART_TYPE.test(type)) &&
        !(route.rawBody === true && RAW_TYPE.test(type)) &&
        // Forms reach only routes with `config.formBody` (one-click unsubscribe from mail clients).
        !(route.formBody === true && FORM_TYPE.test(type))
      ) {
        throw new AppError(multipart ? 'multipart_required' : 'unsupported_media_type');
      }
    }),
  );
  // Before any DTO transformation or SQL: class-transformer recurses per nesting level, and
  // PostgreSQL rejects NUL and unpaired surrogates only after the work is done.
  fastify.addHook(
    'preValidation',
    syncHook((req: FastifyRequest) => {
      assertSafeRequestText(
        req.query as Record<string, unknown> | undefined,
        req.params as Record<string, unknown> | undefined,
      );
      if (req.body !== undefined && JSON_TYPE.test(req.headers['content-type'] ?? ''))
        assertSafeJsonBody(req.body);
    }),
  );
  fastify.addHook(
    'onResponse',
    syncHook((req: FastifyRequest, reply: FastifyReply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const seconds = reply.elapsedTime / 1000;
      httpDuration.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        seconds,
      );
      if (reply.statusCode >= 500) httpErrors.inc({ route, status: String(reply.statusCode) });
      req.log.info(
        {
          method: req.method,
          url: req.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }),
  );
  registerApiRateLimit(app, env);
  applyIdempotencyToPostRoutes(app);
  // Initialised first: the document describes the custom fields the config declares, which
  // are known once every module has registered its records.
  await app.init();
  // Built on first request, not at start: building it costs a few seconds of CPU that a
  // process which never serves it (one of several behind a gateway) should not spend before
  // it is ready.
  let document: OpenAPIObject | undefined;
  const openApi = () => (document ??= buildOpenApiDocument(app, VERSION));
  SwaggerModule.setup('docs', app, openApi, {
    jsonDocumentUrl: 'openapi-ui.json',
    swaggerOptions: { persistAuthorization: true },
  });
  fastify.get('/openapi.json', async (_req, reply) =>
    reply.type('application/json').send(openApi()),
  );
  return app;
}
