import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { accessFactories } from '../support/access-factories.js';
import { loadAnalyticsDataset } from '../support/analytics-dataset.js';
import { freePort } from '../support/global-setup.js';
import { binary, pdfText } from '../support/pdf-text.js';
import { expectProblem } from '../support/problems.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
reports: { dueCheckSchedule: '* * * * * *' }
`;

type Auth = { authorization: string };
const WIN_RATE = {
  cube: 'opportunities',
  measures: ['winRate', 'wonRevenue'],
  dimensions: ['region'],
};

describe('analytics reports', () => {
  let server: TestServer;
  let admin: Auth;
  let adminId: string;
  let rep: { auth: Auth; id: string };
  let other: { auth: Auth; id: string };
  let teammate: { auth: Auth; id: string };
  const mails: ParsedMail[] = [];
  let smtp: SMTPServer;

  beforeAll(async () => {
    const port = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            mails.push(mail);
            callback();
          })
          .catch((e: Error) => callback(e));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('reports', CONFIG),
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_SMTP_URL: `smtp://127.0.0.1:${port}`,
        CRM_JOB_POLL_MS: '200',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const people = accessFactories(server, token);
    const team = await people.team();
    const a = await people.userWithToken('sales_manager', { teamIds: [team.id] });
    rep = { auth: a.auth, id: a.user.id };
    const b = await people.userWithToken('sales_manager', { teamIds: [team.id] });
    teammate = { auth: b.auth, id: b.user.id };
    const c = await people.userWithToken('sales_manager');
    other = { auth: c.auth, id: c.user.id };
    const { rows } = await server.db.query<{ id: string }>(
      `SELECT id FROM users WHERE email = 'admin@example.com'`,
    );
    adminId = rows[0].id;
    await loadAnalyticsDataset(server.db, { admin: adminId, rep: rep.id, repTeam: team.id });
    expect(
      (await server.http.post('/api/v1/analytics/cubes/refresh').set(admin).send()).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const create = (body: Record<string, unknown>, auth: Auth = rep.auth) =>
    server.http.post('/api/v1/reports').set(auth).send(body);
  const created = async (body: Record<string, unknown>, auth: Auth = rep.auth) => {
    const res = await create(body, auth);
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; nextRunAt: string | null };
  };
  const run = (id: string, auth: Auth = rep.auth) =>
    server.http.post(`/api/v1/reports/${id}/run`).set(auth).send();
  const inbox = (auth: Auth) => server.http.get('/api/v1/report-inbox').set(auth);

  it('saves a cube report, runs it on demand, keeps the run and pushes it to the inbox', async () => {
    const report = await created({
      name: 'Win rate by region',
      kind: 'cube',
      query: WIN_RATE,
      delivery: { userIds: [teammate.id] },
    });
    expect(report.nextRunAt).toBeNull();
    const res = await run(report.id);
    expect(res.status).toBe(200);
    // Jawa Barat: won 1000 + 300, lost 500 → 2/3; Bali: lost 200 → 0 (see the cube test's dataset).
    expect(res.body.result.rows).toEqual([
      { region: 'Bali', winRate: '0.0000', wonRevenue: { amount: '0', currency: 'IDR' } },
      { region: 'Jawa Barat', winRate: '0.6667', wonRevenue: { amount: '1300', currency: 'IDR' } },
    ]);
    expect(res.body).toMatchObject({
      trigger: 'manual',
      status: 'completed',
      rowCount: 2,
      delivered: true,
      conditionHeld: null,
    });
    const runs = await server.http.get(`/api/v1/reports/${report.id}/runs`).set(rep.auth);
    expect(runs.status).toBe(200);
    expect(runs.body.data.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    for (const who of [rep.auth, teammate.auth]) {
      const box = await inbox(who);
      expect(box.body.data).toHaveLength(1);
      expect(box.body.data[0]).toMatchObject({
        reportId: report.id,
        runId: res.body.id,
        readAt: null,
      });
      expect(box.body.meta.unread).toBe(1);
    }
    const entry = (await inbox(teammate.auth)).body.data[0] as { id: string };
    const read = await server.http
      .post(`/api/v1/report-inbox/${entry.id}/read`)
      .set(teammate.auth)
      .send();
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await inbox(teammate.auth)).body.meta.unread).toBe(0);
    expectProblem(
      await server.http.post(`/api/v1/report-inbox/${entry.id}/read`).set(other.auth).send(),
      404,
    );
    const events = await server.db.query(
      `SELECT data FROM domain_events WHERE type = 'report.run.delivered' AND data->>'runId' = $1`,
      [res.body.id],
    );
    expect(events.rows[0].data.userIds.sort()).toEqual([rep.id, teammate.id].sort());
  });

  it('an exception report delivers only when its condition holds, with the rows that meet it', async () => {
    const low = await created({
      name: 'Regions under 50% win rate',
      kind: 'cube',
      query: WIN_RATE,
      condition: { when: 'anyRow', field: 'winRate', op: 'lt', value: '0.5' },
    });
    const fired = await run(low.id);
    expect(fired.body).toMatchObject({ conditionHeld: true, delivered: true, rowCount: 1 });
    expect(fired.body.result.rows.map((r: { region: string }) => r.region)).toEqual(['Bali']);
    const never = await created({
      name: 'More than 5 breaching cases',
      kind: 'cube',
      query: { cube: 'cases', measures: ['breachedCases'] },
      condition: { when: 'anyRow', field: 'breachedCases', op: 'gt', value: 5 },
    });
    const quiet = await run(never.id);
    // Three of the four cases breached: 3 > 5 does not hold, nothing is pushed.
    expect(quiet.body).toMatchObject({ conditionHeld: false, delivered: false });
    const three = await created({
      name: 'More than 2 breaching cases',
      kind: 'cube',
      query: { cube: 'cases', measures: ['breachedCases'] },
      condition: { when: 'anyRow', field: 'breachedCases', op: 'gt', value: 2 },
    });
    expect((await run(three.id)).body).toMatchObject({ conditionHeld: true, delivered: true });
  });

  it('a list report over a resource, with a row-count condition', async () => {
    const report = await created({
      name: 'Mining accounts',
      kind: 'list',
      query: {
        resource: 'accounts',
        filter: { field: 'industry', op: 'eq', value: 'mining' },
        fields: ['id', 'name'],
      },
      condition: { when: 'rowCount', op: 'gte', value: 1 },
    });
    const res = await run(report.id);
    expect(res.status).toBe(200);
    expect(res.body.result.rows).toEqual([{ id: expect.any(String), name: 'Bali Mining' }]);
    expect(res.body.conditionHeld).toBe(true);
  });

  it('exports a run as CSV, XLSX and a PDF with a chart, and an ad-hoc cube query', async () => {
    const report = await created({
      name: 'Revenue by quarter',
      kind: 'cube',
      query: {
        cube: 'sales',
        measures: ['revenue'],
        dimensions: ['time.quarter'],
        totals: 'rollup',
      },
    });
    const runId = (await run(report.id)).body.id as string;
    const url = `/api/v1/reports/${report.id}/runs/${runId}/export`;
    const csv = await server.http.get(`${url}?format=csv`).set(rep.auth);
    expect(csv.status).toBe(200);
    // Q1 450, Q2 350, all 800 (the cube test's arithmetic).
    expect(csv.text).toBe('time.quarter,revenue\r\n2026-Q1,450\r\n2026-Q2,350\r\n(all),800\r\n');
    const xlsx = await server.http
      .get(`${url}?format=xlsx`)
      .set(rep.auth)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.worksheets[0];
    expect([1, 2, 3, 4].map((n) => (sheet.getRow(n).values as unknown[]).slice(1))).toEqual([
      ['time.quarter', 'revenue'],
      ['2026-Q1', 450],
      ['2026-Q2', 350],
      ['(all)', 800],
    ]);
    const pdf = await server.http.get(`${url}?format=pdf`).set(rep.auth).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Revenue by quarter');
    expect(text).toContain('2026-Q1');
    expect(text).toContain('450');
    expectProblem(await server.http.get(`${url}?format=doc`).set(rep.auth), 400);
    const adhoc = await server.http
      .post('/api/v1/analytics/cube/export?format=csv')
      .set(admin)
      .send({ cube: 'sales', measures: ['orders'], dimensions: ['region'] });
    expect(adhoc.status).toBe(200);
    // Orders: Bali has the rep's February order and the April one (the cancelled one does not count); Jawa Barat two.
    expect(adhoc.text).toBe('region,orders\r\nBali,2\r\nJawa Barat,2\r\n');
  });

  it('a scheduled report runs as a platform job and e-mails its result', async () => {
    const report = await created({
      name: 'Every second',
      kind: 'cube',
      query: { cube: 'sales', measures: ['revenue'] },
      schedule: '* * * * * *',
      timeZone: 'Asia/Jakarta',
      delivery: { inbox: false, email: { to: ['boss@example.com'], format: 'csv' } },
    });
    expect(report.nextRunAt).not.toBeNull();
    let runs: { trigger: string; emailStatus: string }[] = [];
    for (let i = 0; i < 100 && !runs.some((r) => r.emailStatus === 'sent'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      runs = (await server.http.get(`/api/v1/reports/${report.id}/runs`).set(rep.auth)).body.data;
    }
    expect(runs[0].trigger).toBe('schedule');
    const mail = mails.find((m) => m.subject === 'Every second');
    expect(mail?.attachments[0].filename).toBe('Every-second.csv');
    // Run as its owner, a sales manager who reads every order: 450 + 350 = 800.
    expect(mail?.attachments[0].content.toString()).toBe('revenue\r\n800\r\n');
    await server.http.patch(`/api/v1/reports/${report.id}`).set(rep.auth).send({ active: false });
  });

  it('sharing: owner, team and shared roles see a report; others get 404', async () => {
    const report = await created({
      name: 'Private',
      kind: 'cube',
      query: { cube: 'sales', measures: ['revenue'] },
    });
    expect((await server.http.get(`/api/v1/reports/${report.id}`).set(teammate.auth)).status).toBe(
      200,
    );
    expectProblem(await server.http.get(`/api/v1/reports/${report.id}`).set(other.auth), 404);
    expectProblem(await run(report.id, other.auth), 404);
    expectProblem(await server.http.get(`/api/v1/reports/${report.id}/runs`).set(other.auth), 404);
    const list = await server.http.get('/api/v1/reports').set(other.auth);
    expect(list.body.data.map((r: { id: string }) => r.id)).not.toContain(report.id);
    const shared = await server.http
      .patch(`/api/v1/reports/${report.id}`)
      .set(rep.auth)
      .send({ sharedRoleIds: ['0192f000-0000-7000-8000-000000000002'] });
    expect(shared.status).toBe(200);
    expect((await server.http.get(`/api/v1/reports/${report.id}`).set(other.auth)).status).toBe(
      200,
    );
    const stale = await server.http
      .patch(`/api/v1/reports/${report.id}`)
      .set(rep.auth)
      .set('if-match', `"${report.version}"`)
      .send({ name: 'Renamed' });
    expectProblem(stale, 412);
  });

  it('a cube report over a field the runner’s role hides answers 403 naming it, saved or shared', async () => {
    const people = accessFactories(server, admin.authorization.slice(7));
    const read = { create: 'none', read: 'all', update: 'none', delete: 'none', reassign: false };
    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          opportunities: read,
          accounts: read,
          reports: { create: 'own', read: 'all', update: 'own', delete: 'own', reassign: false },
        },
        fields: { opportunities: { amount: 'hidden' } },
      },
    });
    const blind = (await people.userWithToken(role.id)).auth;
    const saved = await create({ name: 'Won revenue', kind: 'cube', query: WIN_RATE }, blind);
    expectProblem(saved, 403);
    expect(saved.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.measures[1]']);
    expect(saved.body.detail).toContain('opportunities.amount');
    // Shared with that role by someone who sees the amount: the blind user runs it with their own rights.
    const report = await created({
      name: 'Won revenue, shared',
      kind: 'cube',
      query: WIN_RATE,
      sharedRoleIds: [role.id],
    });
    expect((await server.http.get(`/api/v1/reports/${report.id}`).set(blind)).status).toBe(200);
    const ran = await run(report.id, blind);
    expectProblem(ran, 403);
    expect(ran.body.errors[0].field).toBe('query.measures[1]');
    expect(JSON.stringify(ran.body)).not.toContain('1300');
    expect((await run(report.id)).status).toBe(200);
  });

  it('rejects bad input with 400 naming the field', async () => {
    const field = async (body: Record<string, unknown>) => {
      const res = await create(body);
      expectProblem(res, 400);
      return (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    const base = { name: 'R', kind: 'cube', query: { cube: 'sales', measures: ['revenue'] } };
    expect(await field({ ...base, query: { cube: 'sales', measures: ['profit'] } })).toEqual([
      'query.measures[0]',
    ]);
    expect(
      await field({
        ...base,
        query: { cube: 'sales', measures: ['revenue'], dimensions: ['planet'] },
      }),
    ).toEqual(['query.dimensions[0]']);
    expect(await field({ ...base, schedule: 'every day' })).toEqual(['schedule']);
    expect(await field({ ...base, schedule: '0 7 * * *', timeZone: 'Mars/Olympus' })).toEqual([
      'timeZone',
    ]);
    expect(
      await field({ ...base, condition: { when: 'anyRow', field: 'margin', op: 'lt', value: 1 } }),
    ).toEqual(['condition.field']);
    expect(await field({ name: 'R', kind: 'cube' })).toContain('query');
    expect(await field({ ...base, name: 5 })).toContain('name');
    expect(await field({ ...base, name: 'x'.repeat(201) })).toContain('name');
    expect(await field({ ...base, colour: 'red' })).toContain('colour');
    expect(await field({ name: 'R', kind: 'list', query: { resource: 'planets' } })).toEqual([
      'query.resource',
    ]);
  });
});
