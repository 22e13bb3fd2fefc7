import http from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: unknown;
}

/** An open Server-Sent Events connection that collects what arrives. */
export interface SseConnection {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first collected event that matches, waiting up to `timeoutMs`. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once the server said the stream is live (its `ready` comment). */
  ready(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens `GET {url}` as an event stream and parses it as a browser's EventSource would. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const conn: SseConnection = {
        status: res.statusCode ?? 0,
        events: [],
        comments: [],
        next(match, timeoutMs = 30_000) {
          const started = Date.now();
          return new Promise((ok, fail) => {
            const poll = () => {
              const found = conn.events.find(match);
              if (found) return ok(found);
              if (Date.now() - started > timeoutMs)
                return fail(new Error(`no matching event; got ${JSON.stringify(conn.events)}`));
              setTimeout(poll, 20);
            };
            poll();
          });
        },
        ready(timeoutMs = 30_000) {
          const started = Date.now();
          return new Promise((ok, fail) => {
            const poll = () => {
              if (conn.comments.includes('ready')) return ok();
              if (Date.now() - started > timeoutMs) return fail(new Error('stream never ready'));
              setTimeout(poll, 20);
            };
            poll();
          });
        },
        close() {
          req.destroy();
        },
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) conn.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) {
            const text = data.join('\n');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // a body that is not JSON (a problem document) stays text
            }
            conn.events.push({ id, event, data: parsed });
          }
        }
      });
      res.on('error', () => undefined);
      resolve(conn);
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}
