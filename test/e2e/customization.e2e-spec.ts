import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  freshDatabase,
  runUntilExit,
  startServer,
  type TestServer,
} from '../support/test-server.js';

const run = promisify(execFile);

const CONFIG = `
version: 1
customization:
  contacts:
    fields:
      - { code: shoeSize, type: number, label: { en: Shoe size, id: Ukuran sepatu }, min: 30, max: 50, indexed: true }
      - code: tier
        type: picklist
        label: { en: Tier }
        default: silver
        options: [{ value: gold, label: { en: Gold, id: Emas } }, { value: silver, label: { en: Silver, id: Perak } }]
      - { code: nationalId, type: text, label: { en: National id }, unique: true, regex: '^[0-9]{16}$' }
      - { code: creditLimit, type: money, label: { en: Credit limit } }
      - { code: birthday, type: date, label: { en: Birthday } }
      - { code: vip, type: boolean, label: { en: VIP } }
      - code: interests
        type: multiPicklist
        label: { en: Interests }
        options: [{ value: golf, label: { en: Golf } }, { value: tennis, label: { en: Tennis } }]
      - { code: referredBy, type: reference, references: contacts, label: { en: Referred by } }
      - { code: lostReason, type: text, label: { en: Lost reason }, maxLength: 200 }
      - { code: secretNote, type: text, label: { en: Secret note } }
    picklists:
      lifecycleStage:
        - { value: lead, label: { en: Lead, id: Prospek } }
        - { value: customer, label: { en: Customer, id: Pelanggan } }
        - { value: churned, label: { en: Churned, id: Berhenti } }
    rules:
      - field: customFields.lostReason
        requiredWhen: { field: lifecycleStage, op: eq, value: churned }
        message: { en: Say why the customer left, id: Sebutkan alasan pelanggan pergi }
  accounts:
    fields:
      - { code: revenuePerEmployee, type: formula, resultType: decimal, label: { en: Revenue per employee }, expression: 'annualRevenue.amount / employees' }
      - code: sizeBand
        type: formula
        resultType: text
        label: { en: Size band }
        expression: "IF(employees >= 1000, 'enterprise', IF(employees >= 50, 'mid', 'small'))"
      - { code: contactCount, type: rollup, label: { en: Contacts }, rollup: { entity: contacts, via: accountId, function: count } }
      - code: customerContacts
        type: rollup
        label: { en: Customer contacts }
        rollup: { entity: contacts, via: accountId, function: count, filter: [{ field: lifecycleStage, op: eq, value: customer }] }
      - { code: largestShoe, type: rollup, label: { en: Largest shoe }, rollup: { entity: contacts, via: accountId, function: max, field: customFields.shoeSize } }
    picklists:
      industry:
        - { value: retail, label: { en: Retail } }
        - { value: banking, label: { en: Banking } }
`;

function writeConfig(name: string, text: string): string {
  const file = join(tmpdir(), `relasi-${name}-${process.pid}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('customization from crm.config.yaml', () => {
  let server: TestServer;
  let auth: { authorization: string };
  const configFile = writeConfig('custom', CONFIG);

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CONFIG: configFile } });
    auth = { authorization: `Bearer ${await server.login()}` };
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = (body: Record<string, unknown>) =>
    server.http.post('/api/v1/contacts?allowDuplicate=true').set(auth).send(body);

  it('stores typed custom values, applies defaults and normalizes date-times', async () => {
    const res = await create({
      lastName: 'Custom',
      customFields: {
        shoeSize: 42,
        nationalId: '3171234567890001',
        creditLimit: { amount: '50000000.00', currency: 'IDR' },
        birthday: '1990-02-28',
        vip: true,
        interests: ['golf', 'golf'],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.customFields).toEqual({
      shoeSize: 42,
      tier: 'silver',
      nationalId: '3171234567890001',
      creditLimit: { amount: '50000000.00', currency: 'IDR' },
      birthday: '1990-02-28',
      vip: true,
      interests: ['golf'],
    });
  });

  it.each([
    [{ shoeSize: 60 }, 'customFields.shoeSize', 'max'],
    [{ shoeSize: '42' }, 'customFields.shoeSize', 'isNumber'],
    [{ tier: 'platinum' }, 'customFields.tier', 'isIn'],
    [{ nationalId: '12' }, 'customFields.nationalId', 'matches'],
    [
      { creditLimit: { amount: 5, currency: 'IDR' } },
      'customFields.creditLimit.amount',
      'isDecimal',
    ],
    [{ birthday: '1990-02-30' }, 'customFields.birthday', 'isDate'],
    [{ vip: 'yes' }, 'customFields.vip', 'isBoolean'],
    [{ interests: ['chess'] }, 'customFields.interests', 'isIn'],
    [{ referredBy: 'x' }, 'customFields.referredBy', 'isUuid'],
    [{ referredBy: '0192f000-0000-7000-8000-00000000cafe' }, 'customFields.referredBy', 'notFound'],
    [{ lostReason: 'x'.repeat(201) }, 'customFields.lostReason', 'maxLength'],
    [{ hatSize: 3 }, 'customFields.hatSize', 'unknownField'],
  ])('rejects custom values %o', async (customFields, field, code) => {
    const res = await create({ lastName: 'Bad', customFields });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('refuses a second record with the same unique value', async () => {
    await create({ lastName: 'U1', customFields: { nationalId: '3171234567890002' } }).expect(201);
    const res = await create({ lastName: 'U2', customFields: { nationalId: '3171234567890002' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'unique_violation', field: 'customFields.nationalId' });
  });

  it('filters and sorts on custom fields of every kind', async () => {
    const a = await create({
      lastName: 'FiltA',
      customFields: {
        shoeSize: 38,
        tier: 'gold',
        birthday: '1985-06-01',
        vip: false,
        interests: ['tennis'],
        creditLimit: { amount: '100.00', currency: 'IDR' },
      },
    });
    const b = await create({
      lastName: 'FiltB',
      customFields: {
        shoeSize: 45,
        birthday: '2001-01-15',
        vip: true,
        interests: ['golf', 'tennis'],
        referredBy: a.body.id,
      },
    });
    const names = async (qs: string) => {
      const res = await server.http
        .get(`/api/v1/contacts?filter[lastName][startsWith]=Filt&${qs}`)
        .set(auth);
      expect(res.status).toBe(200);
      return res.body.data.map((r: { lastName: string }) => r.lastName);
    };
    expect(await names('filter[customFields.shoeSize][gte]=40')).toEqual(['FiltB']);
    expect(await names('filter[customFields.tier][eq]=gold')).toEqual(['FiltA']);
    expect(await names('filter[customFields.birthday][lt]=1990-01-01')).toEqual(['FiltA']);
    expect(await names('filter[customFields.vip][eq]=true')).toEqual(['FiltB']);
    expect(await names('filter[customFields.interests][contains]=golf')).toEqual(['FiltB']);
    expect(await names('filter[customFields.creditLimit.amount][gte]=50')).toEqual(['FiltA']);
    expect(await names(`filter[customFields.referredBy][eq]=${a.body.id as string}`)).toEqual([
      'FiltB',
    ]);
    expect(await names('sort=-customFields.shoeSize')).toEqual(['FiltB', 'FiltA']);
    expect(await names('sort=customFields.birthday')).toEqual(['FiltA', 'FiltB']);
    const bad = await server.http
      .get('/api/v1/contacts?filter[customFields.shoeSize][gt]=big')
      .set(auth);
    expect(bad.status).toBe(400);
    expect(b.status).toBe(201);
  });

  it('patches custom fields key by key and records each change in history', async () => {
    const c = await create({ lastName: 'Hist', customFields: { shoeSize: 40 } });
    const res = await server.http
      .patch(`/api/v1/contacts/${c.body.id as string}`)
      .set(auth)
      .send({ customFields: { shoeSize: 41, vip: true } });
    expect(res.status).toBe(200);
    expect(res.body.customFields).toEqual({ shoeSize: 41, tier: 'silver', vip: true });
    const cleared = await server.http
      .patch(`/api/v1/contacts/${c.body.id as string}`)
      .set(auth)
      .send({ customFields: { vip: null } });
    expect(cleared.body.customFields).toEqual({ shoeSize: 41, tier: 'silver' });
    const history = await server.http
      .get(`/api/v1/contacts/${c.body.id as string}/history`)
      .set(auth);
    expect(history.body.data[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'customFields.shoeSize', old: 40, new: 41 },
        { field: 'customFields.vip', old: null, new: true },
      ]),
    );
  });

  it('computes formula and roll-up fields in SQL: read-only, filterable, sortable, always current', async () => {
    const acct = await server.http
      .post('/api/v1/accounts')
      .set(auth)
      .send({
        name: 'Rollup Co',
        employees: 40,
        annualRevenue: { amount: '1000000.00', currency: 'IDR' },
      });
    expect(acct.status).toBe(201);
    expect(Number(acct.body.customFields.revenuePerEmployee)).toBe(25000);
    expect(acct.body.customFields).toMatchObject({
      sizeBand: 'small',
      contactCount: 0,
      customerContacts: 0,
      largestShoe: null,
    });
    const id = acct.body.id as string;
    await create({
      lastName: 'R1',
      accountId: id,
      lifecycleStage: 'customer',
      customFields: { shoeSize: 44 },
    }).expect(201);
    await create({ lastName: 'R2', accountId: id, customFields: { shoeSize: 39 } }).expect(201);
    const read = await server.http.get(`/api/v1/accounts/${id}`).set(auth);
    expect(read.body.customFields).toMatchObject({
      contactCount: 2,
      customerContacts: 1,
      largestShoe: '44',
    });
    const grown = await server.http
      .patch(`/api/v1/accounts/${id}`)
      .set(auth)
      .send({ employees: 2000 });
    expect(grown.body.customFields.sizeBand).toBe('enterprise');
    expect(Number(grown.body.customFields.revenuePerEmployee)).toBe(500);
    const listed = await server.http
      .get(
        '/api/v1/accounts?filter[customFields.contactCount][gte]=2&sort=-customFields.revenuePerEmployee',
      )
      .set(auth);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([id]);
    const write = await server.http
      .patch(`/api/v1/accounts/${id}`)
      .set(auth)
      .send({ customFields: { contactCount: 9 } });
    expect(write.status).toBe(400);
    expect(write.body.errors[0]).toMatchObject({
      field: 'customFields.contactCount',
      code: 'serverOwned',
    });
    const history = await server.http.get(`/api/v1/accounts/${id}/history`).set(auth);
    expect(JSON.stringify(history.body.data)).not.toContain('sizeBand');
    const stored = await server.db.query('SELECT custom_fields FROM accounts WHERE id = $1', [id]);
    expect(stored.rows[0].custom_fields).toEqual({});
  });

  it('uses configured picklists for built-in fields', async () => {
    expect(
      (
        await create({
          lastName: 'P1',
          lifecycleStage: 'churned',
          customFields: { lostReason: 'moved abroad' },
        })
      ).status,
    ).toBe(201);
    const old = await create({ lastName: 'P2', lifecycleStage: 'evangelist' });
    expect(old.status).toBe(400);
    expect(old.body.errors[0]).toMatchObject({ field: 'lifecycleStage', code: 'isIn' });
    const industry = await server.http
      .post('/api/v1/accounts')
      .set(auth)
      .send({ name: 'Fish Co', industry: 'fishing' });
    expect(industry.status).toBe(400);
    expect(
      (
        await server.http
          .post('/api/v1/accounts')
          .set(auth)
          .send({ name: 'Shop Co', industry: 'retail' })
      ).status,
    ).toBe(201);
    const list = await server.http
      .get('/api/v1/contacts?filter[lifecycleStage][eq]=evangelist')
      .set(auth);
    expect(list.status).toBe(400);
  });

  it('enforces required-when rules with the admin wording in each language', async () => {
    const res = await create({ lastName: 'Churned', lifecycleStage: 'churned' }).set(
      'accept-language',
      'id',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'customFields.lostReason',
        code: 'requiredWhen',
        message: 'Sebutkan alasan pelanggan pergi',
      },
    ]);
    const ok = await create({ lastName: 'Stays' });
    const patch = await server.http
      .patch(`/api/v1/contacts/${ok.body.id as string}`)
      .set(auth)
      .send({ lifecycleStage: 'churned' });
    expect(patch.status).toBe(400);
    expect(patch.body.errors[0].message).toBe('Say why the customer left');
  });

  it('hides custom fields a role may not see and refuses writes to them', async () => {
    const role = await server.http
      .post('/api/v1/roles')
      .set(auth)
      .send({
        name: 'No secrets',
        permissions: {
          entities: {
            contacts: {
              create: 'all',
              read: 'all',
              update: 'all',
              delete: 'none',
              reassign: false,
            },
          },
          fields: {
            contacts: { 'customFields.secretNote': 'hidden', 'customFields.tier': 'read-only' },
          },
        },
      });
    expect(role.status).toBe(201);
    const user = await server.http.post('/api/v1/users').set(auth).send({
      email: 'nosecret@example.com',
      password: 'a-long-password-1',
      firstName: 'N',
      lastName: 'S',
      roleId: role.body.id,
    });
    expect(user.status).toBe(201);
    const c = await create({
      lastName: 'Secretive',
      customFields: { secretNote: 'owes us', shoeSize: 39 },
    });
    const login = await server.http
      .post('/api/v1/auth/login')
      .send({ email: 'nosecret@example.com', password: 'a-long-password-1' });
    const theirs = { authorization: `Bearer ${login.body.accessToken as string}` };
    const read = await server.http.get(`/api/v1/contacts/${c.body.id as string}`).set(theirs);
    expect(read.body.customFields).toEqual({ shoeSize: 39, tier: 'silver' });
    const history = await server.http
      .get(`/api/v1/contacts/${c.body.id as string}/history`)
      .set(theirs);
    expect(JSON.stringify(history.body)).not.toContain('owes us');
    const filter = await server.http
      .get('/api/v1/contacts?filter[customFields.secretNote][eq]=owes us')
      .set(theirs);
    expect(filter.status).toBe(400);
    const write = await server.http
      .patch(`/api/v1/contacts/${c.body.id as string}`)
      .set(theirs)
      .send({ customFields: { tier: 'gold' } });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('field_read_only');
  });

  it('describes the custom fields in the OpenAPI document', async () => {
    const doc = await server.http.get('/openapi.json');
    const custom = doc.body.components.schemas.CreateContactDto.properties.customFields;
    expect(custom.additionalProperties).toBe(false);
    expect(custom.properties.shoeSize).toMatchObject({
      type: 'number',
      minimum: 30,
      maximum: 50,
      'x-labels': { en: 'Shoe size', id: 'Ukuran sepatu' },
    });
    // A custom field may be cleared, so its picklist lists null beside the admin's values.
    expect(custom.properties.tier).toMatchObject({
      type: 'string',
      nullable: true,
      enum: ['gold', 'silver', null],
      default: 'silver',
    });
    expect(custom.properties.interests).toMatchObject({ type: 'array' });
    expect(
      doc.body.components.schemas.ContactDto.properties.customFields.properties.birthday,
    ).toMatchObject({ format: 'date' });
  });

  it('creates an index for an indexed field, and the planner uses it over a million records', async () => {
    const indexes = await server.db.query(
      `SELECT indexname FROM pg_indexes WHERE indexname LIKE 'cf\\_%' ORDER BY 1`,
    );
    expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual([
      'cf_contacts_nationalid_key',
      'cf_contacts_shoesize_idx',
    ]);
    const owner = (await server.db.query(`SELECT id FROM users LIMIT 1`)).rows[0].id as string;
    await server.db.query(
      `INSERT INTO contacts (id, last_name, owner_id, name_key, custom_fields)
       SELECT gen_random_uuid(), 'Bulk ' || g, $1, 'bulk ' || g, jsonb_build_object('shoeSize', 30 + g % 21, 'tier', 'silver')
         FROM generate_series(1, 1000000) g`,
      [owner],
    );
    await server.db.query('ANALYZE contacts');
    const plan = await server.db.query(
      `EXPLAIN (FORMAT JSON) SELECT c.* FROM contacts c WHERE c.deleted_at IS NULL AND TRUE AND ((c.custom_fields->>'shoeSize')::numeric) = $1::numeric ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
      ['49.5'],
    );
    expect(JSON.stringify(plan.rows[0]['QUERY PLAN'])).toContain('cf_contacts_shoesize_idx');
    // A million rows through every contact index: minutes on a slow shared runner.
  }, 600_000);
});

describe('customization problems stop the start', () => {
  it('lists every problem of meaning in the customization section', async () => {
    const file = writeConfig(
      'bad-custom',
      `version: 1
customization:
  gadgets:
    fields: [{ code: size, type: number, label: { en: Size } }]
  contacts:
    fields:
      - { code: email, type: text, label: { en: Clash } }
      - { code: level, type: picklist, label: { en: Level } }
      - { code: parent, type: reference, references: planets, label: { en: Parent } }
      - { code: score, type: number, label: { en: Score }, default: high }
    picklists:
      title: [{ value: ceo, label: { en: CEO } }]
`,
    );
    const { code, output } = await runUntilExit({ env: { CRM_CONFIG: file } });
    expect(code).toBe(2);
    expect(output).toContain('unknown entity "gadgets"');
    expect(output).toContain('clashes with a built-in field');
    expect(output).toContain('a picklist needs options');
    expect(output).toContain('known entity');
    expect(output).toContain('default must be a number');
    expect(output).toContain('not a configurable picklist');
  });

  it('lists formulas and roll-ups that do not compile', async () => {
    const file = writeConfig(
      'bad-formula',
      `version: 1
customization:
  accounts:
    fields:
      - { code: ratio, type: formula, label: { en: Ratio }, expression: 'employees / nosuchfield' }
      - { code: shout, type: formula, resultType: text, label: { en: Shout }, expression: 'YELL(name)' }
      - { code: broken, type: formula, label: { en: Broken }, expression: '(employees + ' }
      - { code: wrongSum, type: rollup, label: { en: Sum }, rollup: { entity: contacts, via: accountId, function: sum, field: lastName } }
`,
    );
    const { code, output } = await runUntilExit({ env: { CRM_CONFIG: file } });
    expect(code).toBe(2);
    expect(output).toContain('accounts.customFields.ratio: unknown field "nosuchfield"');
    expect(output).toContain('accounts.customFields.shout: unknown function YELL');
    expect(output).toContain('accounts.customFields.broken: unexpected end of formula');
    expect(output).toContain('accounts.customFields.wrongSum: sum needs a numeric field');
  });

  it('stops when PostgreSQL cannot compute a formula', async () => {
    const file = writeConfig(
      'bad-types',
      `version: 1\ncustomization:\n  accounts:\n    fields:\n      - { code: mistyped, type: formula, resultType: decimal, label: { en: Mistyped }, expression: "name * 2" }\n`,
    );
    const { code, output } = await runUntilExit({ env: { CRM_CONFIG: file } });
    expect(code).toBe(2);
    expect(output).toContain('accounts: a formula or roll-up field does not compute');
  });

  it('refuses to drop a picklist value that records use, naming them', async () => {
    const databaseUrl = await freshDatabase();
    const first = await startServer({
      databaseUrl,
      env: { CRM_CONFIG: writeConfig('keep', CONFIG) },
    });
    const token = await first.login();
    const churned = await first.http
      .post('/api/v1/contacts')
      .set('authorization', `Bearer ${token}`)
      .send({ lastName: 'Gone', lifecycleStage: 'churned', customFields: { lostReason: 'price' } });
    expect(churned.status).toBe(201);
    await first.stop();
    const without = CONFIG.replace(
      '        - { value: churned, label: { en: Churned, id: Berhenti } }\n',
      '',
    );
    const { code, output } = await runUntilExit({
      databaseUrl,
      env: { CRM_CONFIG: writeConfig('drop', without) },
    });
    expect(code).toBe(2);
    expect(output).toContain(
      `contacts.lifecycleStage: value "churned" was removed but 1 record(s) use it, e.g. ${churned.body.id as string}`,
    );
  });

  it('prints what a config would change with npm run config:check', async () => {
    const { stdout } = await run(process.execPath, [
      'dist/scripts/config-check.js',
      writeConfig('check', CONFIG),
    ]);
    expect(stdout).toContain('config is valid');
    expect(stdout).toContain('CREATE INDEX IF NOT EXISTS cf_contacts_shoesize_idx');
    const bad = await run(process.execPath, [
      'dist/scripts/config-check.js',
      writeConfig('check-bad', 'version: 1\ncustomization:\n  gadgets: {}\n'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain('unknown entity "gadgets"');
  });
});
