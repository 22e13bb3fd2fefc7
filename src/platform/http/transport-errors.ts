import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyReply, FastifyServerOptions } from 'fastify';
import { AppError } from './app-error.js';
import type { Locale } from './locale.js';
import { renderProblem } from './problem-renderer.js';

/** Node's own limit for the request line plus headers, set explicitly so it is documented. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Longest path parameter the router takes; a longer one answers 414. */
export const MAX_PARAM_LENGTH = 200;
/** Longest request target (path and query) answered with anything but 414. */
export const MAX_URL_LENGTH = 8 * 1024;

/** 414 for a request target, or any one of its path segments, past the limits above. */
export function assertUrlLength(url: string): void {
  const path = url.split('?', 1)[0];
  if (url.length > MAX_URL_LENGTH)
    throw new AppError('uri_too_long', { max: MAX_URL_LENGTH, field: 'url' });
  if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH))
    throw new AppError('uri_too_long', { max: MAX_PARAM_LENGTH, field: 'path' });
}

/** A request line that did not end within the header limit: the URL itself is too long. */
function requestLineOverflows(packet: Buffer | undefined): boolean {
  if (!packet || !/^[A-Z]+ /.test(packet.subarray(0, 10).toString('latin1'))) return false;
  const end = packet.indexOf('\r\n');
  return end === -1 || end > MAX_URL_LENGTH;
}

function connectionError(err: ConnectionError): AppError {
  // Node hands over the raw packet as a Buffer; Fastify's typings describe its JSON form.
  const packet: unknown = err.rawPacket;
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return requestLineOverflows(Buffer.isBuffer(packet) ? packet : undefined)
      ? new AppError('uri_too_long', { max: MAX_URL_LENGTH })
      : new AppError('headers_too_large', { max: MAX_HEADER_BYTES });
  if (err.code === 'HPE_URI_TOO_LONG') return new AppError('uri_too_long', { max: MAX_URL_LENGTH });
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout');
  return new AppError('malformed_request');
}

/**
 * Answers what Node's HTTP parser rejects before Fastify sees a request (oversized headers,
 * broken HTTP) as problem+json, written straight to the socket. The request's headers are not
 * parsed, so the answer is in the organisation's default language.
 */
export function problemClientErrorHandler(defaultLocale: Locale, bodyLimit: number) {
  return (err: ConnectionError, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const problem = renderProblem(
        connectionError(err),
        { headers: {} },
        defaultLocale,
        bodyLimit,
      );
      const body = JSON.stringify(problem.body);
      const head = [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
        `content-type: ${problem.headers['content-type']}`,
        `content-language: ${problem.headers['content-language']}`,
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
      ];
      socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy(err);
  };
}

/**
 * The router's own rejections (a URL that is not valid percent-encoding, a path parameter
 * over MAX_PARAM_LENGTH) come here before any hook runs; they answer like every other error.
 */
export function problemFrameworkErrors(
  defaultLocale: Locale,
  bodyLimit: number,
): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, req, reply) => {
    const mapped =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('uri_too_long', { max: MAX_PARAM_LENGTH })
        : error.code === 'FST_ERR_BAD_URL'
          ? new AppError('invalid_query', {}, [
              { field: '(path)', rule: 'invalid', message: 'is not a valid URL component' },
            ])
          : error;
    const problem = renderProblem(mapped, req, defaultLocale, bodyLimit);
    // The option is generic over route schemas; these answers have none.
    void (reply as unknown as FastifyReply)
      .status(problem.status)
      .headers(problem.headers)
      .header('x-request-id', req.id)
      .send(JSON.stringify(problem.body));
  };
}
