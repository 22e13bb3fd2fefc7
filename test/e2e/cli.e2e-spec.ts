import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { freePort } from '../support/global-setup.js';
import { emptyDatabase, startServer, type TestServer } from '../support/test-server.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `relasi` command as an operator would, with only the variables given. */
function relasi(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/scripts/cli.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

interface Count {
  name: string;
  n: number;
}

const file = (name: string) => join(tmpdir(), `relasi-cli-${process.pid}-${name}`);

async function sql<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe('relasi admin CLI', () => {
  let url: string;
  let db: Record<string, string>;
  let server: TestServer | null = null;

  beforeAll(async () => {
    url = await emptyDatabase();
    db = { DATABASE_URL: url };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('explains itself, and a wrong command line exits 2', async () => {
    const help = await relasi(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'create-admin', 'reset-password', 'config-check', 'backup'])
      expect(help.stdout).toContain(name);
    expect(help.stdout).toContain('3  the database cannot be reached');
    const own = await relasi(['migrate', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('relasi migrate [--dry-run]');

    expect((await relasi(['frobnicate'])).code).toBe(2);
    const unknown = await relasi(['backup', '--bogus'], db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect((await relasi(['backup'], db)).code).toBe(2);
    expect((await relasi(['seed-demo', '--scale', 'lots'], db)).code).toBe(2);
  });

  it('exits 3 when the database cannot be reached', async () => {
    const port = await freePort();
    const run = await relasi(['migrate'], {
      DATABASE_URL: `postgres://relasi:x@127.0.0.1:${port}/relasi`,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach');
  });

  it('migrate --dry-run prints the SQL and changes nothing; migrate applies it', async () => {
    const dry = await relasi(['migrate', '--dry-run'], db);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('CREATE TABLE users');
    expect(dry.stdout).toContain('nothing was changed');
    const tables = await sql<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(tables[0].n).toBe(0);

    const real = await relasi(['migrate'], db);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('applied: InitialSchema');
    expect((await relasi(['migrate'], db)).stdout).toContain('database is up to date');
    expect((await relasi(['migrate', '--dry-run'], db)).stdout).toContain('up to date');
  });

  it('create-admin makes an admin who logs in; reset-password replaces the password', async () => {
    const created = await relasi(
      ['create-admin', '--email', 'Ops@Example.com', '--name', 'Sari Wijaya', '--password-stdin'],
      db,
      'first-password-123\n',
    );
    expect(created.code).toBe(0);
    const [user] = await sql<{ password_hash: string; first_name: string; last_name: string }>(
      url,
      `SELECT password_hash, first_name, last_name FROM users WHERE email_normalized = 'ops@example.com'`,
    );
    expect(user).toMatchObject({ first_name: 'Sari', last_name: 'Wijaya' });
    expect(user.password_hash.startsWith('$argon2id$')).toBe(true);
    const again = await relasi(
      ['create-admin', '--email', 'ops@example.com', '--name', 'X', '--password', 'x'.repeat(12)],
      db,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    const short = await relasi(['create-admin', '--email', 'b@example.com', '--name', 'B'], {
      ...db,
      RELASI_ADMIN_PASSWORD: 'short',
    });
    expect(short.code).toBe(2);

    server = await startServer({ databaseUrl: url });
    const me = await server.login('ops@example.com', 'first-password-123');
    const self = await server.http.get('/api/v1/auth/me').set('authorization', `Bearer ${me}`);
    expect(self.status).toBe(200);

    const reset = await relasi(['reset-password', '--email', 'ops@example.com'], {
      ...db,
      RELASI_ADMIN_PASSWORD: 'second-password-456',
    });
    expect(reset.code).toBe(0);
    const old = await server.http
      .post('/api/v1/auth/login')
      .send({ email: 'ops@example.com', password: 'first-password-123' });
    expect(old.status).toBe(401);
    await server.login('ops@example.com', 'second-password-456');
    const nobody = await relasi(['reset-password', '--email', 'nobody@example.com'], db);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no user with the email nobody@example.com');
    // A running server folds the board's running totals every minute: the later backup test
    // compares row counts of the source with the restored copy, so nothing may write meanwhile.
    await server.stop();
    server = null;
  });

  it('config-check lists every problem of a broken config with its path and exits 1', async () => {
    const bad = file('bad.yaml');
    writeFileSync(bad, 'version: 1\napi:\n  maxPageSize: -1\n  maxBulkItems: 0\n');
    const run = await relasi(['config-check', '--config', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/api/maxPageSize: must be >= 1');
    expect(run.stderr).toContain('/api/maxBulkItems: must be >= 1');
    const good = file('good.yaml');
    writeFileSync(good, 'version: 1\n');
    const ok = await relasi(['config-check', '--config', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('config is valid');
  });

  it('seed-demo fills the database through the API once, then refuses without --force', async () => {
    const seeded = await relasi(['seed-demo', '--scale', '1'], db);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    const [counts] = await sql<Record<string, number>>(
      url,
      `SELECT (SELECT count(*)::int FROM accounts) AS accounts,
              (SELECT count(*)::int FROM contacts) AS contacts,
              (SELECT count(*)::int FROM opportunities) AS opportunities,
              (SELECT count(*)::int FROM leads) AS leads,
              (SELECT count(*)::int FROM record_history) AS history,
              (SELECT count(*)::int FROM api_keys WHERE revoked_at IS NULL) AS open_keys`,
    );
    expect(counts).toMatchObject({ accounts: 10, contacts: 20, opportunities: 10, leads: 10 });
    expect(counts.history).toBeGreaterThan(0);
    expect(counts.open_keys).toBe(0);
    const twice = await relasi(['seed-demo', '--scale', '1'], db);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('--force');
  });

  it('backup then restore into an empty database gives the same rows; a damaged file is refused', async () => {
    const archive = file('backup.relasi');
    const backup = await relasi(['backup', '--out', archive], db);
    expect(backup.code).toBe(0);

    const target = await emptyDatabase();
    const restored = await relasi(['restore', '--in', archive], { DATABASE_URL: target });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);

    const tables = await sql<{ name: string }>(
      url,
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`,
    );
    // Every table's count in one statement per database: a connection per table made this
    // test slow enough to time out on a busy machine.
    const counts = tables
      .map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`)
      .join(' UNION ALL ');
    const byName = (rows: Count[]) => Object.fromEntries(rows.map((r) => [r.name, r.n]));
    expect(byName(await sql<Count>(target, counts))).toEqual(byName(await sql<Count>(url, counts)));
    const sample = `SELECT id, name, amount_amount::text AS amount, amount_currency, created_at::text AS created_at,
                           updated_at::text AS updated_at, expected_close_date::text AS close
                      FROM opportunities ORDER BY id LIMIT 5`;
    const before = await sql(url, sample);
    expect(before).toHaveLength(5);
    expect(await sql(target, sample)).toEqual(before);
    const users = `SELECT email, password_hash, created_at::text AS created_at FROM users ORDER BY id`;
    expect(await sql(target, users)).toEqual(await sql(url, users));

    const again = await relasi(['restore', '--in', archive], { DATABASE_URL: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');

    const whole = readFileSync(archive);
    const truncated = file('truncated.relasi');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const edited = file('edited.relasi');
    const text = gunzipSync(whole).toString('utf8');
    writeFileSync(edited, gzipSync(text.replace('Intro call', 'Intro cell')));
    const fresh = await emptyDatabase();
    for (const damaged of [truncated, edited]) {
      const run = await relasi(['restore', '--in', damaged], { DATABASE_URL: fresh });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('nothing was restored');
    }
    const left = await sql<{ n: number }>(fresh, `SELECT count(*)::int AS n FROM users`);
    expect(left[0].n).toBe(0);
  }, 300_000);
});
