import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '#platform/config/env.js';

/** What a browser client sends beyond the CORS-safelisted headers. */
const ALLOWED_HEADERS = [
  'Accept-Language',
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-API-Key',
  'X-Request-Id',
];

/** Response headers a browser script may read (the safelisted ones need no mention). */
const EXPOSED_HEADERS = [
  'ETag',
  'Idempotent-Replayed',
  'Location',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'X-Request-Id',
];

/**
 * The CORS options for CRM_CORS_ORIGINS. A listed origin is echoed back with credentials
 * allowed; any other origin gets no CORS headers at all (and its preflight a 404), so the
 * browser keeps the response from it. `*` answers every origin, without credentials, as
 * the Fetch standard requires.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const shared: FastifyCorsOptions = {
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    // A bare OPTIONS from an allowed origin is answered 204 too rather than a plain-text 400.
    strictPreflight: false,
  };
  if (origins.includes('*')) return { ...shared, origin: '*', credentials: false };
  const allowed = new Set(origins);
  return {
    ...shared,
    credentials: true,
    origin: (origin, done) =>
      done(null, origin !== undefined && allowed.has(origin) ? origin : false),
  };
}

/** Registers CORS when CRM_CORS_ORIGINS lists origins; without it no CORS header is sent. */
export async function registerApiCors(app: NestFastifyApplication, env: Env): Promise<void> {
  if (env.corsOrigins.length === 0) return;
  await app.register(fastifyCors, corsOptions(env.corsOrigins));
}
