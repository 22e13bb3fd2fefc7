import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventually, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { name: Relasi, defaultCurrency: IDR, timeZone: UTC }
customization:
  contacts:
    fields:
      - { code: renewal, type: date, label: { en: Renewal } }
      - { code: nickname, type: text, label: { en: Nickname } }
`;

type Auth = { authorization: string };
type Run = { id: string; contactId: string; eventType: string; status: string };

/** The calendar day it is now in `timeZone`, as YYYY-MM-DD. */
const dayIn = (timeZone: string, offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

describe('automations started by dates', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('mkt-automation-dates', CONFIG),
        CRM_JOB_POLL_MS: '200',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(() => server.stop());

  const create = (body: Record<string, unknown>) =>
    server.http.post('/api/v1/automations').set(admin).send(body);
  const steps = [{ id: 'hold', type: 'wait', days: 1 }];
  const active = async (body: Record<string, unknown>) => {
    const a = await create({ name: 'Dated', steps, ...body });
    expect(a.status).toBe(201);
    const on = await server.http.post(`/api/v1/automations/${a.body.id}/activate`).set(admin);
    expect(on.status).toBe(200);
    return a.body.id as string;
  };
  const runNow = async (auth: Auth = admin) =>
    server.http.post('/api/v1/automations/date-triggers/run').set(auth).send();
  const runsOf = async (id: string) =>
    ((await server.http.get(`/api/v1/automations/${id}/runs`).set(admin)).body as { data: Run[] })
      .data;
  const pause = (id: string) =>
    server.http.post(`/api/v1/automations/${id}/pause`).set(admin).send();

  it('wishes a happy birthday on the contact’s own day, once a year however often the job runs', async () => {
    // Kiritimati (UTC+14) is always at least a day ahead of Pago Pago (UTC-11).
    const ahead = 'Pacific/Kiritimati';
    const monthDay = dayIn(ahead).slice(5);
    const id = await active({
      triggerEvent: 'contact.birthday',
      entryPolicy: 'once_per_period',
      entryPeriodDays: 365,
    });
    const birthday = await customers.contact({ birthdate: `1990-${monthDay}`, timeZone: ahead });
    // Their preferences move them to Pago Pago, where that day has not begun.
    const elsewhere = await customers.contact({ birthdate: `1985-${monthDay}`, timeZone: ahead });
    const moved = await server.http
      .patch(`/api/v1/contacts/${elsewhere.id}/preferences`)
      .set(admin)
      .send({ timeZone: 'Pacific/Pago_Pago' });
    expect(moved.status).toBe(200);
    const noDate = await customers.contact({ timeZone: ahead });

    const first = await runNow();
    expect(first.status).toBe(200);
    expect(first.body.started).toBe(1);
    expect((await runNow()).body.started).toBe(0);
    const runs = await runsOf(id);
    expect(runs.map((r) => r.contactId)).toEqual([birthday.id]);
    expect(runs[0].eventType).toBe('contact.birthday');
    expect(runs.map((r) => r.contactId)).not.toContain(noDate.id);
    const [row] = (
      await server.db.query(`SELECT event FROM automation_runs WHERE id = $1`, [runs[0].id])
    ).rows as { event: Record<string, unknown> }[];
    expect(row.event).toMatchObject({
      field: 'birthdate',
      date: `1990-${monthDay}`,
      occurrence: dayIn(ahead),
    });

    // A run 200 days ago is within the year: nothing; one 365 days ago is not: the next one starts.
    const back = async (days: number) =>
      server.db.query(
        `UPDATE automation_runs SET entry_key = entry_key || ':old',
                event = jsonb_set(event, '{occurrence}', to_jsonb(((event->>'occurrence')::date - $2::int)::text))
          WHERE id = $1`,
        [runs[0].id, days],
      );
    await back(200);
    expect((await runNow()).body.started).toBe(0);
    await back(165);
    expect((await runNow()).body.started).toBe(1);
    expect((await runNow()).body.started).toBe(0);
    expect(await runsOf(id)).toHaveLength(2);
    expect((await pause(id)).status).toBe(200);
  });

  it('starts a run N days after or before a contact date or custom date field, and on schedule', async () => {
    const after = await active({
      triggerEvent: 'contact.date_reached',
      dateTrigger: { field: 'birthdate', days: 30, direction: 'after' },
      entryPolicy: 'every_time',
    });
    const before = await active({
      triggerEvent: 'contact.date_reached',
      dateTrigger: { field: 'customFields.renewal', days: 7, direction: 'before' },
    });
    const thirty = await customers.contact({ birthdate: dayIn('UTC', -30) });
    const renewing = await customers.contact({ customFields: { renewal: dayIn('UTC', 7) } });
    const later = await customers.contact({ customFields: { renewal: dayIn('UTC', 9) } });
    expect((await runNow()).body.started).toBe(2);
    expect((await runsOf(after)).map((r) => r.contactId)).toEqual([thirty.id]);
    expect((await runsOf(before)).map((r) => r.contactId)).toEqual([renewing.id]);
    expect((await runsOf(before)).map((r) => r.contactId)).not.toContain(later.id);

    // The hourly job does the same when its slot comes.
    const next = await customers.contact({ customFields: { renewal: dayIn('UTC', 7) } });
    await server.db.query(
      `UPDATE job_schedules SET next_run_at = now() WHERE name = 'marketing.automation-dates'`,
    );
    await eventually(
      () => runsOf(before),
      (r) => r.some((x) => x.contactId === next.id),
      20_000,
    );
    expect((await pause(after)).status).toBe(200);
    expect((await pause(before)).status).toBe(200);
  });

  it('refuses a bad date trigger, a field that is no date, and a caller who may not change automations', async () => {
    const bad = async (body: Record<string, unknown>, pointer: string) => {
      const res = await create({ name: 'Bad', steps, ...body });
      expectProblem(res, 422);
      expect(res.body).toMatchObject({ code: 'automation_invalid', pointer });
    };
    const reached = { triggerEvent: 'contact.date_reached' };
    const trigger = { field: 'birthdate', days: 3, direction: 'after' };
    await bad({ triggerEvent: 'lead.created', dateTrigger: trigger }, '/dateTrigger');
    await bad(reached, '/dateTrigger');
    await bad({ ...reached, dateTrigger: { ...trigger, hour: 9 } }, '/dateTrigger/hour');
    await bad({ ...reached, dateTrigger: { ...trigger, field: 'email' } }, '/dateTrigger/field');
    await bad({ ...reached, dateTrigger: { ...trigger, field: undefined } }, '/dateTrigger/field');
    await bad({ ...reached, dateTrigger: { ...trigger, days: -1 } }, '/dateTrigger/days');
    await bad({ ...reached, dateTrigger: { ...trigger, days: 'soon' } }, '/dateTrigger/days');
    await bad(
      { ...reached, dateTrigger: { ...trigger, direction: 'around' } },
      '/dateTrigger/direction',
    );
    await bad(
      { triggerEvent: 'contact.birthday', dateTrigger: { field: 'birthdate', days: 1 } },
      '/dateTrigger/days',
    );
    expectProblem(await create({ name: 'Bad', steps, ...reached, dateTrigger: 'soon' }), 400);
    for (const field of ['customFields.nickname', 'customFields.nothing']) {
      const saved = await create({
        name: 'Not a date',
        steps,
        triggerEvent: 'contact.birthday',
        dateTrigger: { field },
      });
      expect(saved.status).toBe(201);
      const on = await server.http.post(`/api/v1/automations/${saved.body.id}/activate`).set(admin);
      expectProblem(on, 422);
      expect(on.body.pointer).toBe('/dateTrigger/field');
    }
    const types = await server.http.get('/api/v1/automations/event-types').set(admin);
    expect(types.body.data).toEqual(
      expect.arrayContaining(['contact.birthday', 'contact.date_reached']),
    );
    const badBirthdate = await server.http
      .post('/api/v1/contacts')
      .set(admin)
      .send({ lastName: 'Leap', birthdate: '1990-02-30' });
    expectProblem(badBirthdate, 400);
    const analyst = await people.userWithToken('analyst');
    expectProblem(await runNow(analyst.auth), 403);
    expect((await server.http.post('/api/v1/automations/date-triggers/run').send()).status).toBe(
      401,
    );
  });
});
