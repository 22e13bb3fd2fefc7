import { factories } from '../support/factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Row = Record<string, unknown> & { id: string };
interface ListBody {
  data: Row[];
  meta: { nextCursor: string | null; limit: number; total?: number };
  code?: string;
  errors?: { field: string; code: string }[];
}

describe('lists: filter, sort, keyset cursor, fields, include, search, count', () => {
  let server: TestServer;
  let auth: { authorization: string };
  let make: ReturnType<typeof factories>;
  let retail: Row;
  let bank: Row;

  const list = async (qs: string): Promise<{ status: number; body: ListBody }> => {
    const res = await server.http.get(`/api/v1/contacts?${qs}`).set(auth);
    return { status: res.status, body: res.body as ListBody };
  };

  beforeAll(async () => {
    server = await startServer();
    const token = await server.login();
    auth = { authorization: `Bearer ${token}` };
    make = factories(server, token);
    retail = await make.account({ name: 'Toko Makmur', industry: 'retail', employees: 40 });
    bank = await make.account({
      name: 'Bank Nusantara',
      industry: 'banking',
      employees: 5000,
      annualRevenue: { amount: '900000000.00', currency: 'IDR' },
    });
    const people: [string, string, string | null, Row | null, string][] = [
      ['Sari', 'Wijaya', 'sari@toko.co.id', retail, 'customer'],
      ['Budi', 'Wijaya', 'budi@bank.co.id', bank, 'lead'],
      ['Ayu', 'Lestari', null, bank, 'lead'],
      ['Dewi', 'Kusuma', 'dewi@toko.co.id', retail, 'opportunity'],
      ['Eko', 'Prasetyo', 'eko@mail.id', null, 'subscriber'],
      ['Fajar', 'Nugroho', 'fajar@mail.id', null, 'lead'],
    ];
    for (const [firstName, lastName, email, account, lifecycleStage] of people) {
      await make.contact({
        firstName,
        lastName,
        email,
        accountId: account?.id ?? null,
        lifecycleStage,
      });
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  it('filters with eq (case-insensitive for email) and combines filters with AND', async () => {
    const res = await list('filter[lastName][eq]=Wijaya&filter[email][eq]=SARI@toko.co.id');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r) => r.firstName)).toEqual(['Sari']);
  });

  it.each([
    ['filter[lastName][ne]=Wijaya', ['Ayu', 'Dewi', 'Eko', 'Fajar']],
    ['filter[lastName][in]=Wijaya,Kusuma', ['Budi', 'Dewi', 'Sari']],
    ['filter[lastName][nin]=Wijaya,Kusuma', ['Ayu', 'Eko', 'Fajar']],
    [
      'filter[firstName][contains]=a',
      ['Ayu', 'Budi', 'Dewi', 'Fajar', 'Sari'].filter((n) => n.toLowerCase().includes('a')),
    ],
    ['filter[firstName][startsWith]=d', ['Dewi']],
    ['filter[email][isNull]=true', ['Ayu']],
    ['filter[accountId][isNull]=true', ['Eko', 'Fajar']],
    ['filter[lifecycleStage][in]=customer,opportunity', ['Dewi', 'Sari']],
    ['filter[firstName][gte]=E&filter[firstName][lt]=G', ['Eko', 'Fajar']],
    ['filter[account.industry][eq]=retail', ['Dewi', 'Sari']],
    ['filter[account.employees][gt]=100', ['Ayu', 'Budi']],
    ['filter[account.annualRevenue.amount][gte]=1000', ['Ayu', 'Budi']],
    ['q=wija', ['Budi', 'Sari']],
    ['q=TOKO.CO', ['Dewi', 'Sari']],
  ])('%s', async (qs, expected) => {
    const res = await list(`${qs}&sort=firstName`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((r) => r.firstName)).toEqual(expected);
  });

  it('treats LIKE wildcards in contains as plain characters', async () => {
    const res = await list('filter[firstName][contains]=%25');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it('sorts by several keys, nulls last, both directions', async () => {
    const asc = await list('sort=lastName,-firstName');
    expect(asc.body.data.map((r) => `${r.lastName as string}/${r.firstName as string}`)).toEqual([
      'Kusuma/Dewi',
      'Lestari/Ayu',
      'Nugroho/Fajar',
      'Prasetyo/Eko',
      'Wijaya/Sari',
      'Wijaya/Budi',
    ]);
    const byEmail = await list('sort=-email');
    expect(byEmail.body.data.map((r) => r.firstName).at(-1)).toBe('Ayu');
  });

  it('pages with a keyset cursor that does not skip or repeat under inserts', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let first = true;
    do {
      const res = await list(`sort=lastName,firstName&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.meta.limit).toBe(2);
      seen.push(...res.body.data.map((r) => r.firstName as string));
      cursor = res.body.meta.nextCursor;
      if (first) {
        // A record inserted before the cursor position must not shift later pages.
        await make.contact({ firstName: 'Aaron', lastName: 'Abadi' });
        first = false;
      }
    } while (cursor);
    expect(seen).toEqual(['Dewi', 'Ayu', 'Fajar', 'Eko', 'Budi', 'Sari']);
    await server.db.query(`UPDATE contacts SET deleted_at = now() WHERE last_name = 'Abadi'`);
  });

  it('pages through nullable sort keys without losing rows', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`sort=email&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((r) => r.firstName as string));
      cursor = res.body.meta.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['Ayu', 'Budi', 'Dewi', 'Eko', 'Fajar', 'Sari']);
  });

  it('projects fields, embeds relations and counts on request', async () => {
    const res = await list(
      'filter[lastName][eq]=Wijaya&fields=id,email,account&include=account&count=exact&sort=firstName',
    );
    expect(res.body.data).toEqual([
      {
        id: expect.any(String),
        email: 'budi@bank.co.id',
        account: expect.objectContaining({ id: bank.id, name: 'Bank Nusantara' }),
      },
      {
        id: expect.any(String),
        email: 'sari@toko.co.id',
        account: expect.objectContaining({ id: retail.id }),
      },
    ]);
    expect(res.body.meta.total).toBe(2);
    const estimated = await list('count=estimated');
    expect(typeof estimated.body.meta.total).toBe('number');
  });

  it('takes an and/or/not tree through POST …/query', async () => {
    const res = await server.http
      .post('/api/v1/contacts/query')
      .set(auth)
      .send({
        filter: {
          or: [
            {
              and: [
                { field: 'lastName', op: 'eq', value: 'Wijaya' },
                { not: { field: 'account.industry', op: 'eq', value: 'banking' } },
              ],
            },
            { field: 'lifecycleStage', op: 'eq', value: 'subscriber' },
          ],
        },
        sort: ['firstName'],
        fields: ['firstName'],
        limit: 10,
      });
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: Row) => r.firstName)).toEqual(['Eko', 'Sari']);
  });

  it.each([
    ['unknown filter field', 'filter[shoeSize][eq]=42', 'filter[shoeSize][eq]', 'unknownField'],
    ['unknown operator', 'filter[lastName][like]=W', 'filter[lastName][like]', 'isIn'],
    ['limit over 500', 'limit=501', 'limit', 'max'],
    ['limit not a number', 'limit=ten', 'limit', 'isInt'],
    ['bad uuid value', 'filter[accountId][eq]=nope', 'filter[accountId][eq]', 'isUuid'],
    ['bad date value', 'filter[createdAt][gte]=yesterday', 'filter[createdAt][gte]', 'isDate'],
    ['bad enum value', 'filter[lifecycleStage][eq]=vip', 'filter[lifecycleStage][eq]', 'isIn'],
    ['range on a list field', 'filter[otherEmails][gt]=a', 'filter[otherEmails][gt]', 'isIn'],
    ['unknown sort field', 'sort=-shoeSize', 'sort', 'unknownField'],
    [
      'unknown relation field',
      'filter[account.secret][eq]=1',
      'filter[account.secret][eq]',
      'unknownField',
    ],
    ['forged cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor', 'invalid'],
    ['unknown parameter', 'pageSize=10', 'pageSize', 'unknownField'],
    ['bad count', 'count=all', 'count', 'isIn'],
    ['unknown include', 'include=owner', 'include', 'unknownField'],
  ])('answers %s with 400', async (_label, qs, field, code) => {
    const res = await list(qs);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_query' });
    expect(res.body).toHaveProperty(
      'errors',
      expect.arrayContaining([expect.objectContaining({ field, code })]),
    );
  });

  it('rejects bad POST …/query bodies', async () => {
    const unknownKey = await server.http
      .post('/api/v1/contacts/query')
      .set(auth)
      .send({ filter: { xor: [] } });
    expect(unknownKey.status).toBe(400);
    const badOp = await server.http
      .post('/api/v1/contacts/query')
      .set(auth)
      .send({ filter: { field: 'lastName', op: 'regex', value: '.*' } });
    expect(badOp.status).toBe(400);
    const extra = await server.http.post('/api/v1/contacts/query').set(auth).send({ page: 2 });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0]).toMatchObject({ field: 'page', code: 'unknownField' });
  });

  it('filters accounts by money, integer and text, and sorts by money', async () => {
    const res = await server.http
      .get('/api/v1/accounts?filter[annualRevenue.amount][gt]=1&sort=-annualRevenue.amount')
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body.data.map((a: Row) => a.name)).toEqual(['Bank Nusantara']);
    const byEmployees = await server.http
      .get('/api/v1/accounts?filter[employees][lte]=100')
      .set(auth);
    expect(byEmployees.body.data.map((a: Row) => a.name)).toEqual(['Toko Makmur']);
    const bad = await server.http.get('/api/v1/accounts?filter[employees][gt]=many').set(auth);
    expect(bad.status).toBe(400);
  });
});
