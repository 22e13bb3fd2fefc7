import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { freePort } from './global-setup.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What a path answers: a status (with an optional body), or 'hang' to never answer. */
export type Answer = number | { status: number; body?: string } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 that records every request. Each path answers from its
 * own script (a list consumed one per request, the last one repeating), 200 by default.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Runs on each request once it is recorded and before it is answered (to hold or act). */
  onRequest: ((request: ReceivedRequest) => Promise<void> | void) | null = null;
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;

  constructor(readonly port: number) {}

  static async start(port?: number): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(port ?? (await freePort()));
    await receiver.listen();
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answer(path: string, ...answers: Answer[]): void {
    this.scripts.set(path, answers);
  }

  at(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async waitFor(path: string, count: number, ms = 45_000): Promise<ReceivedRequest[]> {
    const end = Date.now() + ms;
    while (this.at(path).length < count) {
      if (Date.now() > end)
        throw new Error(`expected ${count} request(s) at ${path}, got ${this.at(path).length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.at(path);
  }

  listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.respond(req, res, chunks));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private async respond(req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) {
    const path = req.url ?? '/';
    const received = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    this.requests.push(received);
    await this.onRequest?.(received);
    const script = this.scripts.get(path) ?? [200];
    const answer = script.length > 1 ? script.shift()! : script[0];
    if (answer === 'hang') {
      this.hanging.add(res);
      return;
    }
    const { status, body } = typeof answer === 'number' ? { status: answer } : answer;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? `answered ${status}`);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Standard Webhooks verification written from the scheme, independent of the server's
 * code: HMAC-SHA256 over `id.timestamp.body` keyed with the base64-decoded secret, compared
 * in constant time with each `v1,` entry of the signature header.
 */
export function verifySignature(secret: string, request: ReceivedRequest): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return String(request.headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return (
        version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}
