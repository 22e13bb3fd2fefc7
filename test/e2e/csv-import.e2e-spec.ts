import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessFactories } from '../support/access-factories.js';
import { finished, upload, type Auth, type Import } from '../support/import-helpers.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
customization:
  contacts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier }
        default: silver
        options: [{ value: gold, label: { en: Gold } }, { value: silver, label: { en: Silver } }]
      - { code: shoeSize, type: number, label: { en: Shoe size }, min: 30, max: 50 }
      - { code: creditLimit, type: money, label: { en: Credit limit } }
      - { code: vip, type: boolean, label: { en: VIP } }
      - code: interests
        type: multiPicklist
        label: { en: Interests }
        options: [{ value: golf, label: { en: Golf } }, { value: tennis, label: { en: Tennis } }]
      - { code: nationalId, type: text, label: { en: National id }, unique: true }
  accounts:
    fields:
      - { code: externalId, type: text, label: { en: External id }, unique: true }
objects:
  - entity: projects
    label: { en: Project }
    fields:
      - { code: budget, type: money, label: { en: Budget }, required: true }
`;

function csv(rows: (string | number)[][]): Buffer {
  return Buffer.from(
    rows
      .map((r) =>
        r
          .map((c) => (/[",\r\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c))
          .join(','),
      )
      .join('\r\n') + '\r\n',
  );
}

describe('CSV import', () => {
  let server: TestServer;
  let auth: Auth;
  const configFile = join(tmpdir(), `relasi-import-${process.pid}.yaml`);
  writeFileSync(configFile, CONFIG);

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: configFile, CRM_JOB_POLL_MS: '200', CRM_IMPORT_MAX_BYTES: '200000' },
    });
    auth = { authorization: `Bearer ${await server.login()}` };
  });
  afterAll(async () => {
    await server.stop();
  });

  const contactsBy = async (filter: string) =>
    (
      await server.http
        .get(`/api/v1/contacts?${filter}&limit=100&sort=lastName`)
        .set(auth)
        .expect(200)
    ).body.data as Record<string, unknown>[];

  it('imports contacts with custom fields, money, lists and phones, with history and an event', async () => {
    const file = csv([
      [
        'E-mail',
        'First name',
        'Surname',
        'Mobile',
        'Tier',
        'Shoe',
        'Credit',
        'Cur',
        'VIP',
        'Likes',
        'Others',
        'Notes',
      ],
      [
        'sari@happy.test',
        'Sari',
        'Happy-A',
        '+62 811 000 001',
        'gold',
        '42',
        '50000000.00',
        'IDR',
        'yes',
        'golf;tennis',
        'sari@home.test; s@x.test',
        'n/a',
      ],
      ['budi@happy.test', 'Budi', 'Happy-B', '', '', '', '1000', '', 'no', '', '', ''],
    ]);
    const res = await upload(server, auth, file, {
      entity: 'contacts',
      mapping: JSON.stringify({
        'E-mail': 'email',
        'First name': 'firstName',
        Surname: 'lastName',
        Mobile: 'phones.number',
        Tier: 'customFields.tier',
        Shoe: 'customFields.shoeSize',
        Credit: 'customFields.creditLimit.amount',
        Cur: 'customFields.creditLimit.currency',
        VIP: 'customFields.vip',
        Likes: 'customFields.interests',
        Others: 'otherEmails',
        Notes: null,
      }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/imports/${res.body.id}`);
    expect(res.body).toMatchObject({
      entity: 'contacts',
      status: 'queued',
      duplicates: 'skip',
      total: 2,
      fileName: 'data.csv',
      ignoredColumns: ['Notes'],
    });
    const done = await finished(server, auth, res.body.id);
    expect(done).toMatchObject({
      status: 'completed',
      total: 2,
      processed: 2,
      created: 2,
      updated: 0,
      skipped: 0,
      failed: 0,
    });
    expect(done.startedAt).toEqual(expect.any(String));
    expect(done.finishedAt).toEqual(expect.any(String));
    const [a, b] = await contactsBy('filter[lastName][startsWith]=Happy-');
    expect(a).toMatchObject({
      email: 'sari@happy.test',
      firstName: 'Sari',
      lastName: 'Happy-A',
      otherEmails: ['sari@home.test', 's@x.test'],
      phones: [{ number: '+62 811 000 001' }],
      customFields: {
        tier: 'gold',
        shoeSize: 42,
        creditLimit: { amount: '50000000.00', currency: 'IDR' },
        vip: true,
        interests: ['golf', 'tennis'],
      },
    });
    // Defaults apply as on POST; money without a currency takes the organization's.
    expect(b.customFields).toEqual({
      tier: 'silver',
      vip: false,
      creditLimit: { amount: '1000', currency: 'IDR' },
    });
    const history = await server.http.get(`/api/v1/contacts/${a.id as string}/history`).set(auth);
    expect(history.body.data[0]).toMatchObject({ action: 'create' });
    expect(history.body.data[0].changes).toEqual(
      expect.arrayContaining([{ field: 'email', old: null, new: 'sari@happy.test' }]),
    );
    const events = await server.db.query(
      `SELECT data FROM domain_events WHERE type = 'contact.imported' AND data->>'importId' = $1`,
      [res.body.id],
    );
    expect(events.rows).toHaveLength(1);
    expect([...(events.rows[0].data.created as string[])].sort()).toEqual([a.id, b.id].sort());
    // The staged rows are gone once written.
    const staged = await server.db.query(
      `SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1`,
      [res.body.id],
    );
    expect(staged.rows[0].n).toBe(0);
  });

  it('keeps backslashes, tabs, quotes and line breaks of values exactly, in records and history', async () => {
    const description = 'Line one\n\tTabbed "quoted" C:\\Temp\\new \\N and \\t\r\nlast';
    const title = 'R&D \\ Ops';
    const file = csv([
      ['E-mail', 'Surname', 'Title', 'About'],
      ['escape@happy.test', 'Escape-A', title, description],
    ]);
    const res = await upload(server, auth, file, {
      entity: 'contacts',
      mapping: JSON.stringify({
        'E-mail': 'email',
        Surname: 'lastName',
        Title: 'title',
        About: 'description',
      }),
    });
    expect(res.status).toBe(202);
    expect(await finished(server, auth, res.body.id)).toMatchObject({
      status: 'completed',
      created: 1,
      failed: 0,
    });
    const [contact] = await contactsBy('filter[lastName][eq]=Escape-A');
    expect(contact).toMatchObject({ title, description });
    const history = await server.http
      .get(`/api/v1/contacts/${contact.id as string}/history`)
      .set(auth)
      .expect(200);
    expect(history.body.data[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'title', old: null, new: title },
        { field: 'description', old: null, new: description },
      ]),
    );
  });

  it('refuses a row with the problems POST names, and writes the history POST writes', async () => {
    const header = [
      'email',
      'firstName',
      'lastName',
      'phones.number',
      'preferredLanguage',
      'timeZone',
      'lifecycleStage',
      'customFields.tier',
      'customFields.shoeSize',
      'customFields.creditLimit.amount',
      'customFields.vip',
      'customFields.interests',
    ];
    const bad = ['bad@', 'Sam', 'Same-Bad', 'abc', 'Indonesian', 'Mars/Olympus', 'prospect'].concat(
      ['', '', '', '', ''],
    );
    const good = ['sam@same.test', 'Sam', 'Same-Good', '+62 811 000 009', 'id', 'Asia/Jakarta'];
    // No lifecycle stage: the column's default is part of the history, as on POST.
    const goodCustom = ['', 'gold', '42', '1250.50', 'yes', 'golf;tennis'];
    const res = await upload(server, auth, csv([header, bad, [...good, ...goodCustom]]), {
      entity: 'contacts',
    });
    const done = await finished(server, auth, res.body.id);
    expect(done).toMatchObject({ status: 'completed', created: 1, failed: 1 });

    // The bad row, sent as the body a client would send, to POST /contacts.
    const refused = await server.http
      .post('/api/v1/contacts')
      .set(auth)
      .send({
        email: 'bad@',
        firstName: 'Sam',
        lastName: 'Same-Bad',
        phones: [{ number: 'abc' }],
        preferredLanguage: 'Indonesian',
        timeZone: 'Mars/Olympus',
        lifecycleStage: 'prospect',
      })
      .expect(400);
    const errors = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?limit=50`)
      .set(auth)
      .expect(200);
    const problems = (list: Record<string, unknown>[]) =>
      list.map((e) => ({ field: e.field, code: e.code, message: e.message }));
    expect(problems(errors.body.data).length).toBeGreaterThanOrEqual(5);
    expect(problems(errors.body.data)).toEqual(
      expect.arrayContaining(problems(refused.body.errors)),
    );
    expect(problems(refused.body.errors)).toEqual(
      expect.arrayContaining(problems(errors.body.data)),
    );

    // The good row's history is the one POST writes for the same body.
    const posted = await server.http
      .post('/api/v1/contacts')
      .set(auth)
      .send({
        email: 'sam.posted@same.test',
        firstName: 'Sam',
        lastName: 'Same-Posted',
        phones: [{ number: '+62 811 000 009' }],
        preferredLanguage: 'id',
        timeZone: 'Asia/Jakarta',
        customFields: {
          tier: 'gold',
          shoeSize: 42,
          creditLimit: { amount: '1250.50', currency: 'IDR' },
          vip: true,
          interests: ['golf', 'tennis'],
        },
      })
      .expect(201);
    const [imported] = await contactsBy('filter[lastName][eq]=Same-Good');
    const createdChanges = async (path: string) => {
      const history = await server.http.get(`${path}/history`).set(auth).expect(200);
      const entry = (history.body.data as { action: string; changes: unknown[] }[]).at(-1)!;
      expect(entry.action).toBe('create');
      return entry.changes;
    };
    const renamed = (await createdChanges(`/api/v1/contacts/${posted.body.id as string}`)).map(
      (c) => {
        const change = c as { field: string; new: unknown };
        if (change.field === 'email') return { ...change, new: 'sam@same.test' };
        if (change.field === 'lastName') return { ...change, new: 'Same-Good' };
        return change;
      },
    );
    expect(await createdChanges(`/api/v1/contacts/${imported.id as string}`)).toEqual(renamed);

    // Accounts store money as numeric: their history is read back as stored, as POST does.
    await upload(
      server,
      auth,
      csv([
        ['name', 'annualRevenue.amount', 'annualRevenue.currency', 'employees'],
        ['Same Revenue Import', '1250000.5', 'idr', '12'],
      ]),
      { entity: 'accounts' },
    ).then((r) => finished(server, auth, r.body.id));
    const account = await server.http
      .post('/api/v1/accounts')
      .set(auth)
      .send({
        name: 'Same Revenue Post',
        annualRevenue: { amount: '1250000.5', currency: 'IDR' },
        employees: 12,
      })
      .expect(201);
    const [importedAccount] = (
      await server.http
        .get('/api/v1/accounts?filter[name][eq]=Same Revenue Import')
        .set(auth)
        .expect(200)
    ).body.data as { id: string }[];
    const accountChanges = (await createdChanges(`/api/v1/accounts/${account.body.id as string}`))
      .map((c) => c as { field: string; new: unknown })
      .map((c) => (c.field === 'name' ? { ...c, new: 'Same Revenue Import' } : c));
    expect(await createdChanges(`/api/v1/accounts/${importedAccount.id}`)).toEqual(accountChanges);
  });

  it('reports bad rows with row, column, field and rule while the good rows land', async () => {
    const file = csv([
      ['email', 'lastName', 'customFields.tier', 'customFields.shoeSize'],
      ['ok1@rows.test', 'Rows-1', 'gold', '40'],
      ['not-an-email', 'Rows-2', 'gold', '40'],
      ['ok3@rows.test', 'Rows-3', 'platinum', '99'],
      ['ok4@rows.test', 'Rows-4', 'silver'],
      ['ok5@rows.test', 'Rows-5', 'silver', 'big'],
      ['ok6@rows.test', 'Rows-6', '', ''],
    ]);
    const res = await upload(server, auth, file, { entity: 'contacts' });
    expect(res.status).toBe(202);
    const done = await finished(server, auth, res.body.id);
    expect(done).toMatchObject({ status: 'completed', processed: 6, created: 2, failed: 4 });
    const rows = await contactsBy('filter[lastName][startsWith]=Rows-');
    expect(rows.map((r) => r.lastName)).toEqual(['Rows-1', 'Rows-6']);

    const errors = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?limit=50`)
      .set(auth)
      .expect(200);
    const brief = (errors.body.data as Record<string, unknown>[]).map((e) => [
      e.rowNumber,
      e.line,
      e.column,
      e.field,
      e.code,
    ]);
    expect(brief).toEqual([
      [2, 3, 'email', 'email', 'isEmail'],
      [3, 4, 'customFields.tier', 'customFields.tier', 'isIn'],
      [3, 4, 'customFields.shoeSize', 'customFields.shoeSize', 'max'],
      [4, 5, null, null, 'columnCount'],
      [5, 6, 'customFields.shoeSize', 'customFields.shoeSize', 'isNumber'],
    ]);
    expect(errors.body.data[0]).toMatchObject({
      value: 'not-an-email',
      message: 'must be an email address',
    });
    // Keyset pages and filters of the shared list mechanism.
    const page = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?limit=2`)
      .set(auth)
      .expect(200);
    expect(page.body.data).toHaveLength(2);
    const next = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?limit=10&cursor=${page.body.meta.nextCursor}`)
      .set(auth)
      .expect(200);
    expect(next.body.data.map((e: { rowNumber: number }) => e.rowNumber)).toEqual([3, 4, 5]);
    const filtered = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?filter[code][eq]=isIn`)
      .set(auth)
      .set('accept-language', 'id')
      .expect(200);
    expect(filtered.body.data).toEqual([
      expect.objectContaining({
        rowNumber: 3,
        message: expect.stringContaining('harus salah satu'),
      }),
    ]);

    const projected = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors?fields=rowNumber,code&limit=1`)
      .set(auth)
      .expect(200);
    expect(Object.keys(projected.body.data[0]).sort()).toEqual(['code', 'id', 'rowNumber']);
    for (const bad of ['fields=nope', 'include=import', 'sort=message', 'filter[value][eq]=x'])
      await server.http.get(`/api/v1/imports/${res.body.id}/errors?${bad}`).set(auth).expect(400);

    // The failed rows as CSV, ready to be corrected and imported again.
    const failedCsv = await server.http
      .get(`/api/v1/imports/${res.body.id}/errors/export`)
      .set(auth)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    expect(failedCsv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (failedCsv.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('row,line,errors,email,lastName,customFields.tier,customFields.shoeSize');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('2,3,email: must be an email address,not-an-email,Rows-2,gold,40');
    expect(lines[2]).toMatch(
      /^3,4,"customFields.tier: must be one of: gold, silver; customFields.shoeSize: must be at most 50",ok3@rows.test,Rows-3,platinum,99$/,
    );
  });

  it('skips or updates rows that match existing records, and waits for in-file duplicates', async () => {
    const existing = await server.http
      .post('/api/v1/contacts')
      .set(auth)
      .send({ lastName: 'Dup-Old', email: 'old@dup.test', title: 'Intern' })
      .expect(201);
    const file = csv([
      ['email', 'lastName', 'title'],
      ['OLD@dup.test', 'Dup-Old', 'Director'],
      ['new@dup.test', 'Dup-New', 'Analyst'],
      ['new@dup.test', 'Dup-New', 'Manager'],
    ]);
    const skip = await upload(server, auth, file, { entity: 'contacts', duplicates: 'skip' });
    const skipped = await finished(server, auth, skip.body.id);
    expect(skipped).toMatchObject({ status: 'completed', created: 1, skipped: 2, failed: 0 });
    const afterSkip = await contactsBy('filter[lastName][startsWith]=Dup-');
    expect(afterSkip.map((c) => [c.lastName, c.title])).toEqual([
      ['Dup-New', 'Analyst'],
      ['Dup-Old', 'Intern'],
    ]);

    const update = await upload(server, auth, file, { entity: 'contacts', duplicates: 'update' });
    const updated = await finished(server, auth, update.body.id);
    expect(updated).toMatchObject({ status: 'completed', created: 0, updated: 3, failed: 0 });
    const afterUpdate = await contactsBy('filter[lastName][startsWith]=Dup-');
    expect(afterUpdate.map((c) => [c.lastName, c.title])).toEqual([
      ['Dup-New', 'Manager'],
      ['Dup-Old', 'Director'],
    ]);
    const history = await server.http
      .get(`/api/v1/contacts/${existing.body.id as string}/history`)
      .set(auth);
    // Matched case-insensitively by email; the row's cells are what the record now holds.
    expect(history.body.data[0].action).toBe('update');
    expect(history.body.data[0].changes).toEqual([
      { field: 'email', old: 'old@dup.test', new: 'OLD@dup.test' },
      { field: 'title', old: 'Intern', new: 'Director' },
    ]);

    const create = await upload(server, auth, file, { entity: 'contacts', duplicates: 'create' });
    expect(await finished(server, auth, create.body.id)).toMatchObject({ created: 3 });
    expect(await contactsBy('filter[lastName][startsWith]=Dup-')).toHaveLength(5);
  });

  it('matches accounts by an externalId custom field', async () => {
    const file = csv([
      ['Ref', 'Name', 'Employees'],
      ['ERP-1', 'Ext One', '10'],
      ['ERP-2', 'Ext Two', '20'],
    ]);
    const mapping = JSON.stringify({
      Ref: 'customFields.externalId',
      Name: 'name',
      Employees: 'employees',
    });
    const first = await upload(server, auth, file, { entity: 'accounts', mapping });
    expect(await finished(server, auth, first.body.id)).toMatchObject({ created: 2 });
    const renamed = csv([
      ['Ref', 'Name', 'Employees'],
      ['ERP-1', 'Ext One Renamed', '11'],
      ['ERP-3', 'Ext Three', '30'],
    ]);
    const second = await upload(server, auth, renamed, {
      entity: 'accounts',
      mapping,
      duplicates: 'update',
    });
    expect(await finished(server, auth, second.body.id)).toMatchObject({ created: 1, updated: 1 });
    const list = await server.http
      .get('/api/v1/accounts?filter[name][startsWith]=Ext&sort=name')
      .set(auth)
      .expect(200);
    expect(list.body.data.map((a: Record<string, unknown>) => [a.name, a.employees])).toEqual([
      ['Ext One Renamed', 11],
      ['Ext Three', 30],
      ['Ext Two', 20],
    ]);
  });

  it('imports custom objects, with money parts and the required custom field checked', async () => {
    const file = csv([
      ['name', 'customFields.budget.amount', 'customFields.budget.currency'],
      ['Warehouse', '1500.50', 'usd'],
      ['No budget', '', ''],
    ]);
    const res = await upload(server, auth, file, { entity: 'projects' });
    expect(await finished(server, auth, res.body.id)).toMatchObject({ created: 1, failed: 1 });
    const errors = await server.http.get(`/api/v1/imports/${res.body.id}/errors`).set(auth);
    expect(errors.body.data).toEqual([
      expect.objectContaining({ rowNumber: 2, field: 'customFields.budget', code: 'required' }),
    ]);
    const projects = await server.http.get('/api/v1/projects').set(auth).expect(200);
    expect(projects.body.data[0].customFields.budget).toEqual({
      amount: '1500.50',
      currency: 'USD',
    });
  });

  it('answers the first import again for the same Idempotency-Key and file, 422 for another file', async () => {
    const file = csv([
      ['email', 'lastName'],
      ['idem@key.test', 'Idem-1'],
    ]);
    const key = { 'idempotency-key': 'import-key-1' };
    const first = await upload(server, auth, file, { entity: 'contacts' }, key);
    expect(first.status).toBe(202);
    await finished(server, auth, first.body.id);
    const again = await upload(server, auth, file, { entity: 'contacts' }, key);
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toMatchObject({ id: first.body.id, status: 'completed', created: 1 });
    expect(await contactsBy('filter[lastName][eq]=Idem-1')).toHaveLength(1);
    const imports = await server.db.query(
      `SELECT count(*)::int AS n FROM imports WHERE idempotency_key = $1`,
      ['import-key-1'],
    );
    expect(imports.rows[0].n).toBe(1);

    const other = csv([
      ['email', 'lastName'],
      ['idem2@key.test', 'Idem-2'],
    ]);
    const mismatch = await upload(server, auth, other, { entity: 'contacts' }, key);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('idempotency_mismatch');
  });

  it('lets only permitted callers import, and keeps imports private to their owner', async () => {
    const admin = await server.login();
    const users = accessFactories(server, admin);
    const analyst = await users.userWithToken('analyst');
    const file = csv([
      ['email', 'lastName'],
      ['perm@access.test', 'Perm'],
    ]);
    const denied = await upload(server, analyst.auth, file, { entity: 'contacts' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');

    const rep = await users.userWithToken('sales_rep');
    const mine = await upload(server, rep.auth, file, { entity: 'contacts' });
    expect(mine.status).toBe(202);
    const done = await finished(server, rep.auth, mine.body.id);
    expect(done).toMatchObject({ created: 1, ownerId: rep.user.id });
    const contact = (await contactsBy('filter[lastName][eq]=Perm'))[0];
    expect(contact.ownerId).toBe(rep.user.id);

    const other = await users.userWithToken('sales_rep');
    await server.http.get(`/api/v1/imports/${mine.body.id}`).set(other.auth).expect(404);
    await server.http.get(`/api/v1/imports/${mine.body.id}/errors`).set(other.auth).expect(404);
    await server.http.post(`/api/v1/imports/${mine.body.id}/cancel`).set(other.auth).expect(404);
    await server.http.get(`/api/v1/imports/${mine.body.id}`).set(auth).expect(200);
    const listed = await server.http.get('/api/v1/imports').set(other.auth).expect(200);
    expect(listed.body.data).toEqual([]);
    const ownList = await server.http.get('/api/v1/imports').set(rep.auth).expect(200);
    expect(ownList.body.data.map((i: Import) => i.id)).toEqual([mine.body.id]);

    // A rep may not reassign: an ownerId column is refused up front.
    const owned = await upload(server, rep.auth, file, {
      entity: 'contacts',
      mapping: JSON.stringify({ email: 'email', lastName: 'ownerId' }),
    });
    expect(owned.status).toBe(403);
    expect(owned.body.code).toBe('reassign_forbidden');
  });

  it('refuses bad uploads with clear 4xx answers', async () => {
    const file = csv([
      ['email', 'lastName'],
      ['bad@input.test', 'Bad'],
    ]);
    const noFile = await upload(server, auth, null, { entity: 'contacts' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors).toEqual([
      expect.objectContaining({ field: 'file', code: 'required' }),
    ]);

    const unknownEntity = await upload(server, auth, file, { entity: 'spaceships' });
    expect(unknownEntity.status).toBe(400);
    expect(unknownEntity.body.errors[0]).toMatchObject({ field: 'entity', code: 'isIn' });

    const unknownField = await upload(server, auth, file, {
      entity: 'contacts',
      mapping: JSON.stringify({ email: 'email', lastName: 'surname' }),
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toEqual([
      expect.objectContaining({ field: 'mapping.lastName', code: 'unknownField' }),
    ]);

    const notInFile = await upload(server, auth, file, {
      entity: 'contacts',
      mapping: JSON.stringify({ 'E-mail': 'email', lastName: 'lastName' }),
    });
    expect(notInFile.status).toBe(400);
    expect(notInFile.body.errors).toEqual([
      expect.objectContaining({ field: 'mapping.E-mail', code: 'notInFile' }),
    ]);

    const malformed = await upload(server, auth, file, { entity: 'contacts', mapping: '{email:' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'mapping', code: 'isJson' });

    const badMode = await upload(server, auth, file, { entity: 'contacts', duplicates: 'merge' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.errors[0]).toMatchObject({ field: 'duplicates', code: 'isIn' });

    const longEntity = await upload(server, auth, file, { entity: 'c'.repeat(101) });
    expect(longEntity.status).toBe(400);
    expect(longEntity.body.errors[0]).toMatchObject({ field: 'entity', code: 'maxLength' });

    const longColumn = await upload(
      server,
      auth,
      Buffer.from(`email,${'n'.repeat(1001)}\r\nx@y.test,N\r\n`),
      {
        entity: 'contacts',
      },
    );
    expect(longColumn.status).toBe(400);
    expect(longColumn.body.errors[0]).toMatchObject({ field: 'file', code: 'isCsv' });
    expect(longColumn.body.errors[0].message).toMatch(/1001 characters/);

    const garbage = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe]);
    const binary = await upload(server, auth, garbage, { entity: 'contacts' });
    expect(binary.status).toBe(400);
    expect(binary.body.errors[0]).toMatchObject({ field: 'file', code: 'isCsv' });

    const latin1 = await upload(
      server,
      auth,
      Buffer.from('email,lastName\r\nx@y.test,M\xfcller\r\n', 'latin1'),
      {
        entity: 'contacts',
      },
    );
    expect(latin1.status).toBe(400);
    expect(latin1.body.errors[0].message).toMatch(/UTF-8/);

    const unclosed = await upload(
      server,
      auth,
      Buffer.from('email,lastName\r\n"x@y.test,Open\r\n'),
      {
        entity: 'contacts',
      },
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.errors[0]).toMatchObject({ field: 'file', code: 'isCsv' });

    const headerOnly = await upload(server, auth, Buffer.from('email,lastName\r\n'), {
      entity: 'contacts',
    });
    expect(headerOnly.status).toBe(400);

    const big = Buffer.from(`email,lastName\r\n${'a@b.test,Big\r\n'.repeat(20_000)}`);
    const tooLarge = await upload(server, auth, big, { entity: 'contacts' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('payload_too_large');

    const json = await server.http.post('/api/v1/imports').set(auth).send({ entity: 'contacts' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('multipart_required');

    const plain = await server.http
      .post('/api/v1/imports')
      .set(auth)
      .set('content-type', 'text/csv')
      .send('email,lastName\r\n');
    expect(plain.status).toBe(415);

    // Nothing of the refused uploads was kept.
    const staged = await server.db.query(
      `SELECT count(*)::int AS n FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = r.import_id)`,
    );
    expect(staged.rows[0].n).toBe(0);
    // The server still answers on the same connections.
    await server.http.get('/api/v1/imports').set(auth).expect(200);
  });
});
