import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, upload, type Auth } from '../support/import-helpers.js';
import { startServer, type TestServer } from '../support/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two contacts, the second with an email no contact may have: one created, one failed. */
function fileFor(tag: string): Buffer {
  return Buffer.from(`lastName,email\r\n${tag} 1,${tag}@keep.test\r\n${tag} 2,not-an-email\r\n`);
}

describe('CSV import retention', () => {
  let server: TestServer;
  let auth: Auth;
  const configFile = join(tmpdir(), `relasi-import-retention-${process.pid}.yaml`);
  writeFileSync(configFile, 'version: 1\nimports:\n  retentionDays: 2\n');

  beforeAll(async () => {
    server = await startServer({
      env: {
        CRM_CONFIG: configFile,
        CRM_JOB_POLL_MS: '200',
        // The housekeeping runs every second here, instead of hourly.
        CRM_JOB_CLEANUP_CRON: '* * * * * *',
      },
    });
    auth = { authorization: `Bearer ${await server.login()}` };
  });
  afterAll(async () => {
    await server.stop();
  });

  const count = async (sql: string, params: unknown[]) =>
    Number((await server.db.query<{ n: string }>(sql, params)).rows[0].n);
  const leftOf = async (id: string) => ({
    staged: await count(`SELECT count(*) AS n FROM import_rows WHERE import_id = $1`, [id]),
    errors: await count(`SELECT count(*) AS n FROM import_errors WHERE import_id = $1`, [id]),
  });

  it('deletes imports finished longer ago than imports.retentionDays, with their errors and rows', async () => {
    const ids: Record<string, string> = {};
    for (const tag of ['old', 'recent', 'abandoned']) {
      const res = await upload(server, auth, fileFor(tag), { entity: 'contacts' });
      expect(res.status).toBe(202);
      expect(await finished(server, auth, res.body.id)).toMatchObject({
        status: 'completed',
        created: 1,
        failed: 1,
      });
      ids[tag] = res.body.id as string;
      // Once finished, only the failed row stays staged: the errors CSV gives it back.
      expect(await leftOf(ids[tag])).toEqual({ staged: 1, errors: 1 });
    }
    await server.db.query(
      `UPDATE imports SET finished_at = now() - interval '3 days' WHERE id = $1`,
      [ids.old],
    );
    await server.db.query(
      `UPDATE imports SET finished_at = now() - interval '1 day' WHERE id = $1`,
      [ids.recent],
    );
    // An import whose job gave up (dead-lettered) without finishing it, long ago.
    await server.db.query(
      `UPDATE imports SET status = 'running', finished_at = NULL, updated_at = now() - interval '3 days'
        WHERE id = $1`,
      [ids.abandoned],
    );
    await server.db.query(
      `UPDATE jobs SET state = 'failed', failed_at = now() WHERE id = (SELECT job_id FROM imports WHERE id = $1)`,
      [ids.abandoned],
    );

    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const gone = await count(`SELECT count(*) AS n FROM imports WHERE id = ANY($1::uuid[])`, [
        [ids.old, ids.abandoned],
      ]);
      if (gone === 0) break;
      await sleep(200);
    }
    for (const id of [ids.old, ids.abandoned]) {
      await server.http.get(`/api/v1/imports/${id}`).set(auth).expect(404);
      expect(await leftOf(id)).toEqual({ staged: 0, errors: 0 });
    }
    // The recent import stays whole, its errors CSV included; the records imported stay too.
    await server.http.get(`/api/v1/imports/${ids.recent}`).set(auth).expect(200);
    expect(await leftOf(ids.recent)).toEqual({ staged: 1, errors: 1 });
    const failedRows = await server.http
      .get(`/api/v1/imports/${ids.recent}/errors/export`)
      .set(auth)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    expect(failedRows.body as string).toContain('recent 2,not-an-email');
    expect(
      await count(`SELECT count(*) AS n FROM contacts WHERE last_name = ANY($1::text[])`, [
        ['old 1', 'recent 1', 'abandoned 1'],
      ]),
    ).toBe(3);
  });
});
