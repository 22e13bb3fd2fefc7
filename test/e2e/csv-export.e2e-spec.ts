import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessFactories } from '../support/access-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
customization:
  contacts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier }
        options: [{ value: gold, label: { en: Gold } }, { value: silver, label: { en: Silver } }]
      - { code: balance, type: number, label: { en: Balance } }
      - { code: creditLimit, type: money, label: { en: Credit limit } }
      - code: interests
        type: multiPicklist
        label: { en: Interests }
        options: [{ value: golf, label: { en: Golf } }, { value: tennis, label: { en: Tennis } }]
      - { code: fullName, type: formula, resultType: text, label: { en: Full name }, expression: "CONCAT(firstName, ' ', lastName)" }
`;

type Auth = { authorization: string };

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error(`unterminated last line: ${JSON.stringify(row)}`);
  return rows;
}

function asObjects(rows: string[][]): Record<string, string>[] {
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('CSV export', () => {
  let server: TestServer;
  let auth: Auth;
  const configFile = join(tmpdir(), `relasi-export-${process.pid}.yaml`);
  writeFileSync(configFile, CONFIG);

  const download = (path: string, as: Auth = auth) =>
    server.http
      .get(path)
      .set(as)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => cb(null, text));
      });

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CONFIG: configFile, CRM_JOB_POLL_MS: '200' } });
    auth = { authorization: `Bearer ${await server.login()}` };
    const contacts = [
      {
        firstName: 'Sari',
        lastName: 'Exp, "Quoted"',
        email: 'sari@export.test',
        otherEmails: ['sari@home.test', 'sari@alt.test'],
        phones: [{ number: '+62 811 000 001', label: 'mobile' }],
        title: '=HYPERLINK("http://evil.test","x")',
        description: 'two\r\nlines',
        customFields: {
          tier: 'gold',
          balance: -12.5,
          creditLimit: { amount: '-500.25', currency: 'IDR' },
          interests: ['golf', 'tennis'],
        },
      },
      {
        lastName: 'Exp Plus',
        title: '+62 21 555',
        department: '-minus',
        customFields: { tier: 'silver' },
      },
      { lastName: 'Exp At', title: '@SUM(A1:A2)', department: '\tTabbed' },
      { lastName: 'Other', title: 'Not exported' },
    ];
    for (const c of contacts)
      await server.http.post('/api/v1/contacts?allowDuplicate=true').set(auth).send(c).expect(201);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('streams the filtered, sorted list as RFC 4180 CSV with custom fields and money columns', async () => {
    const res = await download(
      '/api/v1/contacts/export?filter[lastName][startsWith]=Exp&sort=lastName',
    ).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="contacts-\d{8}-\d{6}\.csv"; filename\*=UTF-8''contacts-\d{8}-\d{6}\.csv$/,
    );
    const text = res.body as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'id',
      'salutation',
      'firstName',
      'middleName',
      'lastName',
      'email',
      'otherEmails',
      'phones',
      'accountId',
      'title',
      'department',
      'preferredLanguage',
      'timeZone',
      'birthdate',
      'lifecycleStage',
      'description',
      'ownerId',
      'teamId',
      'customFields.tier',
      'customFields.balance',
      'customFields.creditLimit.amount',
      'customFields.creditLimit.currency',
      'customFields.interests',
      'customFields.fullName',
      'createdById',
      'updatedById',
      'createdAt',
      'updatedAt',
      'version',
    ]);
    const data = asObjects(rows);
    expect(data.map((r) => r.lastName)).toEqual(['Exp At', 'Exp Plus', 'Exp, "Quoted"']);
    const [at, plus, sari] = data;
    expect(sari).toMatchObject({
      firstName: 'Sari',
      email: 'sari@export.test',
      otherEmails: 'sari@home.test;sari@alt.test',
      phones: '[{"label":"mobile","number":"+62 811 000 001"}]',
      description: 'two\r\nlines',
      lifecycleStage: 'lead',
      'customFields.tier': 'gold',
      // Numbers of numeric columns stay numbers, minus sign and all.
      'customFields.balance': '-12.5',
      'customFields.creditLimit.amount': '-500.25',
      'customFields.creditLimit.currency': 'IDR',
      'customFields.interests': 'golf;tennis',
      'customFields.fullName': 'Sari Exp, "Quoted"',
      version: '1',
    });
    // Text that a spreadsheet would run as a formula is defused with a leading apostrophe.
    expect(sari.title).toBe('\'=HYPERLINK("http://evil.test","x")');
    expect(plus.title).toBe("'+62 21 555");
    expect(plus.department).toBe("'-minus");
    expect(at.title).toBe("'@SUM(A1:A2)");
    expect(at.department).toBe("'\tTabbed");
    // The raw file quotes exactly what needs it.
    expect(text).toContain(',"Exp, ""Quoted""",');
    expect(text).toContain(',"two\r\nlines",');
  });

  it('projects columns with fields= and keeps them to what the role may read', async () => {
    const res = await download(
      '/api/v1/contacts/export?fields=lastName,customFields&filter[lastName][eq]=Exp Plus',
    ).expect(200);
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual([
      'id',
      'lastName',
      'customFields.tier',
      'customFields.balance',
      'customFields.creditLimit.amount',
      'customFields.creditLimit.currency',
      'customFields.interests',
      'customFields.fullName',
    ]);
    expect(rows).toHaveLength(2);

    const admin = await server.login();
    const users = accessFactories(server, admin);
    const role = await users.role({
      permissions: {
        admin: false,
        entities: {
          contacts: {
            create: 'none',
            read: 'all',
            update: 'none',
            delete: 'none',
            reassign: false,
          },
          accounts: {
            create: 'none',
            read: 'all',
            update: 'none',
            delete: 'none',
            reassign: false,
          },
        },
        fields: { contacts: { email: 'hidden', 'customFields.balance': 'hidden' } },
      },
    });
    const reader = await users.userWithToken(role.id);
    const hidden = await download(
      '/api/v1/contacts/export?filter[lastName][startsWith]=Exp',
      reader.auth,
    ).expect(200);
    const header = parseCsv(hidden.body as string)[0];
    expect(header).not.toContain('email');
    expect(header).not.toContain('customFields.balance');
    expect(header).toContain('customFields.tier');
    expect(hidden.body as string).not.toContain('sari@export.test');
    // A hidden field cannot be filtered on either, exactly as in the list.
    const filtered = await server.http
      .get('/api/v1/contacts/export?filter[email][eq]=sari@export.test')
      .set(reader.auth);
    expect(filtered.status).toBe(400);

    // Record scope: a rep with own-scope reads sees only their own contacts.
    const rep = await users.userWithToken('sales_rep');
    await server.http
      .post('/api/v1/contacts')
      .set(rep.auth)
      .send({ lastName: 'Exp Mine', email: 'mine@export.test' })
      .expect(201);
    const own = asObjects(
      parseCsv((await download('/api/v1/contacts/export', rep.auth).expect(200)).body as string),
    );
    expect(own.map((r) => r.lastName)).toEqual(['Exp Mine']);

    const analyst = await users.userWithToken('analyst');
    const accounts = await download('/api/v1/accounts/export', analyst.auth).expect(200);
    expect(parseCsv(accounts.body as string)[0]).toContain('annualRevenue.amount');
    const marketing = await users.userWithToken('marketing');
    const noRevenue = await download('/api/v1/accounts/export', marketing.auth).expect(200);
    expect(parseCsv(noRevenue.body as string)[0]).not.toContain('annualRevenue.amount');
  });

  it('refuses what a list refuses, and paging parameters', async () => {
    for (const [query, field] of [
      ['limit=10', 'limit'],
      ['count=exact', 'count'],
      ['include=account', 'include'],
      ['filter[shoeSize][eq]=1', 'filter[shoeSize][eq]'],
      ['sort=phones', 'sort'],
      ['fields=nope', 'fields'],
      ['cursor=garbage', 'cursor'],
      ['bogus=1', 'bogus'],
    ]) {
      const res = await server.http.get(`/api/v1/contacts/export?${query}`).set(auth);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors[0].field).toBe(field);
    }
    const admin = await server.login();
    const users = accessFactories(server, admin);
    const noRead = await users.role({ permissions: { admin: false, entities: {}, fields: {} } });
    const nobody = await users.userWithToken(noRead.id);
    await server.http.get('/api/v1/contacts/export').set(nobody.auth).expect(403);
    await server.http.get('/api/v1/contacts/export').expect(401);
  });

  it('pages through more rows than one page without losing or repeating any', async () => {
    const lines = Array.from({ length: 1100 }, (_, i) => `Many ${String(i).padStart(4, '0')}`);
    const upload = await server.http
      .post('/api/v1/imports')
      .set(auth)
      .field('entity', 'contacts')
      .field('duplicates', 'create')
      .attach('file', Buffer.from(`lastName\r\n${lines.join('\r\n')}\r\n`), 'many.csv')
      .expect(202);
    for (let i = 0; i < 200; i++) {
      const state = await server.http.get(`/api/v1/imports/${upload.body.id}`).set(auth);
      if (state.body.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await download(
      '/api/v1/contacts/export?filter[lastName][startsWith]=Many&sort=-lastName',
    ).expect(200);
    const names = asObjects(parseCsv(res.body as string)).map((r) => r.lastName);
    expect(names).toHaveLength(1100);
    expect(new Set(names).size).toBe(1100);
    expect(names[0]).toBe('Many 1099');
    expect(names[1099]).toBe('Many 0000');
  });

  it('round-trips: an export imports back into the same records', async () => {
    const res = await download(
      '/api/v1/contacts/export?filter[lastName][startsWith]=Exp&sort=lastName',
    ).expect(200);
    const before = (
      await server.http
        .get('/api/v1/contacts?filter[lastName][startsWith]=Exp&sort=lastName')
        .set(auth)
        .expect(200)
    ).body.data as Record<string, unknown>[];
    for (const c of before)
      await server.http
        .delete(`/api/v1/contacts/${c.id as string}`)
        .set(auth)
        .expect(204);
    const upload = await server.http
      .post('/api/v1/imports')
      .set(auth)
      .field('entity', 'contacts')
      .attach('file', Buffer.from(res.body as string), 'export.csv');
    expect(upload.status).toBe(202);
    // Server-set columns (id, createdAt, version, formula fields) are left unread.
    expect(upload.body.ignoredColumns).toEqual([
      'id',
      'customFields.fullName',
      'createdById',
      'updatedById',
      'createdAt',
      'updatedAt',
      'version',
    ]);
    let state: Record<string, unknown> = upload.body;
    for (let i = 0; i < 100 && !['completed', 'failed'].includes(state.status as string); i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await server.http.get(`/api/v1/imports/${upload.body.id}`).set(auth)).body;
    }
    expect(state).toMatchObject({ status: 'completed', created: before.length, failed: 0 });
    const after = (
      await server.http
        .get('/api/v1/contacts?filter[lastName][startsWith]=Exp&sort=lastName')
        .set(auth)
        .expect(200)
    ).body.data as Record<string, unknown>[];
    const content = (c: Record<string, unknown>) => {
      const {
        id: _id,
        createdAt: _c,
        updatedAt: _u,
        version: _v,
        createdById: _cb,
        updatedById: _ub,
        ...rest
      } = c;
      return rest;
    };
    expect(after.map(content)).toEqual(before.map(content));
  });
});
