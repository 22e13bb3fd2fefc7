import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSalesConfig } from './sales-factories.js';
import type { TestServer } from './test-server.js';

export type Auth = { authorization: string };
export type Thread = Record<string, unknown> & {
  id: string;
  version: number;
  participants: {
    id: string;
    kind: string;
    participantId: string;
    lastReadMessageId: string | null;
  }[];
  unreadCount: number | null;
};
export type Message = Record<string, unknown> & {
  id: string;
  version: number;
  body: string | null;
};

/**
 * A crm.config.yaml with small thread attachment limits in a temporary directory; `messaging`
 * adds keys to the messaging section (indented YAML lines), `extra` other sections.
 */
export function writeMessagingConfig(name: string, extra = '', messaging = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'relasi-thread-files-'));
  return writeSalesConfig(
    name,
    `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
messaging:
  editWindowMinutes: 10
  attachments: { directory: ${JSON.stringify(dir)}, maxBytes: 2048, allowedTypes: [application/pdf, text/plain] }
${messaging}
${extra}
`,
  );
}

/** Threads and messages in one line each, as `auth` makes them. */
export function threadFactories(server: TestServer, admin: Auth) {
  return {
    async thread(body: Record<string, unknown> = {}, auth: Auth = admin): Promise<Thread> {
      const res = await server.http
        .post('/api/v1/threads')
        .set(auth)
        .send({ subject: 'Delivery question', ...body });
      if (res.status !== 201) throw new Error(`thread: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Thread;
    },
    async message(
      threadId: string,
      body: Record<string, unknown>,
      auth: Auth = admin,
    ): Promise<Message> {
      const res = await server.http
        .post(`/api/v1/threads/${threadId}/messages`)
        .set(auth)
        .send(body);
      if (res.status !== 201) throw new Error(`message: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Message;
    },
  };
}
