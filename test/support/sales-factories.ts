import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factories } from './factories.js';
import type { TestServer } from './test-server.js';

const unique = () => randomBytes(4).toString('hex');

export type SalesRecord = Record<string, unknown> & { id: string; version: number };

/** A crm.config.yaml for a test file, written to the temp directory. */
export function writeSalesConfig(name: string, text: string): string {
  const file = join(tmpdir(), `relasi-sales-${name}-${process.pid}-${unique()}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Leads and opportunities (and the accounts and contacts they need) in one line each. */
export function salesFactories(server: TestServer, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const customers = factories(server, token);
  const f = {
    ...customers,
    async opportunity(fields: Record<string, unknown> = {}): Promise<SalesRecord> {
      const accountId = fields.accountId ?? (await customers.account()).id;
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(auth)
        .send({ name: `Deal ${unique()}`, accountId, ...fields });
      if (res.status !== 201)
        throw new Error(`opportunity: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as SalesRecord;
    },
    async lead(fields: Record<string, unknown> = {}, allowDuplicate = false): Promise<SalesRecord> {
      const res = await server.http
        .post(`/api/v1/leads${allowDuplicate ? '?allowDuplicate=true' : ''}`)
        .set(auth)
        .send({ lastName: `Lead ${unique()}`, company: `PT ${unique()}`, ...fields });
      if (res.status !== 201) throw new Error(`lead: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as SalesRecord;
    },
    /** Moves an opportunity through PATCH and returns the answer (status included). */
    move(id: string, patch: Record<string, unknown>, headers: Record<string, string> = {}) {
      return server.http
        .patch(`/api/v1/opportunities/${id}`)
        .set({ ...auth, ...headers })
        .send(patch);
    },
  };
  return f;
}

/** Domain events of a record, oldest first. */
export async function eventsOf(
  server: TestServer,
  recordId: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await server.db.query<{ type: string; data: Record<string, unknown> }>(
    `SELECT type, data FROM domain_events WHERE record_id = $1 ORDER BY occurred_at, id`,
    [recordId],
  );
  return rows;
}

/** Polls until `check` holds (event subscribers run after commit). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
