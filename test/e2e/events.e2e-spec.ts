import pg from 'pg';
import { factories } from '../support/factories.js';
import { freshDatabase, startServer } from '../support/test-server.js';

async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('domain events through the transactional outbox', () => {
  it('writes one event per change, in the same transaction, and dispatches it after commit', async () => {
    const server = await startServer({ env: { CRM_OUTBOX_POLL_MS: '200' } });
    try {
      const token = await server.login();
      const auth = { authorization: `Bearer ${token}` };
      const contact = await factories(server, token).contact({ lastName: 'Evented' });
      await server.http
        .patch(`/api/v1/contacts/${contact.id}`)
        .set(auth)
        .send({ title: 'CEO' })
        .expect(200);
      await server.http.delete(`/api/v1/contacts/${contact.id}`).set(auth).expect(204);
      await server.http.post(`/api/v1/contacts/${contact.id}/restore`).set(auth).expect(200);
      const rows = await waitFor(
        async () =>
          (
            await server.db.query(
              `SELECT type, actor_id, data, dispatched_at FROM domain_events WHERE record_id = $1 ORDER BY occurred_at, id`,
              [contact.id],
            )
          ).rows,
        (r) =>
          r.length === 4 &&
          r.every((e: { dispatched_at: Date | null }) => e.dispatched_at !== null),
      );
      expect(rows.map((r: { type: string }) => r.type)).toEqual([
        'contact.created',
        'contact.updated',
        'contact.deleted',
        'contact.restored',
      ]);
      expect(rows[0].data.record).toMatchObject({ id: contact.id, lastName: 'Evented' });
      expect(rows[1].data.changes).toEqual([{ field: 'title', old: null, new: 'CEO' }]);
      expect(
        rows.every(
          (r: { actor_id: string; dispatched_at: Date | null }) =>
            typeof r.actor_id === 'string' && r.dispatched_at instanceof Date,
        ),
      ).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('emits nothing for a rolled-back change', async () => {
    const server = await startServer({ env: { CRM_STATEMENT_TIMEOUT_MS: '300' } });
    const blocker = new pg.Client({ connectionString: server.databaseUrl });
    await blocker.connect();
    try {
      const token = await server.login();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE domain_events IN ACCESS EXCLUSIVE MODE');
      const res = await server.http
        .post('/api/v1/contacts')
        .set('authorization', `Bearer ${token}`)
        .send({ lastName: 'RolledBack' });
      expect(res.status).toBe(503);
      await blocker.query('ROLLBACK');
      const contacts = await blocker.query(
        `SELECT count(*)::int AS n FROM contacts WHERE last_name = 'RolledBack'`,
      );
      expect(contacts.rows[0].n).toBe(0);
      const events = await blocker.query(
        `SELECT count(*)::int AS n FROM domain_events WHERE type = 'contact.created'`,
      );
      expect(events.rows[0].n).toBe(0);
    } finally {
      await blocker.end();
      await server.stop();
    }
  });

  it('loses nothing when no dispatcher runs at commit time: a later process delivers it', async () => {
    const databaseUrl = await freshDatabase();
    const apiOnly = await startServer({ databaseUrl, env: { CRM_RUN_WORKERS: 'false' } });
    const token = await apiOnly.login();
    const contact = await factories(apiOnly, token).contact({ lastName: 'Later' });
    const pending = await apiOnly.db.query(
      `SELECT dispatched_at FROM domain_events WHERE record_id = $1`,
      [contact.id],
    );
    expect(pending.rows).toEqual([{ dispatched_at: null }]);
    expect(await apiOnly.stop()).toBe(0);
    const withWorkers = await startServer({ databaseUrl, env: { CRM_OUTBOX_POLL_MS: '200' } });
    try {
      const rows = await waitFor(
        async () =>
          (
            await withWorkers.db.query(
              `SELECT dispatched_at FROM domain_events WHERE record_id = $1`,
              [contact.id],
            )
          ).rows,
        (r) => r[0]?.dispatched_at !== null,
      );
      expect(rows[0].dispatched_at).toBeInstanceOf(Date);
    } finally {
      await withWorkers.stop();
    }
  });
});
