/**
 * The floor Relasi is measured against: node:http and a pg Pool of the same size, running the
 * same SQL Relasi runs for the same two requests, with no framework, no authentication and no
 * mapping beyond what JSON needs. Started by bench/run.ts as a child process, like Relasi.
 *
 * Environment: DATABASE_URL, PORT, BENCH_POOL_SIZE, BENCH_STATEMENT_TIMEOUT_MS, BENCH_LIST_SQL
 * (the list statement with `$1` for the last name), BENCH_LIST_LIMIT.
 */
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';

const GET_SQL = 'SELECT c.* FROM contacts c WHERE c.id = $1 AND c.deleted_at IS NULL AND TRUE';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const listSql = required('BENCH_LIST_SQL');
const listLimit = Number(required('BENCH_LIST_LIMIT'));
const pool = new pg.Pool({
  connectionString: required('DATABASE_URL'),
  max: Number(required('BENCH_POOL_SIZE')),
  statement_timeout: Number(process.env.BENCH_STATEMENT_TIMEOUT_MS ?? 15_000),
  application_name: 'relasi-bench-baseline',
  connectionTimeoutMillis: 10_000,
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function getContact(id: string, res: ServerResponse): Promise<void> {
  const { rows } = await pool.query(GET_SQL, [id]);
  if (rows.length === 0) send(res, 404, { status: 404 });
  else send(res, 200, rows[0]);
}

async function listContacts(lastName: string, res: ServerResponse): Promise<void> {
  const { rows } = await pool.query<Record<string, unknown>>(listSql, [lastName]);
  const page = rows.slice(0, listLimit).map(({ __k0, __k1, ...row }) => {
    void __k0;
    void __k1;
    return row;
  });
  const last = rows.length > listLimit ? rows[listLimit - 1] : null;
  const nextCursor = last
    ? Buffer.from(JSON.stringify([last.__k0, last.__k1])).toString('base64url')
    : null;
  send(res, 200, { data: page, meta: { nextCursor, limit: listLimit } });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let work: Promise<void>;
  if (url.pathname === '/health') {
    work = Promise.resolve(send(res, 200, { status: 'ok' }));
  } else if (url.pathname === '/api/v1/contacts') {
    const lastName = url.searchParams.get('filter[lastName][eq]');
    work = lastName
      ? listContacts(lastName, res)
      : Promise.resolve(send(res, 400, { status: 400 }));
  } else if (url.pathname.startsWith('/api/v1/contacts/')) {
    const id = url.pathname.slice('/api/v1/contacts/'.length);
    work = UUID.test(id) ? getContact(id, res) : Promise.resolve(send(res, 400, { status: 400 }));
  } else {
    work = Promise.resolve(send(res, 404, { status: 404 }));
  }
  work.catch((e: unknown) => {
    process.stderr.write(`baseline: ${String(e)}\n`);
    if (!res.headersSent) send(res, 500, { status: 500 });
  });
});

server.keepAliveTimeout = 72_000;
server.listen(Number(required('PORT')), '127.0.0.1', () => process.stdout.write('listening\n'));

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
