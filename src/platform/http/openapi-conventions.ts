import type { OpenAPIObject } from '@nestjs/swagger';
import { MAX_PARAM_LENGTH } from '#platform/query/list-request.js';
import { problemResponse } from './api-docs.decorators.js';

/**
 * What every operation of the API shares but no single controller declares: the rate-limit and
 * CORS headers on every response, the 429 answer, and the length that a string's format implies.
 */

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Headers as draft-ietf-httpapi-ratelimit-headers and the CORS setting of the server send them. */
export const SHARED_HEADERS: Json = {
  RateLimit: {
    description:
      'Quota left in the current window (draft-ietf-httpapi-ratelimit-headers): ' +
      'r = requests remaining, t = seconds until the window resets',
    schema: { type: 'string', maxLength: 200, example: '"default";r=99;t=60' },
  },
  'RateLimit-Policy': {
    description: 'The quota that applies: q = requests allowed per window of w seconds',
    schema: { type: 'string', maxLength: 200, example: '"default";q=100;w=60' },
  },
  'Access-Control-Allow-Origin': {
    description: 'Sent when CORS is configured and the request comes from an allowed origin',
    schema: { type: 'string', maxLength: 2000, example: 'https://crm.example.com' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400, example: 30 },
  },
};

const EVERY_RESPONSE = ['RateLimit', 'RateLimit-Policy', 'Access-Control-Allow-Origin'];
/** Answers that tell the client when to come back. */
const RETRY_STATUSES = new Set(['409', '429', '503']);

const TOO_MANY_REQUESTS = {
  description: 'Too many requests',
  headers: { 'Retry-After': ref('Retry-After') },
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/ProblemDto' },
      example: {
        type: 'urn:relasi:problem:rate-limited',
        title: 'Too many requests',
        status: 429,
        detail: 'Try again in 30 seconds.',
        code: 'rate_limited',
        instance: '/api/v1/…',
        requestId: 'req-1',
      },
    },
  },
};

const BODY_STATUSES = ['413', '415'];
/**
 * Answers any operation can give before its handler decides anything: a request target past
 * the router's limits, and an API that is not ready yet or a database that did not answer.
 */
const EVERY_OPERATION_STATUSES = ['414', '503'];

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * Parameters that many operations take, stated once with the limits the server enforces:
 * the idempotency interceptor, parseLimitParam and the cursor decoders. If-Match is compared
 * with an ETag (`W/"<version>"`), so a longer value can never match.
 */
const SHARED_PARAMETERS: Record<string, Json> = {
  'header:Idempotency-Key': { type: 'string', minLength: 1, maxLength: 255 },
  'header:If-Match': { type: 'string', maxLength: 100, example: 'W/"3"' },
  'query:limit': { type: 'integer', format: 'int32', minimum: 1, maximum: 500 },
  'query:cursor': { type: 'string', maxLength: MAX_PARAM_LENGTH },
};

/** Response headers the server writes itself, with the longest value it writes. */
const RESPONSE_HEADER_LIMITS: Record<string, number> = {
  ETag: 100,
  Location: 2000,
  'Content-Disposition': 500,
};

/**
 * Adds the shared headers to every response, the 414, 429 and 503 to every operation, the
 * body parser's 413 and 415 to every operation that takes a body and 403 to every one that
 * needs credentials.
 */
export function documentSharedResponses(document: OpenAPIObject): void {
  document.components = {
    ...document.components,
    headers: SHARED_HEADERS as NonNullable<OpenAPIObject['components']>['headers'],
  };
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      if (!METHODS.has(method)) continue;
      const { responses, parameters, requestBody } = operation as {
        responses: Record<string, Json>;
        parameters?: { in: string; name: string; schema?: Json }[];
        requestBody?: Json;
      };
      for (const parameter of parameters ?? []) {
        const shared = SHARED_PARAMETERS[`${parameter.in}:${parameter.name}`];
        if (shared) parameter.schema = { ...parameter.schema, ...shared };
      }
      responses['429'] ??= structuredClone(TOO_MANY_REQUESTS);
      for (const status of EVERY_OPERATION_STATUSES) responses[status] ??= problemResponse(+status);
      // Whoever must authenticate may hold an API key whose scopes leave this operation out.
      if (responses['401']) responses['403'] ??= problemResponse(403);
      // The body parser answers these for any operation that takes a body, before its handler.
      if (requestBody)
        for (const status of BODY_STATUSES) responses[status] ??= problemResponse(+status);
      for (const [status, response] of Object.entries(responses)) {
        const headers = { ...(response.headers as Record<string, Json> | undefined) };
        for (const [name, header] of Object.entries(headers)) {
          const maxLength = RESPONSE_HEADER_LIMITS[name];
          if (maxLength && header.schema)
            headers[name] = { ...header, schema: { ...(header.schema as Json), maxLength } };
        }
        for (const name of EVERY_RESPONSE) headers[name] = ref(name);
        if (RETRY_STATUSES.has(status)) headers['Retry-After'] = ref('Retry-After');
        response.headers = headers;
      }
    }
  }
}

/**
 * The longest value each string format can take as the server validates it: a UUID, a date, and
 * a date-time with at most microseconds and a zone offset (`2026-05-01T09:30:00.123456+07:00`).
 */
const FORMAT_MAX_LENGTH: Record<string, number> = { uuid: 36, date: 10, 'date-time': 32 };
const INT32_MAX = 2_147_483_647;

/** Rules every schema of the document follows, so no DTO has to repeat them. */
function applyToSchema(node: Json): void {
  const implied = typeof node.format === 'string' ? FORMAT_MAX_LENGTH[node.format] : undefined;
  if (node.type === 'string' && implied !== undefined && node.maxLength === undefined)
    node.maxLength = implied;
  // OpenAPI 3.0 checks enum before nullable: a nullable enum has to list null itself.
  if (node.nullable === true && Array.isArray(node.enum) && !node.enum.includes(null))
    node.enum = [...(node.enum as unknown[]), null];
  if (node.type === 'integer' && node.format === undefined)
    node.format = typeof node.maximum === 'number' && node.maximum <= INT32_MAX ? 'int32' : 'int64';
}

/**
 * Gives formatted strings without an explicit limit the one their format implies, lists null in
 * nullable enums and states the width of integers.
 */
export function applySchemaConventions(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(applySchemaConventions);
    return;
  }
  if (!value || typeof value !== 'object') return;
  applyToSchema(value as Json);
  Object.values(value).forEach(applySchemaConventions);
}
