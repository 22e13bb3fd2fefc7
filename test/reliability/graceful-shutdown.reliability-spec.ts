import { freshDatabase, startServer } from '../support/test-server.js';
import { LOAD, sleep, WriteLoad } from './reliability-support.js';

const SLOW = 180_000;

/**
 * SIGTERM in the middle of a keep-alive write load: the server stops taking new work, finishes
 * what it accepted and exits 0. Every contact it stored was answered 201 to its client — no
 * accepted request is lost in the shutdown — and requests that arrive on a kept-alive
 * connection while it closes are answered 503 with `Connection: close`.
 */
describe('SIGTERM under a write load', () => {
  it(
    'answers every request it accepted, tells keep-alive clients to close, and exits 0',
    async () => {
      const databaseUrl = await freshDatabase();
      const server = await startServer({ databaseUrl });
      const token = await server.login();
      const tag = `Term${Date.now()}`;
      const load = new WriteLoad(() => server.url, token, tag, LOAD.clients);
      await sleep(LOAD.seconds * 1000);
      const exited = new Promise<number | null>((r) => server.process.once('exit', r));
      server.process.kill('SIGTERM');
      const code = await exited;
      const outcomes = await load.stop();
      expect(code).toBe(0);

      // Only success, or 503 while closing; connections refused or closed once it is gone.
      expect(
        outcomes.filter((o) => o.status !== null && o.status !== 201 && o.status !== 503),
      ).toEqual([]);
      for (const o of outcomes.filter((x) => x.status === 503)) expect(o.connection).toBe('close');
      expect(outcomes.filter((o) => o.error === 'TimeoutError')).toEqual([]);

      const acknowledged = new Map(load.acknowledged().map((o) => [o.id, o.email]));
      const { rows } = await server.db.query<{ id: string; email: string }>(
        `SELECT id, email FROM contacts WHERE last_name = $1`,
        [tag],
      );
      await server.db.end();
      expect(rows.length).toBeGreaterThan(0);
      // Stored means answered: the shutdown cut no committed request off from its client.
      for (const r of rows) expect(acknowledged.get(r.id)).toBe(r.email);
      expect(rows.length).toBe(acknowledged.size);
    },
    SLOW,
  );
});
