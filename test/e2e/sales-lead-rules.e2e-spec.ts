import { randomUUID } from 'node:crypto';
import { accessFactories, type CreatedUser } from '../support/access-factories.js';
import {
  eventsOf,
  eventually,
  salesFactories,
  writeSalesConfig,
  type SalesRecord,
} from '../support/sales-factories.js';
import {
  freshDatabase,
  runUntilExit,
  startServer,
  type TestServer,
} from '../support/test-server.js';

/** Users and teams the rules name; made through the admin API before the rules exist. */
interface Cast {
  jakarta: { id: string; members: CreatedUser[] };
  sumatra: { id: string; members: CreatedUser[] };
  enterprise: { id: string; senior: CreatedUser; deputy: CreatedUser };
  inbound: { id: string; rep: CreatedUser; manager: CreatedUser };
  outsider: CreatedUser;
}

const rulesFor = (c: Cast) => `
version: 1
customization:
  leads:
    fields:
      - { code: employees, type: number, label: { en: Employees } }
      - code: segment
        type: picklist
        label: { en: Segment }
        options: [{ value: smb, label: { en: SMB } }, { value: enterprise, label: { en: Enterprise } }]
leadScoring:
  schedule: '0 3 * * *'
  rules:
    - key: target_industry
      label: { en: Target industry, id: Industri sasaran }
      points: 10
      when: [{ field: industry, op: in, value: [retail, banking] }]
    - key: big_company
      label: { en: 500 employees or more }
      points: 15
      when: [{ field: customFields.employees, op: gte, value: 500 }]
    - key: inbound_email
      label: { en: Inbound email in the last 30 days }
      points: 5
      activity: { types: [email], direction: inbound, within: 30, per: occurrence, cap: 3 }
    - key: meeting_held
      label: { en: Meeting in the last 90 days }
      points: 20
      activity: { types: [meeting], within: 90 }
    - key: idle
      label: { en: No activity for 60 days }
      points: -20
      activity: { none: true, within: 60 }
leadAssignment:
  rules:
    - key: key_accounts
      label: { en: Enterprise leads to the senior rep }
      when: [{ field: customFields.segment, op: eq, value: enterprise }]
      strategy: user
      userId: ${c.enterprise.senior.id}
      teamId: ${c.enterprise.id}
    - key: jakarta
      label: { en: 'Greater Jakarta, in turns' }
      when: [{ field: address.region, op: in, value: [DKI Jakarta, Banten] }]
      strategy: roundRobin
      teamId: ${c.jakarta.id}
    - key: sumatra
      label: { en: 'North Sumatra, to whoever has least' }
      when: [{ field: address.region, op: eq, value: Sumatera Utara }]
      strategy: leastLoaded
      teamId: ${c.sumatra.id}
`;

const jakartaLead = { address: { city: 'Jakarta Selatan', region: 'DKI Jakarta', country: 'ID' } };
const sumatraLead = { address: { city: 'Medan', region: 'Sumatera Utara', country: 'ID' } };

describe('lead scoring and assignment rules', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let adminId: string;
  let make: ReturnType<typeof salesFactories>;
  let people: ReturnType<typeof accessFactories>;
  let cast: Cast;
  let configFile: string;

  beforeAll(async () => {
    // The rules name teams and users by id: make them first, then start with the rules.
    const databaseUrl = await freshDatabase();
    const setup = await startServer({ databaseUrl });
    try {
      const p = accessFactories(setup, await setup.login());
      const team = async () => (await p.team()).id;
      const [jakarta, sumatra, enterprise, inbound] = [
        await team(),
        await team(),
        await team(),
        await team(),
      ];
      const rep = (teamId: string, role = 'sales_rep') => p.user(role, { teamIds: [teamId] });
      cast = {
        jakarta: {
          id: jakarta,
          members: [await rep(jakarta), await rep(jakarta), await rep(jakarta)],
        },
        sumatra: {
          id: sumatra,
          members: [await rep(sumatra), await rep(sumatra), await rep(sumatra)],
        },
        enterprise: {
          id: enterprise,
          senior: await rep(enterprise, 'sales_manager'),
          deputy: await rep(enterprise),
        },
        inbound: {
          id: inbound,
          rep: await rep(inbound),
          manager: await rep(inbound, 'sales_manager'),
        },
        outsider: await p.user('sales_rep'),
      };
    } finally {
      await setup.stop();
    }
    configFile = writeSalesConfig('lead-rules', rulesFor(cast));
    server = await startServer({
      databaseUrl,
      env: { CRM_CONFIG: configFile, CRM_JOB_POLL_MS: '200', CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    adminId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
    make = salesFactories(server, token);
    people = accessFactories(server, token);
    for (const [teamId, ownerId] of [
      [cast.enterprise.id, cast.enterprise.deputy.id],
      [cast.inbound.id, cast.inbound.manager.id],
    ]) {
      const res = await server.http
        .patch(`/api/v1/teams/${teamId}`)
        .set(admin)
        .send({ defaultOwnerId: ownerId });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  const loginAs = async (user: CreatedUser) => ({
    authorization: `Bearer ${await server.login(user.email, user.password)}`,
  });
  const leadAs = async (auth: { authorization: string }, fields: Record<string, unknown> = {}) => {
    const res = await server.http
      .post('/api/v1/leads')
      .set(auth)
      .send({ lastName: `Lead ${randomUUID().slice(0, 6)}`, company: 'PT Uji', ...fields });
    if (res.status !== 201) throw new Error(`lead: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as SalesRecord;
  };
  const scoreOf = async (id: string) =>
    (await server.http.get(`/api/v1/leads/${id}`).set(admin)).body.score as number;
  const historyOf = async (id: string, query = '') =>
    (await server.http.get(`/api/v1/leads/${id}/score-history${query}`).set(admin)).body as {
      data: { score: number; previousScore: number; reason: string; rules: unknown[] }[];
      meta: { nextCursor: string | null; limit: number };
    };
  const activity = async (leadId: string, body: Record<string, unknown>) => {
    const res = await server.http
      .post('/api/v1/activities')
      .set(admin)
      .send({ subject: 'Touch', relatedEntity: 'leads', relatedId: leadId, ...body });
    if (res.status !== 201) throw new Error(`activity: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as SalesRecord;
  };
  /** Runs the nightly recalculation now, as its schedule would, and waits for it to finish. */
  const runNightly = async () => {
    const done = async () =>
      (
        await server.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE queue = 'leads.rescore' AND state = 'completed'`,
        )
      ).rows[0].n;
    const before = await done();
    await server.db.query(
      `UPDATE job_schedules SET next_run_at = now() WHERE name = 'leads.rescore'`,
    );
    expect(await eventually(done, (n) => n > before, 15_000)).toBeGreaterThan(before);
  };

  describe('scoring', () => {
    it('adds field-condition points in the same transaction and keeps their history', async () => {
      const lead = await make.lead({ industry: 'retail', customFields: { employees: 800 } });
      expect(lead.score).toBe(25);
      const patched = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .set('if-match', '"1"')
        .send({ industry: 'mining' });
      expect(patched.status).toBe(200);
      // A new score is computed, not edited: the version stays where the edit put it.
      expect(patched.body).toMatchObject({ score: 15, version: 2 });
      const unchanged = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .send({ description: 'no scoring field' });
      expect(unchanged.body.score).toBe(15);

      const history = await historyOf(lead.id);
      expect(history.data).toEqual([
        expect.objectContaining({
          score: 15,
          previousScore: 25,
          reason: 'change',
          rules: [{ key: 'big_company', label: '500 employees or more', points: 15 }],
        }),
        expect.objectContaining({
          score: 25,
          previousScore: 0,
          reason: 'change',
          rules: [
            { key: 'target_industry', label: 'Target industry', points: 10 },
            { key: 'big_company', label: '500 employees or more', points: 15 },
          ],
        }),
      ]);
      const inIndonesian = await server.http
        .get(`/api/v1/leads/${lead.id}/score-history`)
        .set(admin)
        .set('accept-language', 'id');
      expect(inIndonesian.body.data[1].rules[0].label).toBe('Industri sasaran');
      const events = (await eventsOf(server, lead.id)).filter(
        (e) => e.type === 'lead.score_changed',
      );
      expect(events.map((e) => e.data)).toEqual([
        expect.objectContaining({ score: 25, previousScore: 0, reason: 'change' }),
        expect.objectContaining({ score: 15, previousScore: 25, reason: 'change' }),
      ]);
    });

    it('scores a restored lead again', async () => {
      const lead = await make.lead({ industry: 'retail' });
      expect(lead.score).toBe(10);
      await server.http.delete(`/api/v1/leads/${lead.id}`).set(admin).expect(204);
      // What the rules say may change while a lead is deleted; here its stored score is stale.
      await server.db.query(`UPDATE leads SET score = 0 WHERE id = $1`, [lead.id]);
      await server.http.post(`/api/v1/leads/${lead.id}/restore`).set(admin).expect(200);
      const rescored = await eventually(
        async () => (await server.http.get(`/api/v1/leads/${lead.id}`).set(admin)).body,
        (l: { score: number }) => l.score === 10,
      );
      expect(rescored.score).toBe(10);
    });

    it('counts activity signals as activities are logged, changed and deleted', async () => {
      const lead = await make.lead({ industry: 'mining' });
      expect(lead.score).toBe(0);
      const first = await activity(lead.id, { type: 'email', direction: 'inbound' });
      expect(
        await eventually(
          () => scoreOf(lead.id),
          (s) => s === 5,
        ),
      ).toBe(5);
      await activity(lead.id, { type: 'email', direction: 'inbound' });
      expect(
        await eventually(
          () => scoreOf(lead.id),
          (s) => s === 10,
        ),
      ).toBe(10);
      // Outbound emails and planned meetings do not count; a completed meeting does, once.
      await activity(lead.id, { type: 'email', direction: 'outbound' });
      const meeting = await activity(lead.id, {
        type: 'meeting',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      await server.http
        .patch(`/api/v1/activities/${meeting.id}`)
        .set(admin)
        .send({ status: 'completed' })
        .expect(200);
      expect(
        await eventually(
          () => scoreOf(lead.id),
          (s) => s === 30,
        ),
      ).toBe(30);
      // Per occurrence, up to the cap of three.
      await activity(lead.id, { type: 'email', direction: 'inbound' });
      await activity(lead.id, { type: 'email', direction: 'inbound' });
      expect(
        await eventually(
          () => scoreOf(lead.id),
          (s) => s === 35,
        ),
      ).toBe(35);
      await server.http.delete(`/api/v1/activities/${first.id}`).set(admin).expect(204);
      await new Promise((r) => setTimeout(r, 500));
      expect(await scoreOf(lead.id)).toBe(35);

      // An activity moved to another lead leaves the first one's score.
      const other = await make.lead({ industry: 'mining' });
      await server.http
        .patch(`/api/v1/activities/${meeting.id}`)
        .set(admin)
        .send({ relatedId: other.id })
        .expect(200);
      expect(
        await eventually(
          () => scoreOf(lead.id),
          (s) => s === 15,
        ),
      ).toBe(15);
      expect(
        await eventually(
          () => scoreOf(other.id),
          (s) => s === 20,
        ),
      ).toBe(20);
      const reasons = (await historyOf(lead.id)).data.map((h) => [h.score, h.reason]);
      expect(reasons).toEqual([
        [15, 'activity'],
        [35, 'activity'],
        [30, 'activity'],
        [10, 'activity'],
        [5, 'activity'],
      ]);
    });

    it('applies the inactivity penalty and drops aged signals in the nightly run', async () => {
      const idle = await make.lead({ industry: 'mining' });
      const busy = await make.lead({ industry: 'mining' });
      const fresh = await make.lead({ industry: 'mining' });
      const email = await activity(busy.id, { type: 'email', direction: 'inbound' });
      expect(
        await eventually(
          () => scoreOf(busy.id),
          (s) => s === 5,
        ),
      ).toBe(5);
      // Time passes: the leads are 61 days old, the email 40 days.
      await server.db.query(
        `UPDATE leads SET created_at = now() - interval '61 days' WHERE id = ANY($1)`,
        [[idle.id, busy.id]],
      );
      await server.db.query(
        `UPDATE activities SET occurred_at = now() - interval '40 days', completed_at = now() - interval '40 days' WHERE id = $1`,
        [email.id],
      );
      const converted = await make.lead({ industry: 'mining', company: 'PT Sudah' });
      await server.http
        .post(`/api/v1/leads/${converted.id}/convert`)
        .set(admin)
        .send({})
        .expect(200);
      await server.db.query(
        `UPDATE leads SET created_at = now() - interval '90 days' WHERE id = $1`,
        [converted.id],
      );

      await runNightly();
      expect(await scoreOf(idle.id)).toBe(-20);
      // The email still counts as activity within 60 days, but no longer within 30.
      expect(await scoreOf(busy.id)).toBe(0);
      expect(await scoreOf(fresh.id)).toBe(0);
      expect(await scoreOf(converted.id)).toBe(0);
      expect((await historyOf(idle.id)).data[0]).toMatchObject({
        score: -20,
        previousScore: 0,
        reason: 'nightly',
        rules: [{ key: 'idle', label: 'No activity for 60 days', points: -20 }],
      });
      expect((await historyOf(fresh.id)).data).toEqual([]);
      expect((await historyOf(converted.id)).data).toEqual([]);
      // Running again changes nothing and writes nothing.
      await runNightly();
      expect((await historyOf(idle.id)).data).toHaveLength(1);
    });

    it('pages the score history newest first by keyset', async () => {
      const lead = await make.lead({ industry: 'mining' });
      for (const patch of [
        { industry: 'retail' },
        { customFields: { employees: 900 } },
        { industry: 'mining' },
        { customFields: { employees: 10 } },
      ])
        await server.http.patch(`/api/v1/leads/${lead.id}`).set(admin).send(patch).expect(200);
      const scores: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await historyOf(
          lead.id,
          `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.data.length).toBeLessThanOrEqual(3);
        scores.push(...page.data.map((h) => h.score));
        cursor = page.meta.nextCursor;
      } while (cursor);
      expect(scores).toEqual([0, 15, 25, 10]);
      for (const query of ['?limit=0', '?limit=501', '?cursor=not-a-cursor']) {
        const res = await server.http
          .get(`/api/v1/leads/${lead.id}/score-history${query}`)
          .set(admin);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_query');
      }
    });
  });

  describe('assignment', () => {
    it('takes turns across three members, also under concurrent creates', async () => {
      const members = cast.jakarta.members.map((m) => m.id).sort();
      const created = await Promise.all(
        Array.from({ length: 30 }, () => make.lead({ ...jakartaLead })),
      );
      const owners = created.sort((a, b) => (a.id < b.id ? -1 : 1)).map((l) => l.ownerId as string);
      for (const [i, owner] of owners.entries()) {
        expect(members).toContain(owner);
        if (i > 0) expect(owner).not.toBe(owners[i - 1]);
      }
      for (const m of members) expect(owners.filter((o) => o === m)).toHaveLength(10);
      expect(created[0]).toMatchObject({
        teamId: cast.jakarta.id,
        assignmentRule: 'jakarta',
        assignedVia: 'rule',
      });
    });

    it('shares the turns between server processes', async () => {
      const second = await startServer({
        databaseUrl: server.databaseUrl,
        env: { CRM_CONFIG: configFile, CRM_RUN_WORKERS: 'false' },
      });
      try {
        const otherMake = salesFactories(second, await second.login());
        const owners: string[] = [];
        for (let i = 0; i < 6; i++)
          owners.push(
            (await (i % 2 ? otherMake : make).lead({ ...jakartaLead })).ownerId as string,
          );
        // Strict rotation across both processes: A B C A B C.
        expect(new Set(owners.slice(0, 3)).size).toBe(3);
        expect(owners.slice(3)).toEqual(owners.slice(0, 3));
      } finally {
        await second.stop();
      }
    });

    it('gives the member with the fewest open leads the next one', async () => {
      const [s1, s2, s3] = cast.sumatra.members;
      // s1 holds two open leads, s2 one; s3's only lead is closed and does not count.
      for (const [owner, status] of [
        [s1, 'new'],
        [s1, 'working'],
        [s2, 'qualified'],
        [s3, 'unqualified'],
      ] as const)
        await make.lead({ ownerId: owner.id, status });
      const first = await make.lead({ ...sumatraLead });
      expect(first).toMatchObject({
        ownerId: s3.id,
        assignmentRule: 'sumatra',
        assignedVia: 'rule',
      });
      await make.lead({ ...sumatraLead });
      await make.lead({ ...sumatraLead });
      const { rows } = await server.db.query<{ owner_id: string; n: number }>(
        `SELECT owner_id, count(*)::int AS n FROM leads
          WHERE team_id = $1 OR owner_id = ANY($2) AND status <> 'unqualified' GROUP BY owner_id`,
        [cast.sumatra.id, [s1.id, s2.id, s3.id]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.owner_id, r.n]))).toEqual({
        [s1.id]: 2,
        [s2.id]: 2,
        [s3.id]: 2,
      });
    });

    it('places a lead by territory or field conditions; the first matching rule wins', async () => {
      const enterpriseInJakarta = await make.lead({
        ...jakartaLead,
        customFields: { segment: 'enterprise' },
      });
      expect(enterpriseInJakarta).toMatchObject({
        ownerId: cast.enterprise.senior.id,
        teamId: cast.enterprise.id,
        assignmentRule: 'key_accounts',
        assignedVia: 'rule',
      });
      const banten = await make.lead({ address: { region: 'banten ', country: 'ID' } });
      expect(banten.assignmentRule).toBe('jakarta');
      const elsewhere = await make.lead({ address: { region: 'Bali', country: 'ID' } });
      // No rule, and the admin has no team: the lead stays with its creator.
      expect(elsewhere).toMatchObject({
        ownerId: adminId,
        assignmentRule: null,
        assignedVia: 'creator',
      });
      const explicit = await make.lead({ ...jakartaLead, ownerId: cast.outsider.id });
      expect(explicit).toMatchObject({ ownerId: cast.outsider.id, assignedVia: 'request' });
    });

    it("falls back to the team's default owner when no rule matches, and never drops a lead", async () => {
      const rep = await loginAs(cast.inbound.rep);
      const lead = await leadAs(rep, { address: { region: 'Bali', country: 'ID' } });
      expect(lead).toMatchObject({
        ownerId: cast.inbound.manager.id,
        teamId: cast.inbound.id,
        assignmentRule: null,
        assignedVia: 'default_owner',
      });
      const events = await eventsOf(server, lead.id);
      expect(events.find((e) => e.type === 'lead.assigned')?.data).toMatchObject({
        ownerId: cast.inbound.manager.id,
        previousOwnerId: null,
        assignmentRule: null,
        assignedVia: 'default_owner',
      });
      // A web form's lead is placed by the same rules.
      const key = await server.http
        .post('/api/v1/api-keys')
        .set(rep)
        .send({ name: 'Form', scopes: ['lead-capture'] });
      const captured = await server.http
        .post('/api/v1/leads/capture')
        .set('x-api-key', key.body.key as string)
        .send({ lastName: 'Visitor', ...jakartaLead });
      expect(captured.status).toBe(201);
      const read = await server.http.get(`/api/v1/leads/${captured.body.id}`).set(admin);
      expect(read.body).toMatchObject({
        source: 'web',
        assignmentRule: 'jakarta',
        teamId: cast.jakarta.id,
      });
      expect(cast.jakarta.members.map((m) => m.id)).toContain(read.body.ownerId);
    });

    it('places imported leads by the same rules, one at a time', async () => {
      const region = JSON.stringify(jakartaLead.address).replace(/"/g, '""');
      const csv = [
        'lastName,company,address',
        ...[1, 2, 3].map((n) => `Impor ${n},PT Impor,"${region}"`),
      ];
      const started = await server.http
        .post('/api/v1/imports')
        .set(admin)
        .field('entity', 'leads')
        .attach('file', Buffer.from(csv.join('\r\n') + '\r\n'), 'leads.csv');
      expect(started.status).toBe(202);
      const done = await eventually(
        async () => (await server.http.get(`/api/v1/imports/${started.body.id}`).set(admin)).body,
        (b: { status: string }) => b.status === 'completed',
        30_000,
      );
      expect(done).toMatchObject({ status: 'completed', created: 3, failed: 0 });
      const imported = await server.http
        .get('/api/v1/leads?filter[company][eq]=PT Impor&sort=lastName')
        .set(admin);
      expect(imported.body.data.map((l: SalesRecord) => l.assignmentRule)).toEqual([
        'jakarta',
        'jakarta',
        'jakarta',
      ]);
      expect(new Set(imported.body.data.map((l: SalesRecord) => l.ownerId)).size).toBe(3);
    });

    it('re-runs the rules on POST /assign, emitting lead.assigned with the rule', async () => {
      const lead = await make.lead({ ownerId: cast.outsider.id });
      const patched = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .send({ address: jakartaLead.address });
      const res = await server.http
        .post(`/api/v1/leads/${lead.id}/assign`)
        .set(admin)
        .set('if-match', `"${patched.body.version}"`)
        .send();
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({
        teamId: cast.jakarta.id,
        assignmentRule: 'jakarta',
        assignedVia: 'rule',
      });
      expect(cast.jakarta.members.map((m) => m.id)).toContain(res.body.ownerId);
      const assigned = (await eventsOf(server, lead.id)).filter((e) => e.type === 'lead.assigned');
      expect(assigned.at(-1)?.data).toMatchObject({
        ownerId: res.body.ownerId,
        previousOwnerId: cast.outsider.id,
        assignmentRule: 'jakarta',
        assignedVia: 'rule',
      });
      const history = await server.http.get(`/api/v1/leads/${lead.id}/history`).set(admin);
      expect(history.body.data[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'ownerId', old: cast.outsider.id, new: res.body.ownerId },
          { field: 'assignmentRule', old: null, new: 'jakarta' },
        ]),
      );
      const stale = await server.http
        .post(`/api/v1/leads/${lead.id}/assign`)
        .set(admin)
        .set('if-match', '"1"');
      expect(stale.status).toBe(412);
    });

    it("sends a rule's lead to its team's default owner when the rule finds nobody", async () => {
      await server.http
        .patch(`/api/v1/users/${cast.enterprise.senior.id}`)
        .set(admin)
        .send({ active: false })
        .expect(200);
      try {
        const lead = await make.lead({ customFields: { segment: 'enterprise' } });
        expect(lead).toMatchObject({
          ownerId: cast.enterprise.deputy.id,
          teamId: cast.enterprise.id,
          assignmentRule: 'key_accounts',
          assignedVia: 'default_owner',
        });
      } finally {
        await server.http
          .patch(`/api/v1/users/${cast.enterprise.senior.id}`)
          .set(admin)
          .send({ active: true })
          .expect(200);
      }
    });

    it('answers bad requests clearly', async () => {
      const lead = await make.lead({ company: 'PT Konversi Uji' });
      await server.http.post(`/api/v1/leads/${lead.id}/convert`).set(admin).send({}).expect(200);
      const converted = await server.http.post(`/api/v1/leads/${lead.id}/assign`).set(admin);
      expect(converted.status).toBe(409);
      expect(converted.body.code).toBe('lead_converted');

      const jakartaRep = await loginAs(cast.jakarta.members[0]);
      const sumatraRep = await loginAs(cast.sumatra.members[0]);
      const own = await leadAs(jakartaRep, { ownerId: cast.jakarta.members[0].id });
      for (const req of [
        server.http.post(`/api/v1/leads/${own.id}/assign`),
        server.http.get(`/api/v1/leads/${own.id}/score-history`),
      ]) {
        const res = await req.set(sumatraRep);
        expect(res.status).toBe(404);
      }
      const noReassign = await server.http.post(`/api/v1/leads/${own.id}/assign`).set(jakartaRep);
      expect(noReassign.status).toBe(403);
      expect(noReassign.body.code).toBe('reassign_forbidden');
      expect(
        (await server.http.get(`/api/v1/leads/${own.id}/score-history`).set(jakartaRep)).status,
      ).toBe(200);
      for (const req of [
        server.http.post('/api/v1/leads/not-a-uuid/assign'),
        server.http.get('/api/v1/leads/not-a-uuid/score-history'),
      ]) {
        const res = await req.set(admin);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_id');
      }
      expect(
        (await server.http.post(`/api/v1/leads/${randomUUID()}/assign`).set(admin)).status,
      ).toBe(404);
      // A role that may not see scores may not see their history either.
      const role = await people.role({
        permissions: {
          entities: { leads: { read: 'all' } },
          fields: { leads: { score: 'hidden' } },
        },
      });
      const blind = await people.userWithToken(role.id);
      const hidden = await server.http.get(`/api/v1/leads/${own.id}/score-history`).set(blind.auth);
      expect(hidden.status).toBe(403);
      expect(
        (await server.http.get(`/api/v1/leads/${own.id}`).set(blind.auth)).body,
      ).not.toHaveProperty('score');
    });
  });

  describe("a team's default owner", () => {
    it('must be an active member; removing them from the team clears it', async () => {
      const team = await people.team();
      const member = await people.user('sales_rep', { teamIds: [team.id] });
      const stranger = await people.user('sales_rep');
      const inactive = await people.user('sales_rep', { teamIds: [team.id] });
      await server.http
        .patch(`/api/v1/users/${inactive.id}`)
        .set(admin)
        .send({ active: false })
        .expect(200);
      for (const [defaultOwnerId, code] of [
        [stranger.id, 'notMember'],
        [inactive.id, 'inactive'],
        [randomUUID(), 'notFound'],
        ['nobody', 'isUuid'],
      ]) {
        const res = await server.http
          .patch(`/api/v1/teams/${team.id}`)
          .set(admin)
          .send({ defaultOwnerId });
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toMatchObject({ field: 'defaultOwnerId', code });
      }
      const set = await server.http
        .patch(`/api/v1/teams/${team.id}`)
        .set(admin)
        .send({ defaultOwnerId: member.id.toUpperCase() });
      expect(set.status).toBe(200);
      expect(set.body.defaultOwnerId).toBe(member.id);
      const history = await server.http.get(`/api/v1/teams/${team.id}/history`).set(admin);
      expect(history.body.data[0].changes).toEqual([
        { field: 'defaultOwnerId', old: null, new: member.id },
      ]);
      const listed = await server.http
        .get(`/api/v1/teams?filter[defaultOwnerId][eq]=${member.id}`)
        .set(admin);
      expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([team.id]);
      await server.http
        .delete(`/api/v1/teams/${team.id}/members/${member.id}`)
        .set(admin)
        .expect(204);
      expect(
        (await server.http.get(`/api/v1/teams/${team.id}`).set(admin)).body.defaultOwnerId,
      ).toBeNull();
    });
  });

  it('refuses to start with bad rules, listing every problem', async () => {
    const bad = async (name: string, text: string) =>
      runUntilExit({
        env: { CRM_CONFIG: writeSalesConfig(name, text) },
        databaseUrl: await freshDatabase(),
      });
    const [shape, meaning] = await Promise.all([
      bad(
        'bad-shape',
        `version: 1
leadScoring:
  rules:
    - { key: half, label: { en: Half }, points: 2.5, when: [{ field: industry, op: eq, value: retail }] }
    - { key: like, label: { en: Like }, points: 5, when: [{ field: company, op: like, value: PT }] }
`,
      ),
      bad(
        'bad-meaning',
        `version: 1
leadScoring:
  rules:
    - { key: shoes, label: { en: Shoes }, points: 5, when: [{ field: shoeSize, op: gte, value: 42 }] }
    - { key: faxes, label: { en: Faxes }, points: 5, activity: { types: [fax], within: 7 } }
    - { key: shoes, label: { en: Twice }, points: 1, when: [{ field: industry, op: isNull }] }
leadAssignment:
  rules:
    - { key: turns, label: { en: Turns }, strategy: roundRobin }
    - key: vip
      label: { en: VIP }
      when: [{ field: customFields.tier, op: eq, value: gold }]
      strategy: user
      userId: ${randomUUID()}
`,
      ),
    ]);
    expect(shape.code).toBe(2);
    expect(shape.output).toContain('/leadScoring/rules/0/points: must be integer');
    expect(shape.output).toContain(
      '/leadScoring/rules/1/when/0/op: must be equal to one of the allowed values',
    );
    expect(meaning.code).toBe(2);
    expect(meaning.output).toContain(
      '/leadScoring/rules/0 (shoes)/when/0: unknown lead field "shoeSize"',
    );
    expect(meaning.output).toContain(
      '/leadScoring/rules/1 (faxes)/activity/types: "fax" is not an activity type',
    );
    expect(meaning.output).toContain('/leadScoring/rules/2 (shoes): key "shoes" is declared twice');
    expect(meaning.output).toContain(
      '/leadAssignment/rules/0 (turns): strategy "roundRobin" needs teamId',
    );
    expect(meaning.output).toContain(
      '/leadAssignment/rules/1 (vip)/when/0: unknown lead field "customFields.tier"',
    );
  });
});
