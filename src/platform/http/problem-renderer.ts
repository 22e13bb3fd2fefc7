import { HttpException } from '@nestjs/common';
import { AppError, type FieldError } from './app-error.js';
import { fieldMessage } from './field-messages.js';
import { negotiateLocale, type Locale } from './locale.js';
import { problemText, type ProblemCode } from './problem-catalog.js';

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

interface RequestLike {
  id?: string;
  url?: string;
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

const PG_TIMEOUT = new Set(['57014', '55P03']);
// 55000 is what a database refusing connections (ALLOW_CONNECTIONS false) answers on connect.
const PG_UNAVAILABLE = new Set([
  '55000',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const PG_BAD_VALUE = new Set([
  '22P02',
  '22001',
  '22003',
  '22007',
  '22008',
  '22023',
  '2201X',
  '2201W',
  // Text PostgreSQL cannot store (NUL, bytes invalid in UTF-8); the input guard catches it
  // first, this keeps any path it misses a 400.
  '22021',
  '22P05',
]);
/** What the multipart parser throws on a broken upload; the caller's mistake, not ours. */
const MULTIPART_BROKEN = /^(Multipart: Boundary not found|Unexpected end of multipart data)/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns anything thrown while serving a request into an AppError. Client mistakes that slip
 * past validation and reach PostgreSQL still answer 4xx; only the unexpected is a 500.
 */
export function toAppError(
  err: unknown,
  bodyLimit: number,
): { error: AppError; unexpected: boolean } {
  if (err instanceof AppError) return { error: err, unexpected: false };
  // Nest wraps Fastify's own errors (body parsing, limits); judge them by the original.
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  if (
    err instanceof HttpException &&
    typeof cause?.code === 'string' &&
    cause.code.startsWith('FST_')
  )
    return toAppError(cause, bodyLimit);
  const code = pgCode(err);
  if (code) {
    if (PG_TIMEOUT.has(code)) return { error: new AppError('query_timeout'), unexpected: false };
    if (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code) || /^08/.test(code)) {
      return { error: new AppError('service_unavailable'), unexpected: false };
    }
    if (code === '23505') {
      const detail = String(
        (err as { driverError?: { detail?: string } }).driverError?.detail ??
          (err as { detail?: string }).detail ??
          '',
      );
      const field = /Key \(([^)]+)\)/.exec(detail)?.[1] ?? 'value';
      return { error: new AppError('unique_violation', { field }), unexpected: false };
    }
    if (code === '23502') {
      const column = String(
        (err as { driverError?: { column?: string } }).driverError?.column ?? 'value',
      );
      return { error: AppError.field(column, 'required', 'is required'), unexpected: false };
    }
    if (code === '23503') {
      return {
        error: new AppError('unprocessable', {
          reason: 'A referenced record does not exist or is still referenced.',
        }),
        unexpected: false,
      };
    }
    if (PG_BAD_VALUE.has(code)) {
      return {
        error: new AppError('invalid_query', {}, [
          { field: 'value', rule: 'invalid', message: 'is invalid' },
        ]),
        unexpected: false,
      };
    }
  }
  // A connection that broke mid-request: the next statement on it says "not queryable".
  if (
    err instanceof Error &&
    /Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(
      err.message,
    )
  ) {
    return { error: new AppError('service_unavailable'), unexpected: false };
  }
  // TypeORM releases a transaction's query runner when its connection dies (PostgreSQL went
  // away mid-transaction, which PostgreSQL rolls back): the client may retry, so 503. Still
  // logged as unexpected, since a runner used after its own commit would look the same.
  if (err instanceof Error && err.name === 'QueryRunnerAlreadyReleasedError') {
    return { error: new AppError('service_unavailable'), unexpected: true };
  }
  const fastifyCode = (err as { code?: string })?.code ?? '';
  switch (fastifyCode) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error: new AppError('malformed_body'), unexpected: false };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { error: new AppError('payload_too_large', { limit: bodyLimit }), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { error: new AppError('unsupported_media_type'), unexpected: false };
  }
  if (err instanceof Error && MULTIPART_BROKEN.test(err.message)) {
    const noBoundary = /Boundary/.test(err.message);
    return {
      error: new AppError('malformed_multipart', {
        reason: noBoundary
          ? 'the Content-Type has no boundary parameter.'
          : 'the multipart data ends before its closing boundary.',
        reasonId: noBoundary
          ? 'Content-Type tidak memuat parameter boundary.'
          : 'data multipart berakhir sebelum batas penutupnya.',
      }),
      unexpected: false,
    };
  }
  if (err instanceof SyntaxError && /JSON/.test(err.message)) {
    return { error: new AppError('malformed_body'), unexpected: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const byStatus: Record<number, ProblemCode> = {
      400: 'invalid_query',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'route_not_found',
      405: 'method_not_allowed',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
      429: 'rate_limited',
      503: 'service_unavailable',
    };
    const mapped = byStatus[status];
    if (mapped)
      return {
        error: new AppError(mapped, { limit: bodyLimit, action: 'do', entity: 'this' }),
        unexpected: false,
      };
  }
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413)
      return { error: new AppError('payload_too_large', { limit: bodyLimit }), unexpected: false };
    if (status === 415) return { error: new AppError('unsupported_media_type'), unexpected: false };
    return { error: new AppError('malformed_body'), unexpected: false };
  }
  return { error: new AppError('internal_error'), unexpected: true };
}

export function renderProblem(
  err: unknown,
  req: RequestLike,
  defaultLocale: Locale,
  bodyLimit: number,
): ProblemResponse & { unexpected: boolean } {
  const { error, unexpected } = toAppError(err, bodyLimit);
  const locale = negotiateLocale(
    req.headers['accept-language'] as string | undefined,
    defaultLocale,
  );
  const params = {
    ...error.params,
    requestId: req.id,
    method: req.method,
    path: req.url?.split('?')[0],
  };
  const { title, detail } = problemText(error.code, locale, params);
  const body: Record<string, unknown> = {
    type: `urn:relasi:problem:${error.code.replace(/_/g, '-')}`,
    title,
    status: error.status,
    detail,
    code: error.code,
    instance: req.url?.split('?')[0],
    requestId: req.id,
    ...error.extensions,
  };
  if (error.errors) body.errors = error.errors.map((e) => localizeFieldError(e, locale));
  return {
    status: error.status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': locale,
      ...error.headers,
    },
    body,
    unexpected,
  };
}

function localizeFieldError(e: FieldError, locale: Locale) {
  return {
    field: e.field,
    code: e.rule,
    message: fieldMessage(e.rule, locale, e.params, e.message),
  };
}
