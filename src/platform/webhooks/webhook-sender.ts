import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-url-policy.js';

/** Bytes of a receiver's answer kept in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface SendResult {
  /** HTTP status, or null when no response came (refused, timed out, network error). */
  status: number | null;
  /** Up to 1 KB of the response body. */
  body: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * One POST to a checked target. Connects only to the addresses the URL policy approved (the
 * lookup below answers from them instead of asking DNS again), follows no redirects — a 3xx
 * is a failed attempt like any other non-2xx — and gives up after `timeoutMs` or when
 * `signal` aborts. Reads at most 1 KB of the answer, so a hostile receiver cannot make the
 * server buffer an endless body.
 */
export function sendWebhook(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, target.addresses);
    else callback(null, target.addresses[0].address, target.addresses[0].family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let status: number | null = null;
    const chunks: Buffer[] = [];
    const excerpt = () =>
      status === null
        ? null
        : Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ status, body: excerpt(), error, durationMs: elapsed() });
      req.destroy();
    };
    const req = send({
      protocol: target.url.protocol,
      host: target.host,
      port: target.url.port || undefined,
      path: `${target.url.pathname}${target.url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    });
    // Once the status line is in, a body that stalls no longer makes the attempt a failure.
    const timer = setTimeout(
      () => finish(status === null ? `timed out after ${timeoutMs} ms` : null),
      timeoutMs,
    );
    const onAbort = () => finish('aborted: the server is stopping');
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(
        err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message,
      ),
    );
    req.on('response', (res: IncomingMessage) => {
      status = res.statusCode ?? null;
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_EXCERPT_BYTES) finish(null);
      });
      res.on('end', () => finish(null));
      res.on('error', () => finish(null));
    });
    req.end(body);
  });
}
