import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
privacy:
  retention:
    contacts: { afterDays: 30 }
`;

type Auth = { authorization: string };
type Contact = Record<string, unknown> & { id: string; version: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('data-subject tools', () => {
  let server: TestServer;
  let admin: Auth;
  let rep: Auth;
  let customers: ReturnType<typeof factories>;

  beforeAll(async () => {
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('privacy', CONFIG),
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_JOB_POLL_MS: '100',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    rep = (await accessFactories(server, token).userWithToken('sales_rep')).auth;
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A contact with personal data everywhere: fields, an edit in its history, an activity and an opportunity. */
  async function person(): Promise<{
    contact: Contact;
    activityId: string;
    opportunityId: string;
  }> {
    const account = await customers.account();
    const created = await customers.contact({
      accountId: account.id,
      firstName: 'Sari',
      lastName: `Wijaya ${randomUUID().slice(0, 8)}`,
      email: `sari.${randomUUID().slice(0, 8)}@contoh.co.id`,
      phones: [{ number: '+62 812 3456 7890', label: 'mobile' }],
      title: 'Finance Manager',
    });
    const edited = await server.http
      .patch(`/api/v1/contacts/${created.id}`)
      .set({ ...admin, 'if-match': `"${created.version}"` })
      .send({ department: 'Finance', description: 'Prefers calls after 10am' })
      .expect(200);
    const activity = await server.http
      .post('/api/v1/activities')
      .set(admin)
      .send({
        type: 'call',
        subject: 'Renewal call',
        startsAt: '2026-11-02T10:00:00+07:00',
        relatedEntity: 'contacts',
        relatedId: created.id,
        participantContactIds: [created.id],
      })
      .expect(201);
    const opportunity = await server.http
      .post('/api/v1/opportunities')
      .set(admin)
      .send({
        name: 'Renewal 2027',
        accountId: account.id,
        primaryContactId: created.id,
      })
      .expect(201);
    return {
      contact: edited.body as Contact,
      activityId: activity.body.id as string,
      opportunityId: opportunity.body.id as string,
    };
  }

  it('exports everything held on a contact, for administrators only, audited', async () => {
    const { contact, activityId, opportunityId } = await person();
    const res = await server.http
      .get(`/api/v1/contacts/${contact.id}/personal-data`)
      .set(admin)
      .expect(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="contact-${contact.id}.json"; filename*=UTF-8''contact-${contact.id}.json`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const doc = res.body as {
      subject: unknown;
      contact: Record<string, unknown>;
      history: { action: string; changes: unknown[] }[];
      timeline: { sourceId: string }[];
      referringRecords: { entity: string; records: { id: string }[] }[];
    };
    expect(doc.subject).toEqual({ entity: 'contacts', id: contact.id });
    expect(doc.contact).toMatchObject({
      id: contact.id,
      firstName: 'Sari',
      email: contact.email,
      department: 'Finance',
    });
    expect(doc.history.map((h) => h.action)).toEqual(['create', 'update']);
    expect(doc.history[1].changes).toContainEqual({
      field: 'department',
      old: null,
      new: 'Finance',
    });
    const byEntity = Object.fromEntries(
      doc.referringRecords.map((r) => [r.entity, r.records.map((x) => x.id)]),
    );
    expect(byEntity.activities).toEqual([activityId]);
    expect(byEntity.opportunities).toEqual([opportunityId]);
    expect(doc.timeline.some((t) => t.sourceId === activityId)).toBe(true);

    const audit = await server.http
      .get(`/api/v1/privacy/requests?subjectId=${contact.id}`)
      .set(admin)
      .expect(200);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({
      kind: 'export',
      trigger: 'request',
      subjectEntity: 'contacts',
      subjectId: contact.id,
      // The activity points at the contact twice: as its subject and as a participant.
      summary: { history: 2, referringRecords: 3 },
    });
  });

  it('refuses exports to non-administrators, of unknown contacts and with bad ids', async () => {
    const { contact } = await person();
    const forbidden = await server.http
      .get(`/api/v1/contacts/${contact.id}/personal-data`)
      .set(rep);
    expect(forbidden.status).toBe(403);
    await server.http.get(`/api/v1/contacts/${randomUUID()}/personal-data`).set(admin).expect(404);
    await server.http.get(`/api/v1/contacts/not-a-uuid/personal-data`).set(admin).expect(400);
    await server.http.get(`/api/v1/contacts/${contact.id}/personal-data`).expect(401);
  });

  it('erases the personal data and its traces, keeps the records that point at the contact', async () => {
    const { contact, activityId, opportunityId } = await person();
    // The lead the contact was converted from holds the same person.
    const lead = await server.http
      .post('/api/v1/leads')
      .set(admin)
      .send({
        firstName: 'Sari',
        lastName: 'Lead',
        company: 'PT Contoh',
        email: 'sari.lead@contoh.co.id',
      })
      .expect(201);
    await server.http
      .post(`/api/v1/leads/${lead.body.id as string}/convert`)
      .set(admin)
      .send({ contactId: contact.id, accountId: contact.accountId })
      .expect(200);
    const res = await server.http
      .post(`/api/v1/contacts/${contact.id}/erasure`)
      .set(admin)
      .send({ reason: 'Requested by the data subject (ticket 4711)' })
      .expect(200);
    expect(res.body).toMatchObject({
      kind: 'erasure',
      trigger: 'request',
      subjectId: contact.id,
      reason: 'Requested by the data subject (ticket 4711)',
      summary: { contacts: 1, history: 2, convertedLeads: 1 },
    });
    const erasedLead = await server.http
      .get(`/api/v1/leads/${lead.body.id as string}`)
      .set(admin)
      .expect(200);
    expect(erasedLead.body).toMatchObject({
      firstName: null,
      lastName: 'Erased',
      email: null,
      company: 'PT Contoh',
      status: 'converted',
      convertedContactId: contact.id,
    });
    const leadHistory = await server.http
      .get(`/api/v1/leads/${lead.body.id as string}/history`)
      .set(admin)
      .expect(200);
    expect(JSON.stringify(leadHistory.body)).not.toContain('sari.lead');

    const after = await server.http.get(`/api/v1/contacts/${contact.id}`).set(admin).expect(200);
    expect(after.body).toMatchObject({
      firstName: null,
      lastName: 'Erased',
      email: null,
      phones: [],
      title: null,
      department: null,
      description: null,
      accountId: contact.accountId,
    });
    expect(after.body.version).toBe(contact.version + 1);

    // The history keeps who changed which field when, never a value that was erased.
    const history = await server.http
      .get(`/api/v1/contacts/${contact.id}/history`)
      .set(admin)
      .expect(200);
    const text = JSON.stringify(history.body);
    for (const secret of ['Sari', String(contact.email), 'Finance', '3456', 'after 10am'])
      expect(text).not.toContain(secret);
    expect(history.body.data[0].changes).toContainEqual({
      field: 'firstName',
      old: null,
      new: null,
    });

    // Stored events about the contact carry no personal data any more; the erasure is announced.
    const events = await eventsOf(server, contact.id);
    expect(JSON.stringify(events)).not.toContain('Sari');
    const erased = events.find((e) => e.type === 'contact.erased');
    expect(erased?.data).toEqual({
      requestId: res.body.id,
      trigger: 'request',
      erasedAt: res.body.at,
    });

    // Records pointing at the contact stay, still pointing at it.
    const activity = await server.http.get(`/api/v1/activities/${activityId}`).set(admin);
    expect(activity.body.participantContactIds).toEqual([contact.id]);
    const opportunity = await server.http.get(`/api/v1/opportunities/${opportunityId}`).set(admin);
    expect(opportunity.body.primaryContactId).toBe(contact.id);

    const again = await server.http
      .post(`/api/v1/contacts/${contact.id}/erasure`)
      .set(admin)
      .send({ reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'subject_already_erased', erasedAt: res.body.at });
  });

  it('refuses bad erasure requests', async () => {
    const { contact } = await person();
    const url = `/api/v1/contacts/${contact.id}/erasure`;
    const missing = await server.http.post(url).set(admin).send({});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('reason');
    expect((await server.http.post(url).set(admin).send({ reason: 42 })).status).toBe(400);
    expect((await server.http.post(url).set(admin).send({ reason: '' })).status).toBe(400);
    expect(
      (
        await server.http
          .post(url)
          .set(admin)
          .send({ reason: 'x'.repeat(1001) })
      ).status,
    ).toBe(400);
    expect(
      (await server.http.post(url).set(admin).send({ reason: 'ok', cascade: true })).status,
    ).toBe(400);
    expect((await server.http.post(url).set(rep).send({ reason: 'ok' })).status).toBe(403);
    expect(
      (
        await server.http
          .post(`/api/v1/contacts/${randomUUID()}/erasure`)
          .set(admin)
          .send({ reason: 'ok' })
      ).status,
    ).toBe(404);
    // Nothing was erased by any of them.
    const still = await server.http.get(`/api/v1/contacts/${contact.id}`).set(admin).expect(200);
    expect(still.body.firstName).toBe('Sari');
  });

  it('lets two erasures of one contact race: one wins, the other is a conflict', async () => {
    const { contact } = await person();
    const url = `/api/v1/contacts/${contact.id}/erasure`;
    const [a, b] = await Promise.all([
      server.http.post(url).set(admin).send({ reason: 'first' }),
      server.http.post(url).set(admin).send({ reason: 'second' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM privacy_requests WHERE subject_id = $1 AND kind = 'erasure'`,
      [contact.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('erases contacts untouched past the retention period, not those with recent activity', async () => {
    const stale = await person();
    const busy = await person();
    const fresh = await person();
    // Everything about `stale` and `busy` is 40 days old, except an activity of `busy` touched today.
    const old = `now() - interval '40 days'`;
    await server.db.query(`UPDATE contacts SET updated_at = ${old} WHERE id = ANY($1::uuid[])`, [
      [stale.contact.id, busy.contact.id],
    ]);
    await server.db.query(`UPDATE activities SET updated_at = ${old} WHERE id = $1`, [
      stale.activityId,
    ]);
    await server.db.query(
      `UPDATE opportunities SET updated_at = ${old} WHERE id = ANY($1::uuid[])`,
      [[stale.opportunityId, busy.opportunityId]],
    );
    await server.db.query(
      `UPDATE job_schedules SET next_run_at = now() WHERE name = 'privacy.retention'`,
    );
    let erased: Record<string, unknown> | undefined;
    for (let i = 0; i < 200 && !erased; i++) {
      const { rows } = await server.db.query(
        `SELECT trigger, actor_id, reason FROM privacy_requests WHERE subject_id = $1 AND kind = 'erasure'`,
        [stale.contact.id],
      );
      erased = rows[0];
      if (!erased) await sleep(100);
    }
    expect(erased).toEqual({
      trigger: 'retention',
      actor_id: null,
      reason: 'retention: untouched for 30 days',
    });
    const get = (id: string) => server.http.get(`/api/v1/contacts/${id}`).set(admin).expect(200);
    expect((await get(stale.contact.id)).body.lastName).toBe('Erased');
    expect((await get(busy.contact.id)).body.firstName).toBe('Sari');
    expect((await get(fresh.contact.id)).body.firstName).toBe('Sari');
  });

  it('lists the audit newest first with a cursor, and checks its parameters', async () => {
    const page = await server.http.get('/api/v1/privacy/requests?limit=1').set(admin).expect(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.meta.nextCursor).toEqual(expect.any(String));
    const next = await server.http
      .get(`/api/v1/privacy/requests?limit=1&cursor=${page.body.meta.nextCursor as string}`)
      .set(admin)
      .expect(200);
    expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
    expect(next.body.data[0].at <= page.body.data[0].at).toBe(true);
    expect((await server.http.get('/api/v1/privacy/requests').set(rep)).status).toBe(403);
    for (const bad of ['limit=0', 'limit=x', 'subjectId=nope', 'cursor=garbage', 'color=red'])
      expect((await server.http.get(`/api/v1/privacy/requests?${bad}`).set(admin)).status).toBe(
        400,
      );
  });
});
