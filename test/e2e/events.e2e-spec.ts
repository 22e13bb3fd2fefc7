import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { parseEnv } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { DatabaseService } from '#platform/database/database.service.js';
import type { DomainEvent } from '#platform/events/domain-event.js';
import { EventBus } from '#platform/events/event-bus.js';
import { EventDispatcher } from '#platform/events/event-dispatcher.js';
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

/** The dispatcher alone on a database of its own, with the subscribers a test gives it. */
async function dispatcherOn(databaseUrl: string) {
  const env = parseEnv({});
  const dataSource = new DataSource(dataSourceOptions(env, databaseUrl));
  await dataSource.initialize();
  const db = new DatabaseService(dataSource);
  const bus = new EventBus();
  const ctx = RequestContext.system();
  return {
    db,
    bus,
    ctx,
    dispatcher: new EventDispatcher(db, bus, env),
    /** Writes `n` pending events of one type, in order, and returns their ids. */
    async emit(type: string, n: number): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        ctx,
        `WITH e AS (
           INSERT INTO domain_events (id, type, entity, data, occurred_at)
           SELECT gen_random_uuid(), $1, 'things', jsonb_build_object('n', i), now() + i * interval '1 microsecond'
             FROM generate_series(1, $2::int) i
           RETURNING id, occurred_at)
         SELECT id FROM e ORDER BY occurred_at`,
        [type, n],
      );
      return rows.map((r) => r.id);
    },
    close: () => dataSource.destroy(),
  };
}

describe('the event dispatcher', () => {
  // A failing subscriber is logged as a warning; the assertions say what matters.
  beforeAll(() => Logger.overrideLogger(['error']));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('hands a batch to every matching subscriber once, in order, and marks each event dispatched', async () => {
    const d = await dispatcherOn(await freshDatabase());
    try {
      await d.db.query(d.ctx, `UPDATE domain_events SET dispatched_at = now()`);
      const seen: string[] = [];
      const other: string[] = [];
      d.bus.subscribe({ name: 'a', types: ['thing.*'], handle: async (e) => void seen.push(e.id) });
      d.bus.subscribe({
        name: 'b',
        types: ['other.done'],
        handle: async (e) => void other.push(e.id),
      });
      const ids = await d.emit('thing.done', 150);
      // A batch is 100 events: the second pass takes the rest, the third finds nothing.
      expect(await d.dispatcher.pass()).toBe(100);
      expect(await d.dispatcher.pass()).toBe(50);
      expect(await d.dispatcher.pass()).toBe(0);
      expect(seen).toEqual(ids);
      expect(other).toEqual([]);
      const rows = await d.db.query<{ n: number }>(
        d.ctx,
        `SELECT count(*)::int AS n FROM domain_events WHERE id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL AND attempts = 1`,
        [ids],
      );
      expect(rows[0].n).toBe(150);
    } finally {
      await d.close();
    }
  });

  it('retries only the subscribers that failed, and only the events they failed on', async () => {
    const d = await dispatcherOn(await freshDatabase());
    try {
      await d.db.query(d.ctx, `UPDATE domain_events SET dispatched_at = now()`);
      const calls: Record<string, string[]> = { steady: [], flaky: [] };
      let flakyFails = true;
      d.bus.subscribe({
        name: 'steady',
        types: ['*'],
        handle: async (e: DomainEvent) => void calls.steady.push(e.id),
      });
      d.bus.subscribe({
        name: 'flaky',
        types: ['*'],
        handle: async (e: DomainEvent) => {
          calls.flaky.push(e.id);
          if (flakyFails && (e.data.n as number) % 2 === 0) throw new Error('receiver down');
        },
      });
      const ids = await d.emit('thing.done', 6);
      expect(await d.dispatcher.pass()).toBe(6);
      const state = async () =>
        d.db.query<{ id: string; dispatched: boolean; last_error: string | null }>(
          d.ctx,
          `SELECT id, dispatched_at IS NOT NULL AS dispatched, last_error FROM domain_events
            WHERE id = ANY($1::uuid[]) ORDER BY occurred_at`,
          [ids],
        );
      const first = await state();
      expect(first.map((r) => r.dispatched)).toEqual([true, false, true, false, true, false]);
      expect(first[1].last_error).toBe('flaky: receiver down');
      const delivered = await d.db.query<{ event_id: string; subscriber: string }>(
        d.ctx,
        `SELECT event_id, subscriber FROM domain_event_deliveries WHERE event_id = ANY($1::uuid[]) ORDER BY subscriber`,
        [ids],
      );
      // Only the failed events keep who got them: the steady subscriber, for the three retried.
      expect(delivered).toHaveLength(3);
      expect(new Set(delivered.map((r) => r.subscriber))).toEqual(new Set(['steady']));

      // The retry is due now rather than after its back-off.
      flakyFails = false;
      calls.steady = [];
      calls.flaky = [];
      await d.db.query(
        d.ctx,
        `UPDATE domain_events SET next_attempt_at = now() WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(await d.dispatcher.pass()).toBe(3);
      expect(calls.steady).toEqual([]);
      expect(calls.flaky).toEqual([ids[1], ids[3], ids[5]]);
      const second = await state();
      expect(second.every((r) => r.dispatched && r.last_error === null)).toBe(true);
    } finally {
      await d.close();
    }
  });
});

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
