import { freshDatabase, startServer, type TestServer } from '../support/test-server.js';
import { LOAD, sleep, until, WriteLoad } from './reliability-support.js';

const SLOW = 180_000;

/**
 * The server is killed with SIGKILL in the middle of a write load — no shutdown hook runs —
 * and started again on the same database: every write that was answered 2xx is there and
 * whole (record, history entry, event), nothing is half-written, and the event outbox
 * carries on from where it stopped.
 */
describe('a server killed during a write load', () => {
  let server: TestServer | null = null;
  afterAll(async () => {
    await server?.stop();
  });

  it(
    'keeps every acknowledged write whole and resumes the outbox after the restart',
    async () => {
      const databaseUrl = await freshDatabase();
      const env = { CRM_JOB_POLL_MS: '100', CRM_PRINCIPAL_CACHE_TTL_MS: '0' };
      const first = await startServer({ databaseUrl, env });
      const token = await first.login();
      const tag = `Crash${Date.now()}`;
      const load = new WriteLoad(() => first.url, token, tag, LOAD.clients);
      await sleep(LOAD.seconds * 1000);
      first.process.kill('SIGKILL');
      await new Promise((r) => first.process.once('exit', r));
      const outcomes = await load.stop();
      await first.db.end();
      const acknowledged = load.acknowledged();
      expect(acknowledged.length).toBeGreaterThan(LOAD.clients);
      // Nothing but success before the kill and refused connections after it: no 5xx.
      expect(outcomes.filter((o) => o.status !== null && o.status !== 201)).toEqual([]);

      server = await startServer({ databaseUrl, env });
      const db = server.db;
      const { rows: stored } = await db.query<{ id: string; email: string; n: string }>(
        `SELECT c.id, c.email,
                (SELECT count(*) FROM record_history h WHERE h.entity = 'contacts' AND h.record_id = c.id AND h.action = 'create') AS n
           FROM contacts c WHERE c.last_name = $1`,
        [tag],
      );
      const byId = new Map(stored.map((r) => [r.id, r]));
      for (const o of acknowledged) expect(byId.get(o.id as string)?.email).toBe(o.email);
      // Written whole or not at all: each stored contact has exactly one creation entry and its event.
      expect(stored.filter((r) => r.n !== '1')).toEqual([]);
      const { rows: events } = await db.query<{ record_id: string }>(
        `SELECT record_id FROM domain_events WHERE type = 'contact.created' AND record_id = ANY($1::uuid[])`,
        [stored.map((r) => r.id)],
      );
      expect(new Set(events.map((e) => e.record_id)).size).toBe(stored.length);
      expect(events.length).toBe(stored.length);
      // At most the writes in flight at the kill landed without an answer.
      expect(stored.length - acknowledged.length).toBeLessThanOrEqual(LOAD.clients);

      // The outbox hands on what the killed process had not dispatched yet — those it had
      // claimed once their one-minute claim runs out.
      const pending = await until(
        async () =>
          (
            await db.query<{ n: string }>(
              `SELECT count(*) AS n FROM domain_events WHERE dispatched_at IS NULL AND record_id = ANY($1::uuid[])`,
              [stored.map((r) => r.id)],
            )
          ).rows[0].n,
        (n) => n === '0',
        90_000,
      );
      expect(pending).toBe('0');

      // And the restarted server takes writes again.
      const again = await server.http
        .post('/api/v1/contacts')
        .set('authorization', `Bearer ${await server.login()}`)
        .send({ lastName: tag, email: `after.${tag}@reliability.test` });
      expect(again.status).toBe(201);
    },
    SLOW,
  );
});
