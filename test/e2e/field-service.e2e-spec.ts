import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventsOf } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Auth = { authorization: string };
type Rec = Record<string, unknown> & { id: string; version: number; status: string };

// Monday to Friday 08:00–17:00 in Jakarta (UTC+7); 2026-06-15 is a Monday.
const WEEKDAYS = [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '17:00' }));
const at = (local: string) => `2026-06-15T${local}:00+07:00`;

describe('field service', () => {
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let account: { id: string };
  let product: { id: string };
  let tech: Rec;
  let novice: Rec;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(server, token);
    account = await factories(server, token).account();
    product = await catalogFactories(server, admin).product({ name: { en: 'Fiber modem' } });
    tech = await technician({ skills: ['Fiber', 'router'] });
    novice = await technician({ skills: ['router'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function technician(fields: Record<string, unknown> = {}): Promise<Rec> {
    const user = await people.user('service_agent');
    const res = await server.http
      .post('/api/v1/technicians')
      .set(admin)
      .send({ userId: user.id, timeZone: 'Asia/Jakarta', weeklyHours: WEEKDAYS, ...fields });
    if (res.status !== 201)
      throw new Error(`technician: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Rec;
  }
  const workOrder = async (fields: Record<string, unknown> = {}, auth: Auth = admin) => {
    const res = await server.http
      .post('/api/v1/work-orders')
      .set(auth)
      .send({
        subject: 'Install fiber',
        accountId: account.id,
        requiredSkills: ['fiber'],
        ...fields,
      });
    if (res.status !== 201)
      throw new Error(`work order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Rec;
  };
  const book = (orderId: string, body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post(`/api/v1/work-orders/${orderId}/appointments`).set(auth).send(body);

  it('keeps technicians with lower-cased skills and weekly hours; one per user', async () => {
    expect(tech).toMatchObject({
      skills: ['fiber', 'router'],
      timeZone: 'Asia/Jakarta',
      active: true,
    });
    expect(tech.weeklyHours).toHaveLength(5);
    const again = await server.http
      .post('/api/v1/technicians')
      .set(admin)
      .send({ userId: tech.userId, timeZone: 'Asia/Jakarta' });
    expectProblem(again, 409);
    for (const [body, field] of [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ weeklyHours: [{ day: 8, start: '08:00', end: '17:00' }] }, 'weeklyHours[0].day'],
      [{ weeklyHours: [{ day: 1, start: '8am', end: '17:00' }] }, 'weeklyHours[0].start'],
      [{ weeklyHours: [{ day: 1, start: '17:00', end: '08:00' }] }, 'weeklyHours[0].end'],
      [{ userId: randomUUID() }, 'userId'],
      [{ rank: 'senior' }, 'rank'],
    ] as const) {
      const user = await people.user('service_agent');
      const res = await server.http
        .post('/api/v1/technicians')
        .set(admin)
        .send({ userId: user.id, timeZone: 'Asia/Jakarta', ...body });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field).join()).toContain(field);
    }
  });

  it('creates a work order with a checklist, parts from the catalog and time entries, and moves it through its lifecycle', async () => {
    const forCase = await server.http
      .post('/api/v1/cases')
      .set(admin)
      .send({ subject: 'No signal' });
    const unknownCase = await server.http
      .post('/api/v1/work-orders')
      .set(admin)
      .send({ subject: 'Install fiber', caseId: randomUUID() });
    expectProblem(unknownCase, 400);
    expect(unknownCase.body.errors).toEqual([expect.objectContaining({ field: 'caseId' })]);
    const order = await workOrder({
      caseId: forCase.body.id as string,
      siteAddress: { street: 'Jl. Sudirman 1', city: 'Jakarta', country: 'ID' },
      checklist: [{ label: 'Check signal' }, { label: 'Mount modem', done: true }],
      partsUsed: [{ productId: product.id, quantity: '1' }],
      timeEntries: [{ technicianId: tech.id, startedAt: at('09:00'), endedAt: at('10:30') }],
    });
    expect(order).toMatchObject({
      status: 'scheduled',
      requiredSkills: ['fiber'],
      checklist: [
        { label: 'Check signal', done: false },
        { label: 'Mount modem', done: true },
      ],
    });
    expect(order.number).toMatch(/^WO-\d{6}$/);
    const move = (status: string, headers: Record<string, string> = {}) =>
      server.http
        .patch(`/api/v1/work-orders/${order.id}`)
        .set({ ...admin, ...headers })
        .send({ status });
    const skip = await move('on_site');
    expectProblem(skip, 409);
    expect(skip.body).toMatchObject({
      code: 'work_order_status_transition',
      allowed: ['dispatched', 'cancelled'],
    });
    expectProblem(await move('dispatched', { 'if-match': '"42"' }), 412);
    for (const status of ['dispatched', 'en_route', 'on_site', 'completed'])
      expect((await move(status)).status).toBe(200);
    expectProblem(await move('cancelled'), 409);
    const events = await eventsOf(server, order.id);
    expect(events.filter((e) => e.type === 'work_order.status_changed')).toHaveLength(4);
  });

  it.each([
    ['no case and no account', { accountId: undefined }, 'accountId'],
    ['a missing subject', { subject: undefined }, 'subject'],
    ['a subject of the wrong type', { subject: 7 }, 'subject'],
    ['a subject too long', { subject: 's'.repeat(301) }, 'subject'],
    [
      'an unknown part',
      { partsUsed: [{ productId: randomUUID(), quantity: '1' }] },
      'partsUsed[0].productId',
    ],
    [
      'a bad part quantity',
      { partsUsed: [{ productId: randomUUID(), quantity: 'two' }] },
      'partsUsed[0].quantity',
    ],
    ['an unknown field', { priority: 'urgent' }, 'priority'],
    ['an unknown account', { accountId: randomUUID() }, 'accountId'],
  ])('answers 400 for a work order with %s', async (_what, body, field) => {
    const res = await server.http
      .post('/api/v1/work-orders')
      .set(admin)
      .send({ subject: 'Visit', accountId: account.id, ...body });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field).join()).toContain(field);
  });

  describe('appointments', () => {
    it('books a skilled technician in working hours and shows it on their local day', async () => {
      const order = await workOrder();
      const res = await book(order.id, {
        technicianId: tech.id,
        startsAt: at('09:00'),
        endsAt: at('11:00'),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        workOrderId: order.id,
        technicianId: tech.id,
        startsAt: '2026-06-15T02:00:00.000Z',
        endsAt: '2026-06-15T04:00:00.000Z',
      });
      // Back to back is no overlap: ranges are half-open.
      const next = await book(order.id, {
        technicianId: tech.id,
        startsAt: at('11:00'),
        endsAt: at('12:00'),
      });
      expect(next.status).toBe(201);
      const day = await server.http
        .get(`/api/v1/technicians/${tech.id}/schedule?date=2026-06-15`)
        .set(admin);
      expect(day.status).toBe(200);
      expect(day.body).toMatchObject({
        date: '2026-06-15',
        timeZone: 'Asia/Jakarta',
        workingHours: [{ day: 1, start: '08:00', end: '17:00' }],
      });
      expect(
        day.body.appointments.map(
          (a: { localStart: string; localEnd: string }) => `${a.localStart}-${a.localEnd}`,
        ),
      ).toEqual(['09:00-11:00', '11:00-12:00']);
      const other = await server.http
        .get(`/api/v1/technicians/${tech.id}/schedule?date=2026-06-16`)
        .set(admin);
      expect(other.body.appointments).toEqual([]);
      const list = await server.http.get(`/api/v1/work-orders/${order.id}/appointments`).set(admin);
      expect(list.body.data).toHaveLength(2);
      expectProblem(
        await server.http.get(`/api/v1/technicians/${tech.id}/schedule`).set(admin),
        400,
      );
      expectProblem(
        await server.http.get(`/api/v1/technicians/${tech.id}/schedule?date=15-06-2026`).set(admin),
        400,
      );
    });

    it('refuses an overlapping booking with 409 naming the appointment it clashes with', async () => {
      const order = await workOrder();
      const first = await book(order.id, {
        technicianId: tech.id,
        startsAt: at('13:00'),
        endsAt: at('14:00'),
      });
      expect(first.status).toBe(201);
      const clash = await book(order.id, {
        technicianId: tech.id,
        startsAt: at('13:30'),
        endsAt: at('15:00'),
      });
      expectProblem(clash, 409);
      expect(clash.body).toMatchObject({
        code: 'appointment_double_booked',
        clashingAppointmentId: first.body.id,
      });
    });

    it('cancels an appointment, freeing its slot for another booking', async () => {
      const order = await workOrder();
      const other = { technicianId: tech.id, startsAt: at('14:00'), endsAt: at('14:30') };
      const first = await book(order.id, other);
      expect(first.status).toBe(201);
      const cancel = (id: string, auth: Auth = admin) =>
        server.http
          .post(`/api/v1/work-orders/${order.id}/appointments/${id}/cancel`)
          .set(auth)
          .send({});
      expect((await cancel(first.body.id as string)).status).toBe(204);
      expectProblem(await cancel(first.body.id as string), 404);
      expectProblem(await cancel(randomUUID()), 404);
      expectProblem(await cancel('not-a-uuid'), 400);
      const again = await book(order.id, other);
      expect(again.status).toBe(201);
      const list = await server.http.get(`/api/v1/work-orders/${order.id}/appointments`).set(admin);
      expect(list.body.data.map((a: { id: string }) => a.id)).toEqual([again.body.id]);
      const analyst = await people.userWithToken('analyst');
      expectProblem(await cancel(again.body.id as string, analyst.auth), 403);
    });

    it('lets only one of two concurrent bookings of the same slot through', async () => {
      const order = await workOrder();
      const slot = { technicianId: tech.id, startsAt: at('15:00'), endsAt: at('16:00') };
      const results = await Promise.all([
        book(order.id, slot),
        book(order.id, slot),
        book(order.id, slot),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
      const winner = results.find((r) => r.status === 201)!;
      for (const loser of results.filter((r) => r.status === 409))
        expect(loser.body.clashingAppointmentId).toBe(winner.body.id);
    });

    it('answers 422 for a technician lacking a skill or outside working hours', async () => {
      const order = await workOrder();
      const unskilled = await book(order.id, {
        technicianId: novice.id,
        startsAt: at('09:00'),
        endsAt: at('10:00'),
      });
      expectProblem(unskilled, 422);
      expect(unskilled.body.code).toBe('technician_lacks_skill');
      for (const [startsAt, endsAt] of [
        [at('07:00'), at('09:00')],
        [at('16:30'), at('17:30')],
        ['2026-06-13T10:00:00+07:00', '2026-06-13T11:00:00+07:00'],
      ]) {
        const res = await book(order.id, { technicianId: tech.id, startsAt, endsAt });
        expectProblem(res, 422);
        expect(res.body.code).toBe('outside_working_hours');
      }
    });

    it.each([
      ['a missing technician', { startsAt: at('09:00'), endsAt: at('10:00') }, 'technicianId'],
      [
        'an end before the start',
        { technicianId: 'T', startsAt: at('10:00'), endsAt: at('09:00') },
        'endsAt',
      ],
      [
        'a start of the wrong type',
        { technicianId: 'T', startsAt: 9, endsAt: at('10:00') },
        'startsAt',
      ],
      [
        'an unknown technician',
        { technicianId: randomUUID(), startsAt: at('09:00'), endsAt: at('10:00') },
        'technicianId',
      ],
      [
        'an unknown field',
        { technicianId: 'T', startsAt: at('09:00'), endsAt: at('10:00'), room: 1 },
        'room',
      ],
    ])('answers 400 for %s', async (_what, body, field) => {
      const order = await workOrder();
      const given = body as Record<string, unknown>;
      const res = await book(order.id, {
        ...given,
        ...(given.technicianId === 'T' ? { technicianId: tech.id } : {}),
      });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  it("hides another team's work orders (404)", async () => {
    const teamA = await people.team();
    const teamB = await people.team();
    const agentA = await people.userWithToken('service_agent', { teamIds: [teamA.id] });
    const agentB = await people.userWithToken('service_agent', { teamIds: [teamB.id] });
    const order = await workOrder({ requiredSkills: [] }, agentA.auth);
    for (const req of [
      server.http.get(`/api/v1/work-orders/${order.id}`),
      server.http.patch(`/api/v1/work-orders/${order.id}`).send({ subject: 'x' }),
      server.http.get(`/api/v1/work-orders/${order.id}/appointments`),
      server.http
        .post(`/api/v1/work-orders/${order.id}/appointments`)
        .send({ technicianId: tech.id, startsAt: at('09:00'), endsAt: at('10:00') }),
    ])
      expectProblem(await req.set(agentB.auth), 404);
    expectProblem(
      await server.http
        .post('/api/v1/technicians')
        .set(agentA.auth)
        .send({ userId: agentA.user.id, timeZone: 'UTC' }),
      403,
    );
  });
});
