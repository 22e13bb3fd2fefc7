import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { timeZone: Asia/Jakarta }
marketing:
  topics:
    - { key: newsletter, label: { en: Newsletter } }
    - { key: events, label: { en: Events } }
`;

type Auth = { authorization: string };

describe('marketing: preferences, consent and the gate', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('mkt-prefs', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  const prefsOf = (id: string, auth: Auth = admin) =>
    server.http.get(`/api/v1/contacts/${id}/preferences`).set(auth);
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    server.http
      .patch(`/api/v1/contacts/${id}/preferences`)
      .set({ ...admin, ...headers })
      .send(body as object);
  const give = (id: string, body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post(`/api/v1/contacts/${id}/consents`).set(auth).send(body);
  const check = (body: Record<string, unknown>) =>
    server.http.post('/api/v1/marketing/gate-checks').set(admin).send(body);
  const consenting = async (fields: Record<string, unknown> = {}) => {
    const c = await customers.contact({ email: `c-${randomUUID()}@example.com`, ...fields });
    expect(
      (await give(c.id, { purpose: 'marketing', lawfulBasis: 'consent', source: 'web form' }))
        .status,
    ).toBe(201);
    return c;
  };

  it('starts with the defaults and keeps a change with its history, ETag and event', async () => {
    const c = await customers.contact({ timeZone: 'Europe/Berlin' });
    const first = await prefsOf(c.id);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"0"');
    expect(first.body).toMatchObject({
      contactId: c.id,
      channels: { email: 'unset', sms: 'unset', phone: 'unset', whatsapp: 'unset', post: 'unset' },
      topics: [],
      quietHours: null,
      frequencyCap: null,
      effectiveTimeZone: 'Europe/Berlin',
      consents: [],
      version: 0,
    });

    const res = await patch(
      c.id,
      {
        channels: { email: 'opted_in', sms: 'opted_out' },
        topics: ['events'],
        preferredChannel: 'email',
        language: 'id',
        timeZone: 'Asia/Makassar',
        quietHours: { start: '21:00', end: '08:00' },
        frequencyCap: { max: 2, per: 'week' },
      },
      { 'if-match': '"0"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      channels: { email: 'opted_in', sms: 'opted_out', phone: 'unset' },
      topics: ['events'],
      preferredChannel: 'email',
      language: 'id',
      timeZone: 'Asia/Makassar',
      effectiveTimeZone: 'Asia/Makassar',
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { max: 2, per: 'week' },
      version: 1,
    });
    const cleared = await patch(c.id, { quietHours: null, timeZone: null });
    expect(cleared.body).toMatchObject({ quietHours: null, effectiveTimeZone: 'Europe/Berlin' });

    const history = await server.http.get(`/api/v1/contacts/${c.id}/history`).set(admin);
    const fields = (history.body as { data: { changes: { field: string }[] }[] }).data.flatMap(
      (h) => h.changes.map((x) => x.field),
    );
    expect(fields).toEqual(expect.arrayContaining(['preferences.channels', 'preferences.topics']));
    const events = await eventsOf(server, c.id);
    expect(events.filter((e) => e.type === 'preferences.changed')).toHaveLength(2);
  });

  it('refuses bad preference inputs with 400, a stale ETag with 412', async () => {
    const c = await customers.contact();
    const bad: [unknown, string][] = [
      [{ colour: 'red' }, 'colour'],
      [{ topics: 'events' }, 'topics'],
      [{ topics: ['sports'] }, 'topics[0]'],
      [{ topics: ['x'.repeat(51)] }, 'topics'],
      [{ channels: { email: 'yes' } }, 'channels.email'],
      [{ channels: { fax: 'opted_in' } }, 'channels.fax'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ timeZone: 'A'.repeat(65) }, 'timeZone'],
      [{ quietHours: { start: '25:00', end: '07:00' } }, 'quietHours.start'],
      [{ quietHours: { start: '07:00' } }, 'quietHours.end'],
      [{ quietHours: { start: '07:00', end: '07:00' } }, 'quietHours.end'],
      [{ frequencyCap: { max: 0, per: 'week' } }, 'frequencyCap.max'],
      [{ frequencyCap: { max: 2, per: 'year' } }, 'frequencyCap.per'],
      [{ unsubscribed: 'yes' }, 'unsubscribed'],
    ];
    for (const [body, field] of bad) {
      const res = await patch(c.id, body);
      expect([res.status, body]).toEqual([400, body]);
      const named = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect([named, body]).toEqual([expect.arrayContaining([field]), body]);
    }
    expect((await patch(c.id, { topics: ['events'] })).status).toBe(200);
    const stale = await patch(c.id, { topics: [] }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect((await prefsOf(randomUUID())).status).toBe(404);
    expect((await prefsOf('not-a-uuid')).status).toBe(400);
  });

  it("hides another team's contact (404) and needs update on the contact to change (403)", async () => {
    const c = await customers.contact();
    const rep = await people.userWithToken('sales_rep');
    expect((await prefsOf(c.id, rep.auth)).status).toBe(404);
    const repPatch = await server.http
      .patch(`/api/v1/contacts/${c.id}/preferences`)
      .set(rep.auth)
      .send({ topics: [] });
    expect(repPatch.status).toBe(404);
    expect(
      (await give(c.id, { purpose: 'marketing', lawfulBasis: 'consent', source: 'x' }, rep.auth))
        .status,
    ).toBe(404);
    const analyst = await people.userWithToken('analyst');
    expect((await prefsOf(c.id, analyst.auth)).status).toBe(200);
    const analystPatch = await server.http
      .patch(`/api/v1/contacts/${c.id}/preferences`)
      .set(analyst.auth)
      .send({ topics: [] });
    expect(analystPatch.status).toBe(403);
  });

  it('keeps consent as history: a withdrawal is a new entry and the old one is never rewritten', async () => {
    const c = await customers.contact({ email: 'hist@example.com' });
    const given = await give(c.id, {
      purpose: 'marketing',
      lawfulBasis: 'consent',
      channel: 'email',
      source: 'web form: newsletter sign-up',
      proofText: 'I agree to receive product news by e-mail.',
      proofUrl: 'https://forms.example.com/submissions/8812',
      givenAt: '2026-05-01T09:30:00+07:00',
    });
    expect(given.status).toBe(201);
    expect(given.headers.location).toBe(`/api/v1/contacts/${c.id}/consents/${given.body.id}`);
    expect(given.body).toMatchObject({
      action: 'given',
      givenAt: '2026-05-01T02:30:00.000Z',
      withdrawnAt: null,
      relatedId: null,
    });
    expect((await prefsOf(c.id)).body.consents).toHaveLength(1);

    const withdrawn = await server.http
      .post(`/api/v1/contacts/${c.id}/consents/${given.body.id}/withdraw`)
      .set(admin)
      .send({ source: 'phone call to the service desk' });
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body).toMatchObject({
      action: 'withdrawn',
      purpose: 'marketing',
      channel: 'email',
      relatedId: given.body.id,
    });
    const again = await server.http
      .post(`/api/v1/contacts/${c.id}/consents/${given.body.id}/withdraw`)
      .set(admin)
      .send({ source: 'again' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ withdrawalId: withdrawn.body.id });

    const list = await server.http.get(`/api/v1/contacts/${c.id}/consents?limit=1`).set(admin);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].id).toBe(withdrawn.body.id);
    const rest = await server.http
      .get(`/api/v1/contacts/${c.id}/consents?cursor=${list.body.meta.nextCursor}`)
      .set(admin);
    expect(rest.body.data[0]).toMatchObject({
      id: given.body.id,
      givenAt: '2026-05-01T02:30:00.000Z',
      proofText: 'I agree to receive product news by e-mail.',
      relatedId: withdrawn.body.id,
    });
    expect(rest.body.data[0].withdrawnAt).not.toBeNull();
    expect((await prefsOf(c.id)).body.consents).toEqual([]);
    await expect(
      server.db.query(`UPDATE consent_records SET source = 'rewritten' WHERE id = $1`, [
        given.body.id,
      ]),
    ).rejects.toThrow(/append-only/);
    const types = (await eventsOf(server, c.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['consent.given', 'consent.withdrawn']));
  });

  it('refuses bad consent inputs', async () => {
    const c = await customers.contact();
    const ok = { purpose: 'marketing', lawfulBasis: 'consent', source: 'web' };
    const bad: [Record<string, unknown>, string][] = [
      [{ lawfulBasis: 'consent', source: 'web' }, 'purpose'],
      [{ ...ok, purpose: 'Marketing!' }, 'purpose'],
      [{ ...ok, lawfulBasis: 'because' }, 'lawfulBasis'],
      [{ ...ok, source: 42 }, 'source'],
      [{ ...ok, source: 'x'.repeat(201) }, 'source'],
      [{ ...ok, proofUrl: 'javascript:alert(1)' }, 'proofUrl'],
      [{ ...ok, givenAt: '2026-05-01T09:30:00' }, 'givenAt'],
      [{ ...ok, channel: 'fax' }, 'channel'],
      [{ ...ok, extra: true }, 'extra'],
    ];
    for (const [body, field] of bad) {
      const res = await give(c.id, body);
      expect([res.status, field]).toEqual([400, field]);
      const named = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect(named).toContain(field);
    }
    const unknown = await server.http
      .post(`/api/v1/contacts/${c.id}/consents/${randomUUID()}/withdraw`)
      .set(admin)
      .send({ source: 'x' });
    expect(unknown.status).toBe(404);
    const missing = await server.http
      .post(`/api/v1/contacts/${c.id}/consents/${randomUUID()}/withdraw`)
      .set(admin)
      .send({});
    expect(missing.status).toBe(400);
  });

  it('holds back an opted-out contact, one without consent or address, and records why', async () => {
    const noConsent = await customers.contact({ email: `n-${randomUUID()}@example.com` });
    const held = await check({ contactId: noConsent.id, channel: 'email', purpose: 'marketing' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ allowed: false, reason: 'no_consent', nextAllowedAt: null });

    const c = await consenting();
    expect((await check({ contactId: c.id, channel: 'email', purpose: 'marketing' })).body).toEqual(
      {
        allowed: true,
      },
    );
    expect(
      (await check({ contactId: c.id, channel: 'sms', purpose: 'marketing' })).body,
    ).toMatchObject({
      allowed: false,
      reason: 'no_address',
    });
    expect(
      (await check({ contactId: c.id, channel: 'email', purpose: 'sales' })).body,
    ).toMatchObject({
      allowed: false,
      reason: 'no_consent',
    });
    await patch(c.id, { channels: { email: 'opted_out' } });
    const out = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      topic: 'events',
    });
    expect(out.body).toMatchObject({ allowed: false, reason: 'opted_out' });

    const list = await server.http.get(`/api/v1/marketing/hold-backs?contactId=${c.id}`).set(admin);
    expect(list.status).toBe(200);
    expect(list.body.data.map((h: { reason: string }) => h.reason)).toEqual([
      'opted_out',
      'no_consent',
      'no_address',
    ]);
    expect(list.body.data[0]).toMatchObject({
      contactId: c.id,
      channel: 'email',
      topic: 'events',
      purpose: 'marketing',
    });
    const byReason = await server.http
      .get(`/api/v1/marketing/hold-backs?reason=no_consent&limit=500`)
      .set(admin);
    expect(byReason.body.data.map((h: { contactId: string }) => h.contactId)).toEqual(
      expect.arrayContaining([c.id, noConsent.id]),
    );
    for (const q of ['contactId=nope', 'reason=bored', 'limit=0', 'colour=red', 'cursor=x'])
      expect([
        (await server.http.get(`/api/v1/marketing/hold-backs?${q}`).set(admin)).status,
        q,
      ]).toEqual([400, q]);
    const rep = await people.userWithToken('sales_rep');
    expect(
      (await server.http.get(`/api/v1/marketing/hold-backs?contactId=${c.id}`).set(rep.auth))
        .status,
    ).toBe(404);
    expect((await server.http.get(`/api/v1/marketing/hold-backs`).set(rep.auth)).status).toBe(400);
  });

  it('holds back a withdrawn consent, an unwanted topic and an unsubscribed contact', async () => {
    const c = await consenting({ phones: [{ number: '+62 812 1111 2222', label: 'mobile' }] });
    expect(
      (await check({ contactId: c.id, channel: 'sms', purpose: 'marketing' })).body.allowed,
    ).toBe(true);
    await patch(c.id, { topics: ['newsletter'] });
    expect(
      (await check({ contactId: c.id, channel: 'email', purpose: 'marketing', topic: 'events' }))
        .body,
    ).toMatchObject({ allowed: false, reason: 'topic_not_wanted' });
    const unknownTopic = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      topic: 'golf',
    });
    expect(unknownTopic.status).toBe(400);
    const [consent] = (await prefsOf(c.id)).body.consents as { id: string }[];
    await server.http
      .post(`/api/v1/contacts/${c.id}/consents/${consent.id}/withdraw`)
      .set(admin)
      .send({ source: 'e-mail reply' });
    expect(
      (await check({ contactId: c.id, channel: 'email', purpose: 'marketing' })).body,
    ).toMatchObject({
      allowed: false,
      reason: 'no_consent',
    });
    await patch(c.id, { unsubscribed: true });
    expect(
      (await check({ contactId: c.id, channel: 'sms', purpose: 'marketing' })).body,
    ).toMatchObject({
      allowed: false,
      reason: 'unsubscribed',
    });
  });

  it('holds back during quiet hours in the contact’s zone and names the next allowed time', async () => {
    const c = await consenting({ timeZone: 'Asia/Jakarta' });
    await patch(c.id, { quietHours: { start: '21:00', end: '08:00' } });
    // 23:30 in Jakarta (UTC+7).
    const night = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      at: '2027-06-01T16:30:00Z',
    });
    expect(night.body).toMatchObject({
      allowed: false,
      reason: 'quiet_hours',
      nextAllowedAt: '2027-06-02T01:00:00.000Z',
    });
    const day = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      at: '2027-06-02T01:00:00Z',
    });
    expect(day.body.allowed).toBe(true);
    await patch(c.id, { timeZone: 'America/New_York' });
    // 23:30 in Jakarta is 12:30 in New York: not quiet there.
    const elsewhere = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      at: '2027-06-01T16:30:00Z',
    });
    expect(elsewhere.body.allowed).toBe(true);
  });

  it('holds back past the frequency cap until the oldest message leaves the window', async () => {
    const c = await consenting();
    await patch(c.id, { frequencyCap: { max: 2, per: 'week' } });
    const at = new Date('2027-06-10T10:00:00Z');
    for (const [i, daysAgo] of [1, 3].entries())
      await server.db.query(
        `INSERT INTO outbound_messages (id, source_key, contact_id, channel, purpose, to_address, text_body,
                header_message_id, status, sending_at, sent_at)
         VALUES ($1, $2, $3, 'email', 'marketing', 'x@example.com', 'hi', $4, 'sent', $5, $5)`,
        [
          randomUUID(),
          `test:${i}`,
          c.id,
          `<${i}@test>`,
          new Date(at.getTime() - daysAgo * 86_400_000),
        ],
      );
    const capped = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      at: at.toISOString(),
    });
    expect(capped.body).toMatchObject({
      allowed: false,
      reason: 'frequency_cap',
      nextAllowedAt: '2027-06-14T10:00:00.000Z',
    });
    const later = await check({
      contactId: c.id,
      channel: 'email',
      purpose: 'marketing',
      at: '2027-06-14T10:00:00.000Z',
    });
    expect(later.body.allowed).toBe(true);
  });

  it('refuses bad gate-check inputs', async () => {
    const c = await consenting();
    const ok = { contactId: c.id, channel: 'email', purpose: 'marketing' };
    for (const body of [
      { channel: 'email', purpose: 'marketing' },
      { ...ok, channel: 'fax' },
      { ...ok, contactId: 'x' },
      { ...ok, purpose: 7 },
      { ...ok, at: 'tomorrow' },
      { ...ok, topic: 'x'.repeat(51) },
      { ...ok, extra: 1 },
    ])
      expect([(await check(body)).status, body]).toEqual([400, body]);
    expect((await check({ ...ok, contactId: randomUUID() })).status).toBe(404);
  });
});
