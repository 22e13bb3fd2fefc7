import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { factories } from '../support/factories.js';
import {
  emptyDatabase,
  freshDatabase,
  runUntilExit,
  startServer,
  type TestServer,
} from '../support/test-server.js';

const run = promisify(execFile);

describe('the server as a process: health, docs, lifecycle, limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers liveness, readiness and Prometheus metrics', async () => {
    expect((await server.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await server.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      database: 'up',
      readReplica: 'none',
      queue: expect.objectContaining({ status: 'up', workers: 'running', failed: 0 }),
    });
    await server.http.get('/health/live');
    const metrics = await server.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(
      /relasi_http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"/,
    );
    expect(metrics.text).toContain('relasi_process_cpu_seconds_total');
  });

  it('serves the API docs and the OpenAPI document with both security schemes', async () => {
    const docs = await server.http.get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    const doc = await server.http.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    // Staff tokens and API keys, and the tokens of an audience (the customer portal's).
    expect(Object.keys(doc.body.components.securitySchemes).sort()).toEqual([
      'apiKey',
      'audienceBearer',
      'bearer',
    ]);
    expect(
      doc.body.paths['/api/v1/contacts'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(['filter', 'sort', 'limit', 'cursor']));
    expect(
      doc.body.paths['/api/v1/contacts'].post.responses['409'].content['application/problem+json']
        .example.code,
    ).toBe('duplicate_record');
  });

  it('documents exactly the names sort and fields take, as the server checks them', async () => {
    const auth = { authorization: `Bearer ${await server.login()}` };
    const doc = await server.http.get('/openapi.json');
    const param = (path: string, name: string) =>
      (doc.body.paths[path].get.parameters as { name: string; schema: { pattern: string } }[]).find(
        (p) => p.name === name,
      )!.schema.pattern;
    const names = (pattern: string) =>
      /^\^-?\??\(([^)]*)\)/
        .exec(pattern)![1]
        .split('|')
        .map((n) => n.replace(/\\\./g, '.'));
    const sortPattern = param('/api/v1/contacts', 'sort');
    const sortable = names(sortPattern);
    expect(sortable).toEqual(expect.arrayContaining(['lastName', 'createdAt', 'account.name']));
    expect(sortable).not.toContain('phones');
    for (const name of sortable) {
      const res = await server.http.get(`/api/v1/contacts?sort=-${name}&limit=1`).set(auth);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    const refused = await server.http.get('/api/v1/contacts?sort=phones').set(auth);
    expect(refused.status).toBe(400);
    expect(new RegExp(sortPattern).test('phones')).toBe(false);
    expect(new RegExp(sortPattern).test('-lastName,account.name')).toBe(true);

    const fieldsPattern = param('/api/v1/contacts', 'fields');
    for (const name of names(fieldsPattern)) {
      const res = await server.http.get(`/api/v1/contacts?fields=${name}&limit=1`).set(auth);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    expect(new RegExp(fieldsPattern).test('id,shoeSize')).toBe(false);
    expect(param('/api/v1/contacts/{id}', 'fields')).toBe(fieldsPattern);
  });

  it('keeps the checked-in openapi/openapi.json identical to what the code produces', async () => {
    const { stdout } = await run(process.execPath, ['dist/scripts/write-openapi.js', '--check']);
    expect(stdout).toContain('up to date');
  });

  it('serves, without a config file, exactly the checked-in openapi/openapi.json', async () => {
    const served = await server.http.get('/openapi.json');
    expect(served.body).toEqual(JSON.parse(readFileSync('openapi/openapi.json', 'utf8')));
  });

  it('echoes a safe X-Request-Id and makes one otherwise', async () => {
    const given = await server.http.get('/health/live').set('x-request-id', 'trace-abc_123');
    expect(given.headers['x-request-id']).toBe('trace-abc_123');
    const unsafe = await server.http.get('/health/live').set('x-request-id', 'bad id with spaces');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await server.http.get('/api/v1/nowhere').set('x-request-id', 'trace-404');
    expect(problem.status).toBe(404);
    expect(problem.body).toMatchObject({ code: 'route_not_found', requestId: 'trace-404' });
  });

  it('answers 401 problem+json without credentials and with a malformed token', async () => {
    const none = await server.http.get('/api/v1/contacts');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/problem\+json/);
    expect(none.body.code).toBe('unauthorized');
    const junk = await server.http.get('/api/v1/contacts').set('authorization', 'Bearer not.a.jwt');
    expect(junk.status).toBe(401);
  });

  it('answers 503 query_timeout when a query runs past the statement timeout, and writes nothing partial', async () => {
    const slow = await startServer({ env: { CRM_STATEMENT_TIMEOUT_MS: '300' } });
    const token = await slow.login();
    const blocker = new pg.Client({ connectionString: slow.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE');
      const res = await slow.http.get('/api/v1/contacts').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('query_timeout');
      const write = await slow.http
        .post('/api/v1/contacts')
        .set('authorization', `Bearer ${token}`)
        .send({ lastName: 'Blocked' });
      expect(write.status).toBe(503);
      await blocker.query('ROLLBACK');
      const count = await blocker.query(
        `SELECT count(*)::int AS n FROM contacts WHERE last_name = 'Blocked'`,
      );
      expect(count.rows[0].n).toBe(0);
      const history = await blocker.query(
        `SELECT count(*)::int AS n FROM record_history WHERE entity = 'contacts'`,
      );
      expect(history.rows[0].n).toBe(0);
    } finally {
      await blocker.end();
      await slow.stop();
    }
  });

  it('keeps /health/live up when the database is gone, while readiness and the API say 503', async () => {
    const s = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const token = await s.login();
    const dbName = new URL(s.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({
      connectionString: s.databaseUrl.replace(/\/[^/]+$/, '/postgres'),
    });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      expect((await s.http.get('/health/live')).status).toBe(200);
      const ready = await s.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.database).toBe('down');
      const api = await s.http.get('/api/v1/contacts').set('authorization', `Bearer ${token}`);
      expect(api.status).toBe(503);
      expect(api.body.code).toBe('service_unavailable');
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      expect((await s.http.get('/health/ready')).status).toBe(200);
    } finally {
      await admin
        .query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`)
        .catch(() => undefined);
      await admin.end();
      await s.stop();
    }
  });
});

describe('start-up and shutdown', () => {
  it('keeps all data across a restart and does not create a second admin', async () => {
    const databaseUrl = await freshDatabase();
    const first = await startServer({ databaseUrl });
    const token = await first.login();
    const contact = await factories(first, token).contact({ lastName: 'Persistent' });
    expect(await first.stop()).toBe(0);
    const second = await startServer({
      databaseUrl,
      env: { CRM_ADMIN_EMAIL: 'other-admin@example.com' },
    });
    try {
      const again = await second.login();
      const res = await second.http
        .get(`/api/v1/contacts/${contact.id}`)
        .set('authorization', `Bearer ${again}`);
      expect(res.status).toBe(200);
      expect(res.body.lastName).toBe('Persistent');
      const users = await second.db.query('SELECT email FROM users');
      expect(users.rows).toEqual([{ email: 'admin@example.com' }]);
    } finally {
      await second.stop();
    }
  });

  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const s = await startServer();
    const token = await s.login();
    const contact = await factories(s, token).contact({ lastName: 'InFlight' });
    const blocker = new pg.Client({ connectionString: s.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [contact.id]);
    const pending = s.http
      .patch(`/api/v1/contacts/${contact.id}`)
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'Finished' })
      .then((r) => r);
    await new Promise((r) => setTimeout(r, 300));
    s.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(s.process.exitCode).toBeNull();
    await blocker.query('COMMIT');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Finished');
    const code = await new Promise<number | null>((resolve) =>
      s.process.exitCode !== null ? resolve(s.process.exitCode) : s.process.once('exit', resolve),
    );
    expect(code).toBe(0);
    const row = await blocker.query('SELECT title FROM contacts WHERE id = $1', [contact.id]);
    expect(row.rows[0].title).toBe('Finished');
    await blocker.end();
    await s.db.end().catch(() => undefined);
  });

  it('answers 503 on the API until migrations are done, then becomes ready', async () => {
    const databaseUrl = await emptyDatabase();
    const lock = new pg.Client({ connectionString: databaseUrl });
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(72431977)');
    const s = await startServer({ databaseUrl, waitForReady: false });
    try {
      const ready = await s.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('starting');
      const api = await s.http.post('/api/v1/auth/login').send({ email: 'a@b.co', password: 'x' });
      expect(api.status).toBe(503);
      expect((await s.http.get('/health/live')).status).toBe(200);
      await lock.query('SELECT pg_advisory_unlock(72431977)');
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await s.http.get('/health/ready')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await lock.end();
      await s.stop();
    }
  });

  it('stops with a non-zero exit and no half-migrated schema when a migration fails', async () => {
    const databaseUrl = await emptyDatabase();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // A table in the way makes the first migration fail part-way through.
    await client.query('CREATE TABLE accounts (id integer)');
    const { code, output } = await runUntilExit({ databaseUrl });
    expect(code).toBe(1);
    expect(output).toContain('migration failed');
    const roles = await client.query(`SELECT to_regclass('roles') AS t`);
    expect(roles.rows[0].t).toBeNull();
    await client.end();
  });

  it('refuses to start with pending migrations when told not to run them', async () => {
    const { code, output } = await runUntilExit({
      databaseUrl: await emptyDatabase(),
      env: { CRM_RUN_MIGRATIONS: 'false' },
    });
    expect(code).toBe(1);
    expect(output).toContain('pending migrations');
  });

  it('lists every bad environment value at once and exits 2', async () => {
    const { code, output } = await runUntilExit({
      env: {
        PORT: 'eighty',
        CRM_LOG_LEVEL: 'loud',
        CRM_JWT_SECRET: 'short',
        DATABASE_URL: 'mysql://x',
      },
    });
    expect(code).toBe(2);
    expect(output).toContain('PORT must be a whole number');
    expect(output).toContain('CRM_LOG_LEVEL must be one of');
    expect(output).toContain('CRM_JWT_SECRET must be at least 32 characters');
    expect(output).toContain('DATABASE_URL must start with postgres://');
  });

  it('refuses an invalid crm.config.yaml with the list of problems', async () => {
    const file = join(tmpdir(), `crm-bad-${process.pid}.yaml`);
    writeFileSync(
      file,
      'version: 1\norganization:\n  defaultCurrency: rupiah\n  colour: blue\napi:\n  maxPageSize: 9000\n',
    );
    const { code, output } = await runUntilExit({ env: { CRM_CONFIG: file } });
    expect(code).toBe(2);
    expect(output).toContain('/organization/defaultCurrency');
    expect(output).toContain('unknown key "colour"');
    expect(output).toContain('/api/maxPageSize');
  });
});
