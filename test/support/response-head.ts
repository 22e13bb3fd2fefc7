import http from 'node:http';
import type { TestServer } from './test-server.js';

export interface ResponseHead {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/**
 * Sends a request and settles on the response's status line and headers, then drops the
 * connection: for answers that never end (an event stream), where waiting for the body would
 * wait for ever.
 */
export function responseHead(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<ResponseHead> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: method.toUpperCase(), headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.on('error', () => undefined);
      req.destroy();
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

/** Whether an OpenAPI operation answers with an event stream rather than a finished body. */
export function answersWithStream(op: { responses?: Record<string, unknown> }): boolean {
  return Object.values(op.responses ?? {}).some(
    (r) => !!(r as { content?: Record<string, unknown> }).content?.['text/event-stream'],
  );
}

/**
 * One fuzzed request to an operation: through the checked test client, or for a stream only
 * up to its head. A string body is sent as JSON text as it is (so it may be malformed).
 */
export async function sendFuzzed(
  server: TestServer,
  op: { method: 'get' | 'post' | 'patch' | 'put'; stream: boolean },
  target: string,
  headers: Record<string, string>,
  body: string | object | null,
): Promise<ResponseHead> {
  if (op.stream) return responseHead(server.url + target, op.method, headers);
  let req = server.http[op.method](target).set(headers);
  if (typeof body === 'string') req = req.set('content-type', 'application/json').send(body);
  else if (body !== null) req = req.send(body);
  const res = await req;
  return { status: res.status, headers: res.headers };
}
