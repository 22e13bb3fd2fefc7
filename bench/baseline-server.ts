/**
 * The floor Relasi is measured against: node:http and a pg Pool of the same size, running the
 * same SQL Relasi runs for the same requests, with no framework, no authentication, no
 * validation library, no permission checks and no mapping beyond what JSON needs. Started by
 * bench/run.ts as a child process, like Relasi.
 *
 *  - GET /api/v1/contacts/{id}: the same SELECT by id.
 *  - GET /api/v1/contacts?filter[lastName][eq]=… and ?filter[account.industry][eq]=…: the
 *    list statements Relasi builds for them (given by run.ts, built by the same
 *    `buildListQuery`), with the page and cursor made from the extra sort-key columns.
 *  - POST /api/v1/contacts: what Relasi writes for a create, as read from
 *    pg_stat_statements, in one transaction on one connection: the duplicate check by e-mail,
 *    the INSERT … RETURNING c.*, the history row (every non-empty field of the new record as
 *    a change) and the outbox row (`contact.created` with the record and its changes), then
 *    pg_notify and COMMIT. It does not check field types or lengths, custom fields, access
 *    rights, a referenced account, nor duplicates by name and phone; the name key is the
 *    lower-cased name (the bench's names are ASCII). Its outbox rows are written already
 *    dispatched and its NOTIFY goes to a channel nobody listens on, so that Relasi's event
 *    dispatcher does no work for the baseline's rows.
 *  - POST /api/v1/contacts/bulk: the same for `{ items: [...] }`, but all items in one
 *    transaction: the duplicate check per e-mail, then one multi-row statement each for
 *    contacts, history and outbox, where Relasi runs each item's own statements (one
 *    transaction for the lot when every item passes).
 *
 * Environment: DATABASE_URL, PORT, BENCH_POOL_SIZE, BENCH_STATEMENT_TIMEOUT_MS, BENCH_LIST_SQL
 * (the list statement with `$1` for the last name), BENCH_RELATION_SQL (the relation-filter
 * statement with `$1` for the industry), BENCH_LIST_LIMIT, BENCH_OWNER_ID (the user who
 * creates: owner, creator and actor of the new contacts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { uuidv7 } from '#platform/database/uuid7.js';

const GET_SQL = 'SELECT c.* FROM contacts c WHERE c.id = $1 AND c.deleted_at IS NULL AND TRUE';
const DUPLICATE_SQL = `WITH matched AS MATERIALIZED (
    SELECT id, created_at, updated_at FROM contacts WHERE deleted_at IS NULL AND email_keys && $1::text[])
  SELECT id FROM matched ORDER BY created_at LIMIT 1`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Columns of a new contact the history leaves out, as Relasi's history does. */
const NOT_IN_HISTORY = new Set([
  'id',
  'created_at',
  'updated_at',
  'created_by_id',
  'updated_by_id',
  'version',
  'name_key',
  'email_keys',
  'phone_keys',
  'deleted_at',
]);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const listSql = required('BENCH_LIST_SQL');
const relationSql = required('BENCH_RELATION_SQL');
const listLimit = Number(required('BENCH_LIST_LIMIT'));
const ownerId = required('BENCH_OWNER_ID');
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

async function listContacts(sql: string, value: string, res: ServerResponse): Promise<void> {
  const { rows } = await pool.query<Record<string, unknown>>(sql, [value]);
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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

type Item = Record<string, string | undefined>;
const CONTACT_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'email',
  'title',
  'owner_id',
  'team_id',
  'custom_fields',
  'name_key',
  'email_keys',
  'phone_keys',
  'created_by_id',
  'updated_by_id',
];

/** The column values of a new contact, in CONTACT_COLUMNS order. */
function contactValues(item: Item): unknown[] {
  const email = item.email?.trim().toLowerCase();
  return [
    uuidv7(),
    item.firstName ?? null,
    item.lastName,
    item.email ?? null,
    item.title ?? null,
    ownerId,
    null,
    '{}',
    [item.firstName, item.lastName].filter(Boolean).join(' ').toLowerCase(),
    email ? [email] : [],
    [],
    ownerId,
    ownerId,
  ];
}

/** `($1, $2, …), ($n, …)` for `rows` rows of `width` parameters. */
function valuesList(rows: number, width: number): string {
  return Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
  ).join(', ');
}

/** Writes contacts with their history and outbox rows in one transaction. */
async function createContacts(items: Item[]): Promise<Record<string, unknown>[] | null> {
  const requestId = uuidv7();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One lookup per e-mail, as the API does: one statement with a thousand keys is planned
    // as a scan of every contact (11.8 s at 1,000,000 contacts, against 1.9 s for the API).
    for (const item of items) {
      const email = item.email?.trim().toLowerCase();
      if (email && (await client.query(DUPLICATE_SQL, [[email]])).rows.length > 0) {
        await client.query('ROLLBACK');
        return null;
      }
    }
    const { rows } = await client.query<Record<string, unknown>>(
      `INSERT INTO contacts AS c (${CONTACT_COLUMNS.join(', ')}) VALUES ${valuesList(items.length, CONTACT_COLUMNS.length)} RETURNING c.*`,
      items.flatMap(contactValues),
    );
    const changes = rows.map((row) =>
      Object.entries(row)
        .filter(([k, v]) => !NOT_IN_HISTORY.has(k) && v !== null)
        .map(([field, value]) => ({ field, old: null, new: value })),
    );
    await client.query(
      `INSERT INTO record_history (id, entity, record_id, action, actor_id, request_id, changes) VALUES ${valuesList(rows.length, 7)}`,
      rows.flatMap((row, i) => [
        uuidv7(),
        'contacts',
        row.id,
        'create',
        ownerId,
        requestId,
        JSON.stringify(changes[i]),
      ]),
    );
    await client.query(
      `INSERT INTO domain_events (id, type, entity, record_id, actor_id, request_id, data, dispatched_at) VALUES ${valuesList(rows.length, 8)}`,
      rows.flatMap((row, i) => [
        uuidv7(),
        'contact.created',
        'contacts',
        row.id,
        ownerId,
        requestId,
        JSON.stringify({ record: row, changes: changes[i] }),
        new Date(),
      ]),
    );
    await client.query(`SELECT pg_notify($1, '')`, ['relasi_bench_baseline']);
    await client.query('COMMIT');
    return rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function createContact(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rows = await createContacts([(await readJson(req)) as Item]);
  if (!rows) send(res, 409, { status: 409 });
  else send(res, 201, rows[0]);
}

async function bulkCreate(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { items } = (await readJson(req)) as { items?: Item[] };
  if (!Array.isArray(items) || items.length === 0 || items.length > 1000)
    return send(res, 400, { status: 400 });
  const rows = await createContacts(items);
  if (!rows) return send(res, 409, { status: 409 });
  send(res, 200, { results: rows.map((r, index) => ({ index, status: 201, id: r.id })) });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let work: Promise<void>;
  const lastName = url.searchParams.get('filter[lastName][eq]');
  const industry = url.searchParams.get('filter[account.industry][eq]');
  if (url.pathname === '/health') {
    work = Promise.resolve(send(res, 200, { status: 'ok' }));
  } else if (url.pathname === '/api/v1/contacts' && req.method === 'POST') {
    work = createContact(req, res);
  } else if (url.pathname === '/api/v1/contacts/bulk' && req.method === 'POST') {
    work = bulkCreate(req, res);
  } else if (url.pathname === '/api/v1/contacts') {
    work = lastName
      ? listContacts(listSql, lastName, res)
      : industry
        ? listContacts(relationSql, industry, res)
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
