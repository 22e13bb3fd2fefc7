import { randomBytes } from 'node:crypto';
import type { TestServer } from './test-server.js';

const unique = () => randomBytes(4).toString('hex');

/** Records in one line each, through the API as a client would make them. */
export function factories(server: TestServer, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    async account(fields: Record<string, unknown> = {}) {
      const res = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: `Account ${unique()}`, ...fields });
      if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown> & { id: string; version: number };
    },
    async contact(fields: Record<string, unknown> = {}) {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: `Contact ${unique()}`, ...fields });
      if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown> & { id: string; version: number };
    },
  };
}
