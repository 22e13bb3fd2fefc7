import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { eventsOf, eventually, salesFactories } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Activity = Record<string, unknown> & { id: string; version: number };

describe('activities', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof salesFactories>;
  let people: ReturnType<typeof accessFactories>;
  let adminId: string;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
    people = accessFactories(server, token);
    adminId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = (body: Record<string, unknown>, auth = admin) =>
    server.http.post('/api/v1/activities').set(auth).send(body);
  const activity = async (body: Record<string, unknown>, auth = admin): Promise<Activity> => {
    const res = await create(body, auth);
    if (res.status !== 201) throw new Error(`activity: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Activity;
  };
  const fieldsOf = (body: { errors?: { field: string; rule?: string }[] }) =>
    (body.errors ?? []).map((e) => e.field).sort();

  describe('writing', () => {
    it('logs a call about a contact with the people taking part', async () => {
      const contact = await make.contact();
      const colleague = await people.user('sales_rep');
      const res = await create({
        type: 'call',
        subject: 'Discovery call',
        direction: 'outbound',
        startsAt: '2026-11-20T09:00:00+07:00',
        durationMinutes: 25,
        relatedEntity: 'contacts',
        relatedId: contact.id.toUpperCase(),
        participantUserIds: [colleague.id, colleague.id],
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/activities/${res.body.id}`);
      expect(res.body).toMatchObject({
        type: 'call',
        status: 'planned',
        priority: 'normal',
        direction: 'outbound',
        startsAt: '2026-11-20T02:00:00.000Z',
        occurredAt: '2026-11-20T02:00:00.000Z',
        completedAt: null,
        relatedEntity: 'contacts',
        relatedId: contact.id,
        participantUserIds: [colleague.id],
        participantContactIds: [],
        ownerId: adminId,
        version: 1,
      });
    });

    it('starts notes and logged emails completed, and stamps completion of tasks', async () => {
      const note = await activity({ type: 'note', subject: 'Prefers WhatsApp' });
      expect(note.status).toBe('completed');
      expect(note.completedAt).toEqual(expect.any(String));
      expect(note.occurredAt).toBe(note.completedAt);

      const email = await activity({ type: 'email', subject: 'Re: pricing', direction: 'inbound' });
      expect(email.status).toBe('completed');

      const task = await activity({
        type: 'task',
        subject: 'Send the proposal',
        dueAt: '2026-12-01T10:00:00Z',
      });
      expect(task).toMatchObject({ status: 'planned', occurredAt: '2026-12-01T10:00:00.000Z' });
      const done = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set(admin)
        .send({ status: 'completed' });
      expect(done.status).toBe(200);
      expect(done.body.completedAt).toEqual(expect.any(String));
      expect(done.body.occurredAt).toBe(done.body.completedAt);

      const reopened = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set(admin)
        .send({ status: 'planned' });
      expect(reopened.body).toMatchObject({
        completedAt: null,
        occurredAt: '2026-12-01T10:00:00.000Z',
      });
      const history = await server.http.get(`/api/v1/activities/${task.id}/history`).set(admin);
      expect(history.body.data.map((h: { action: string }) => h.action)).toEqual([
        'update',
        'update',
        'create',
      ]);
    });

    it('lists by type, status and participant', async () => {
      const person = await people.user('sales_rep');
      const mine = await activity({
        type: 'meeting',
        subject: 'Quarterly review',
        startsAt: '2026-11-25T03:00:00Z',
        endsAt: '2026-11-25T04:00:00Z',
        location: 'Jakarta office',
        participantUserIds: [person.id],
      });
      await activity({ type: 'task', subject: 'Unrelated' });
      const res = await server.http
        .get(
          `/api/v1/activities?filter[participantUserIds][contains]=${person.id}&filter[type][in]=meeting,call&filter[status][eq]=planned`,
        )
        .set(admin);
      expect(res.status).toBe(200);
      expect(res.body.data.map((a: Activity) => a.id)).toEqual([mine.id]);
    });

    it('answers bad input clearly', async () => {
      const missing = await create({});
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing.body)).toEqual(expect.arrayContaining(['subject', 'type']));

      const cases: [Record<string, unknown>, string][] = [
        [{ type: 'visit', subject: 'x' }, 'type'],
        [{ type: 'task', subject: 'x'.repeat(301) }, 'subject'],
        [{ type: 'task', subject: 42 }, 'subject'],
        [{ type: 'task', subject: 'x', colour: 'red' }, 'colour'],
        [{ type: 'task', subject: 'x', dueAt: '2026-12-01 10:00' }, 'dueAt'],
        [{ type: 'task', subject: 'x', dueAt: '2026-12-01T10:00:00' }, 'dueAt'],
        [{ type: 'task', subject: 'x', priority: 'urgent' }, 'priority'],
        [{ type: 'task', subject: 'x', priority: 'x'.repeat(101) }, 'priority'],
        [{ type: 'task', subject: 'x', relatedEntity: 'x'.repeat(101) }, 'relatedEntity'],
        [{ type: 'call', subject: 'x', durationMinutes: 10081 }, 'durationMinutes'],
        [{ type: 'call', subject: 'x', durationMinutes: 2.5 }, 'durationMinutes'],
        [{ type: 'call', subject: 'x', outcome: 'exploded' }, 'outcome'],
        [{ type: 'task', subject: 'x', direction: 'inbound' }, 'direction'],
        [{ type: 'note', subject: 'x', location: 'Bandung' }, 'location'],
        [{ type: 'note', subject: 'x', status: 'planned' }, 'status'],
        [
          {
            type: 'meeting',
            subject: 'x',
            startsAt: '2026-11-25T04:00:00Z',
            endsAt: '2026-11-25T03:00:00Z',
          },
          'endsAt',
        ],
        [{ type: 'task', subject: 'x', relatedEntity: 'contacts' }, 'relatedId'],
        [{ type: 'task', subject: 'x', relatedId: randomUUID() }, 'relatedEntity'],
        [
          { type: 'task', subject: 'x', relatedEntity: 'planets', relatedId: randomUUID() },
          'relatedEntity',
        ],
        [
          { type: 'task', subject: 'x', relatedEntity: 'contacts', relatedId: randomUUID() },
          'relatedId',
        ],
        [{ type: 'task', subject: 'x', relatedEntity: 'contacts', relatedId: 'nope' }, 'relatedId'],
        [
          { type: 'meeting', subject: 'x', participantContactIds: [randomUUID()] },
          'participantContactIds[0]',
        ],
        [
          { type: 'meeting', subject: 'x', participantUserIds: [randomUUID()] },
          'participantUserIds[0]',
        ],
        [{ type: 'meeting', subject: 'x', participantUserIds: 'everyone' }, 'participantUserIds'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect({ body, fields: fieldsOf(res.body) }).toEqual({
          body,
          fields: expect.arrayContaining([field]),
        });
      }
    });

    it('keeps the type, honours If-Match and hides other teams’ activities', async () => {
      const task = await activity({ type: 'task', subject: 'Follow up' });
      const retype = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set(admin)
        .send({ type: 'call' });
      expect(retype.status).toBe(400);
      expect(fieldsOf(retype.body)).toEqual(['type']);

      const stale = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set({ ...admin, 'if-match': '"0"' })
        .send({ subject: 'Late' });
      expect(stale.status).toBe(412);

      const rep = await people.userWithToken('sales_rep');
      const hidden = await server.http.get(`/api/v1/activities/${task.id}`).set(rep.auth);
      expect(hidden.status).toBe(404);
      const touch = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set(rep.auth)
        .send({ subject: 'Mine now' });
      expect(touch.status).toBe(404);

      // A rep cannot relate an activity to a record outside their own scope.
      const foreign = await make.contact();
      const sneaky = await create(
        { type: 'task', subject: 'x', relatedEntity: 'contacts', relatedId: foreign.id },
        rep.auth,
      );
      expect(sneaky.status).toBe(400);
      expect(fieldsOf(sneaky.body)).toEqual(['relatedId']);
    });
  });

  describe('reminders', () => {
    const dueEvents = async (id: string) =>
      (await eventsOf(server, id)).filter((e) => e.type === 'activity.due');

    it('emits activity.due once at the reminder time and again for a new time', async () => {
      const soon = new Date(Date.now() + 1500).toISOString();
      const task = await activity({ type: 'task', subject: 'Call back', reminderAt: soon });
      const first = await eventually(
        () => dueEvents(task.id),
        (e) => e.length === 1,
      );
      expect(first).toHaveLength(1);
      expect(first[0].data).toMatchObject({ subject: 'Call back', ownerId: adminId });
      const read = await server.http.get(`/api/v1/activities/${task.id}`).set(admin);
      expect(read.body.reminderSentAt).toEqual(expect.any(String));

      const again = new Date(Date.now() + 500).toISOString();
      const moved = await server.http
        .patch(`/api/v1/activities/${task.id}`)
        .set(admin)
        .send({ reminderAt: again });
      expect(moved.body.reminderSentAt).toBeNull();
      const second = await eventually(
        () => dueEvents(task.id),
        (e) => e.length === 2,
      );
      expect(second).toHaveLength(2);
    });

    it('stays silent for an activity completed or deleted before its reminder', async () => {
      const at = new Date(Date.now() + 1500).toISOString();
      const done = await activity({ type: 'task', subject: 'Done early', reminderAt: at });
      const gone = await activity({ type: 'task', subject: 'Deleted', reminderAt: at });
      const control = await activity({ type: 'task', subject: 'Control', reminderAt: at });
      await server.http
        .patch(`/api/v1/activities/${done.id}`)
        .set(admin)
        .send({ status: 'completed' })
        .expect(200);
      await server.http.delete(`/api/v1/activities/${gone.id}`).set(admin).expect(204);
      await eventually(
        () => dueEvents(control.id),
        (e) => e.length === 1,
      );
      // The jobs for all three were due at the same moment; give the others time to run too.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await dueEvents(done.id)).toEqual([]);
      expect(await dueEvents(gone.id)).toEqual([]);
    });
  });

  describe('timelines', () => {
    type Entry = {
      id: string;
      type: string;
      title: string;
      occurredAt: string;
      source: { entity: string; id: string };
    };
    const timeline = async (path: string, query = '', auth = admin) => {
      const res = await server.http.get(`/api/v1/${path}/timeline${query}`).set(auth);
      if (res.status !== 200)
        throw new Error(`timeline: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { data: Entry[]; meta: { nextCursor: string | null; limit: number } };
    };

    it('merges activities, stage changes and conversions newest first, on every record they concern', async () => {
      const account = await make.account();
      const contact = await make.contact({ accountId: account.id });
      const other = await make.contact();
      const call = await activity({
        type: 'call',
        subject: 'First call',
        status: 'completed',
        relatedEntity: 'contacts',
        relatedId: contact.id,
      });
      const meeting = await activity({
        type: 'meeting',
        subject: 'Workshop',
        startsAt: '2030-01-10T02:00:00Z',
        relatedEntity: 'accounts',
        relatedId: account.id,
        participantContactIds: [contact.id, other.id],
      });
      const deal = await make.opportunity({ accountId: account.id, primaryContactId: contact.id });
      await make
        .move(deal.id, { stage: 'proposal', amount: { amount: '1000', currency: 'IDR' } })
        .expect(200);
      const lead = await make.lead({ email: `${randomUUID()}@example.com` });
      await server.http
        .post(`/api/v1/leads/${lead.id}/convert`)
        .set(admin)
        .send({ contactId: contact.id, accountId: account.id })
        .expect(200);

      const onContact = await timeline(`contacts/${contact.id}`);
      expect(onContact.data.map((e) => e.type)).toEqual([
        'meeting',
        'lead_converted',
        'stage_change',
        'stage_change',
        'call',
      ]);
      expect(onContact.data[0]).toMatchObject({
        title: 'Workshop',
        occurredAt: '2030-01-10T02:00:00.000Z',
        source: { entity: 'activities', id: meeting.id },
      });
      expect(onContact.data[2].title).toMatch(/→/);
      expect(onContact.data[4].source.id).toBe(call.id);

      const onAccount = await timeline(`accounts/${account.id}`);
      expect(onAccount.data.map((e) => e.type).sort()).toEqual(
        ['call', 'lead_converted', 'meeting', 'stage_change', 'stage_change'].sort(),
      );
      const onOther = await timeline(`contacts/${other.id}`);
      expect(onOther.data.map((e) => e.type)).toEqual(['meeting']);
      const onDeal = await timeline(`opportunities/${deal.id}`);
      expect(onDeal.data.map((e) => e.type)).toEqual(['stage_change', 'stage_change']);
      const onLead = await timeline(`leads/${lead.id}`);
      expect(onLead.data.map((e) => e.type)).toEqual(['lead_converted']);

      const calls = await timeline(`contacts/${contact.id}`, '?filter[type][in]=call,meeting');
      expect(calls.data.map((e) => e.type)).toEqual(['meeting', 'call']);
      const oldestFirst = await timeline(`contacts/${contact.id}`, '?sort=occurredAt');
      expect(oldestFirst.data.map((e) => e.type)[0]).toBe('call');

      // An edit moves the entry; a deleted activity leaves every timeline and comes back on restore.
      await server.http
        .patch(`/api/v1/activities/${meeting.id}`)
        .set(admin)
        .send({ participantContactIds: [contact.id] })
        .expect(200);
      expect((await timeline(`contacts/${other.id}`)).data).toEqual([]);
      await server.http.delete(`/api/v1/activities/${call.id}`).set(admin).expect(204);
      expect((await timeline(`contacts/${contact.id}`)).data.map((e) => e.type)).not.toContain(
        'call',
      );
      await server.http.post(`/api/v1/activities/${call.id}/restore`).set(admin).expect(200);
      expect((await timeline(`contacts/${contact.id}`)).data.map((e) => e.type)).toContain('call');
    });

    it('pages by keyset without gaps or repeats while entries are added', async () => {
      const contact = await make.contact();
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const a = await activity({
          type: 'note',
          subject: `Note ${i}`,
          relatedEntity: 'contacts',
          relatedId: contact.id,
        });
        created.push(a.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await timeline(
          `contacts/${contact.id}`,
          `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.data.map((e) => e.source.id));
        cursor = page.meta.nextCursor;
        if (pages++ === 0)
          await activity({
            type: 'note',
            subject: 'Newer',
            relatedEntity: 'contacts',
            relatedId: contact.id,
          });
      } while (cursor);
      expect(seen).toEqual([...created].reverse());
      expect(pages).toBe(3);
    });

    it('shows a caller only the entries whose records they may read', async () => {
      const contact = await make.contact();
      const role = await people.role({
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
            activities: {
              create: 'own',
              read: 'own',
              update: 'own',
              delete: 'own',
              reassign: false,
            },
          },
        },
      });
      const viewer = await people.userWithToken(role.id);
      await activity({
        type: 'note',
        subject: 'Admin only',
        relatedEntity: 'contacts',
        relatedId: contact.id,
      });
      await activity(
        { type: 'note', subject: 'Viewer own', relatedEntity: 'contacts', relatedId: contact.id },
        viewer.auth,
      );
      await make.opportunity({ primaryContactId: contact.id });
      const seen = await timeline(`contacts/${contact.id}`, '', viewer.auth);
      expect(seen.data.map((e) => e.title)).toEqual(['Viewer own']);
      const all = await timeline(`contacts/${contact.id}`);
      expect(all.data).toHaveLength(3);

      const rep = await people.userWithToken('sales_rep');
      const outside = await server.http
        .get(`/api/v1/contacts/${contact.id}/timeline`)
        .set(rep.auth);
      expect(outside.status).toBe(404);
    });

    it('answers bad timeline queries clearly', async () => {
      const contact = await make.contact();
      const bad = [
        '?filter[type][in]=call,teleport',
        '?filter[occurredAt][gte]=yesterday',
        '?filter[subject][eq]=x',
        '?sort=title',
        '?limit=501',
        '?limit=0',
        '?cursor=garbage',
        '?fields=id',
        '?include=account',
        '?colour=red',
      ];
      for (const q of bad) {
        const res = await server.http.get(`/api/v1/contacts/${contact.id}/timeline${q}`).set(admin);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
      const missing = await server.http.get(`/api/v1/contacts/${randomUUID()}/timeline`).set(admin);
      expect(missing.status).toBe(404);
      const notUuid = await server.http.get('/api/v1/contacts/nope/timeline').set(admin);
      expect(notUuid.status).toBe(400);
      const anonymous = await server.http.get(`/api/v1/contacts/${contact.id}/timeline`);
      expect(anonymous.status).toBe(401);
    });

    it('merges the timelines and activities of merged contacts', async () => {
      const survivor = await make.contact();
      const duplicate = await make.contact();
      const a = await activity({
        type: 'call',
        subject: 'Call the duplicate',
        relatedEntity: 'contacts',
        relatedId: duplicate.id,
        participantContactIds: [duplicate.id, survivor.id],
      });
      const merged = await server.http
        .post(`/api/v1/contacts/${survivor.id}/merge`)
        .set(admin)
        .send({ duplicateIds: [duplicate.id] });
      expect(merged.status).toBe(200);
      const moved = await server.http.get(`/api/v1/activities/${a.id}`).set(admin);
      expect(moved.body).toMatchObject({
        relatedId: survivor.id,
        participantContactIds: [survivor.id],
      });
      const entries = (await timeline(`contacts/${survivor.id}`)).data;
      expect(entries.map((e) => e.source.id)).toEqual([a.id]);
    });
  });
});
