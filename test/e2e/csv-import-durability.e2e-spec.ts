import { readFileSync } from 'node:fs';
import { startServer, type TestServer } from '../support/test-server.js';

type Auth = { authorization: string };
type Import = Record<string, unknown> & { id: string; status: string; processed: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `rows` narrow contacts: last name and a unique email, tagged so they can be counted. */
function narrowCsv(tag: string, rows: number): Buffer {
  const lines = ['lastName,email'];
  for (let i = 1; i <= rows; i++) lines.push(`${tag} ${i},${tag.toLowerCase()}.${i}@durable.test`);
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

async function state(server: TestServer, auth: Auth, id: string): Promise<Import> {
  return (await server.http.get(`/api/v1/imports/${id}`).set(auth).expect(200)).body as Import;
}

async function until(
  server: TestServer,
  auth: Auth,
  id: string,
  done: (i: Import) => boolean,
  ms: number,
): Promise<Import> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await state(server, auth, id);
    if (done(s) || Date.now() > end) return s;
    await sleep(25);
  }
}

async function count(server: TestServer, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await server.db.query<{ n: string }>(sql, params)).rows[0].n);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

const ENV = {
  CRM_JOB_POLL_MS: '200',
  CRM_JOB_LOCK_TIMEOUT_MS: '2000',
  CRM_IMPORT_BATCH_SIZE: '500',
};

describe('CSV import as a durable job', () => {
  it('survives a SIGKILL mid-import: after the restart it completes with exact counts and no duplicates', async () => {
    const rows = 30_000;
    let server = await startServer({ env: ENV });
    const databaseUrl = server.databaseUrl;
    let auth = { authorization: `Bearer ${await server.login()}` };
    try {
      const upload = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .field('entity', 'contacts')
        .attach('file', narrowCsv('Crash', rows), 'crash.csv')
        .expect(202);
      const id = upload.body.id as string;
      const running = await until(
        server,
        auth,
        id,
        (s) => s.processed >= 1000 || s.status === 'completed',
        60_000,
      );
      expect(running.status).toBe('running');
      await server.stop('SIGKILL');

      // What the killed process committed is whole batches, counted exactly.
      const [{ processed, created }] = await (async () => {
        const pg = await import('pg');
        const db = new pg.default.Pool({ connectionString: databaseUrl, max: 1 });
        try {
          return (
            await db.query<{ processed: number; created: number }>(
              `SELECT processed, created FROM imports WHERE id = $1`,
              [id],
            )
          ).rows;
        } finally {
          await db.end();
        }
      })();
      expect(processed).toBeLessThan(rows);
      expect(processed % 500).toBe(0);
      expect(created).toBe(processed);

      server = await startServer({ env: ENV, databaseUrl });
      auth = { authorization: `Bearer ${await server.login()}` };
      const done = await until(server, auth, id, (s) => s.status !== 'running', 120_000);
      expect(done).toMatchObject({
        status: 'completed',
        total: rows,
        processed: rows,
        created: rows,
        updated: 0,
        skipped: 0,
        failed: 0,
      });
      expect(
        await count(server, `SELECT count(*) AS n FROM contacts WHERE last_name LIKE 'Crash %'`),
      ).toBe(rows);
      expect(
        await count(
          server,
          `SELECT count(DISTINCT email) AS n FROM contacts WHERE last_name LIKE 'Crash %'`,
        ),
      ).toBe(rows);
      expect(
        await count(
          server,
          `SELECT count(*) AS n FROM record_history h JOIN contacts c ON c.id = h.record_id
            WHERE c.last_name LIKE 'Crash %' AND h.action = 'create'`,
        ),
      ).toBe(rows);
      // One event per written batch; together they name every new contact once.
      const ids = await server.db.query<{ id: string }>(
        `SELECT jsonb_array_elements_text(data->'created') AS id FROM domain_events
          WHERE type = 'contact.imported' AND data->>'importId' = $1`,
        [id],
      );
      expect(ids.rows).toHaveLength(rows);
      expect(new Set(ids.rows.map((r) => r.id)).size).toBe(rows);
      const job = await server.db.query<{ attempts: number; state: string }>(
        `SELECT j.attempts, j.state FROM jobs j JOIN imports i ON i.job_id = j.id WHERE i.id = $1`,
        [id],
      );
      expect(job.rows[0]).toEqual({ attempts: 2, state: 'completed' });
      expect(
        await count(server, `SELECT count(*) AS n FROM import_rows WHERE import_id = $1`, [id]),
      ).toBe(0);
    } finally {
      await server.stop();
    }
  }, 240_000);

  it('skips rows matching records of any earlier batch, the one being written included', async () => {
    // Batches of 3 read ahead while the batch before is written: a row repeating an email of
    // the previous batch, of an older one, of its own batch or of an existing record is
    // skipped, whatever batch it falls in.
    const server = await startServer({ env: { ...ENV, CRM_IMPORT_BATCH_SIZE: '3' } });
    const auth = { authorization: `Bearer ${await server.login()}` };
    try {
      await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Known', email: 'e5@batches.test' })
        .expect(201);
      const emails = Array.from({ length: 60 }, (_, i) => `e${(i * i * 7 + 3) % 13}@batches.test`);
      const lines = ['lastName,email', ...emails.map((e, i) => `Row ${i},${e}`)];
      const upload = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .field('entity', 'contacts')
        .field('duplicates', 'skip')
        .attach('file', Buffer.from(`${lines.join('\r\n')}\r\n`), 'batches.csv')
        .expect(202);
      const done = await until(
        server,
        auth,
        upload.body.id as string,
        (s) => s.status !== 'running' && s.status !== 'queued',
        60_000,
      );
      const distinct = new Set(emails);
      const fresh = [...distinct].filter((e) => e !== 'e5@batches.test').length;
      expect(done).toMatchObject({
        status: 'completed',
        created: fresh,
        skipped: 60 - fresh,
        failed: 0,
      });
      const stored = await server.db.query<{ email: string; n: string }>(
        `SELECT email, count(*) AS n FROM contacts WHERE email LIKE '%@batches.test' GROUP BY email`,
      );
      expect(stored.rows).toHaveLength(distinct.size);
      expect(stored.rows.every((r) => r.n === '1')).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('cancels a running import: written rows stay, the rest is never read', async () => {
    const server = await startServer({ env: ENV });
    const auth = { authorization: `Bearer ${await server.login()}` };
    try {
      const upload = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .field('entity', 'contacts')
        .attach('file', narrowCsv('Cancel', 30_000), 'cancel.csv')
        .expect(202);
      const id = upload.body.id as string;
      await until(server, auth, id, (s) => s.processed > 0, 60_000);
      const cancelled = await server.http
        .post(`/api/v1/imports/${id}/cancel`)
        .set(auth)
        .expect(200);
      expect(cancelled.body).toMatchObject({ id, status: 'cancelled' });
      expect(cancelled.body.finishedAt).toEqual(expect.any(String));
      await sleep(1500);
      const after = await state(server, auth, id);
      expect(after.status).toBe('cancelled');
      expect(after.processed).toBeLessThan(30_000);
      expect(after.created).toBe(after.processed);
      expect(
        await count(server, `SELECT count(*) AS n FROM contacts WHERE last_name LIKE 'Cancel %'`),
      ).toBe(after.created);
      expect(
        await count(server, `SELECT count(*) AS n FROM import_rows WHERE import_id = $1`, [id]),
      ).toBe(0);
      const again = await server.http.post(`/api/v1/imports/${id}/cancel`).set(auth);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('import_finished');
    } finally {
      await server.stop();
    }
  }, 300_000);

  it('carries a large file with the server heap capped, staging it as it streams', async () => {
    const rows = Number(process.env.RELASI_LARGE_IMPORT_ROWS ?? 200_000);
    const server = await startServer({
      env: { CRM_JOB_POLL_MS: '200', NODE_OPTIONS: '--max-old-space-size=128' },
    });
    const auth = { authorization: `Bearer ${await server.login()}` };
    try {
      const pid = server.process.pid!;
      let peak = rssMb(pid);
      const watch = setInterval(() => {
        try {
          peak = Math.max(peak, rssMb(pid));
        } catch {
          // the process is gone; the assertions below say so
        }
      }, 50);
      const upload = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .field('entity', 'contacts')
        .attach('file', narrowCsv('Large', rows), 'large.csv')
        .expect(202);
      expect(upload.body.total).toBe(rows);
      const done = await until(
        server,
        auth,
        upload.body.id,
        (s) => s.status !== 'running' && s.status !== 'queued',
        600_000,
      );
      clearInterval(watch);
      expect(done).toMatchObject({
        status: 'completed',
        processed: rows,
        created: rows,
        failed: 0,
      });
      expect(server.process.exitCode).toBeNull();
      // A 128 MB heap holds neither the file nor its rows; the process stays small.
      expect(peak).toBeLessThan(400);
    } finally {
      await server.stop();
    }
  }, 900_000);
});
