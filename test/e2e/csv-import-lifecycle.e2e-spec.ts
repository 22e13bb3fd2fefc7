import { accessFactories, type CreatedUser } from '../support/access-factories.js';
import { finished, upload, type Auth } from '../support/import-helpers.js';
import { eventsOf, writeSalesConfig, type SalesRecord } from '../support/sales-factories.js';
import { freshDatabase, startServer, type TestServer } from '../support/test-server.js';

const rulesFor = (teamId: string, rep: CreatedUser) => `
version: 1
leadScoring:
  schedule: '0 3 * * *'
  rules:
    - key: target_industry
      label: { en: Target industry }
      points: 10
      when: [{ field: industry, op: in, value: [retail, banking] }]
leadAssignment:
  rules:
    - key: web
      label: { en: Web leads }
      when: [{ field: source, op: eq, value: web }]
      strategy: user
      userId: ${rep.id}
      teamId: ${teamId}
`;

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n') + '\n');

/** What a lead's lifecycle gave it: owner and how, score, score history, and its events. */
interface Outcome {
  ownerId: unknown;
  teamId: unknown;
  assignedVia: unknown;
  assignmentRule: unknown;
  score: unknown;
  history: { score: number; previousScore: number; reason: string }[];
  events: { type: string; data: Record<string, unknown> }[];
}

describe('CSV import runs the record lifecycle of leads', () => {
  let server: TestServer;
  let auth: Auth;
  let rep: CreatedUser;
  let teamId: string;

  beforeAll(async () => {
    // The rules name a team and a user by id: make them first, then start with the rules.
    const databaseUrl = await freshDatabase();
    const setup = await startServer({ databaseUrl });
    try {
      const people = accessFactories(setup, await setup.login());
      teamId = (await people.team()).id;
      rep = await people.user('sales_rep', { teamIds: [teamId] });
    } finally {
      await setup.stop();
    }
    server = await startServer({
      databaseUrl,
      env: { CRM_CONFIG: writeSalesConfig('import-lifecycle', rulesFor(teamId, rep)) },
    });
    auth = { authorization: `Bearer ${await server.login()}` };
  });
  afterAll(async () => {
    await server?.stop();
  });

  const outcome = async (id: string): Promise<Outcome> => {
    const lead = (await server.http.get(`/api/v1/leads/${id}`).set(auth).expect(200))
      .body as SalesRecord;
    const history = await server.http
      .get(`/api/v1/leads/${id}/score-history`)
      .set(auth)
      .expect(200);
    return {
      ownerId: lead.ownerId,
      teamId: lead.teamId,
      assignedVia: lead.assignedVia,
      assignmentRule: lead.assignmentRule,
      score: lead.score,
      history: (history.body.data as Outcome['history']).map((h) => ({
        score: h.score,
        previousScore: h.previousScore,
        reason: h.reason,
      })),
      // The import announces its new records in one `lead.imported` event per batch instead
      // of a `lead.created` each; every other event is the one a POSTed lead gets.
      events: (await eventsOf(server, id))
        .filter((e) => e.type !== 'lead.created')
        .map((e) => ({ type: e.type, data: e.data })),
    };
  };

  it('scores and assigns each imported lead exactly as a POSTed one', async () => {
    const leads = [
      { lastName: 'Impor Satu', company: 'PT Satu', industry: 'retail', source: 'web' },
      { lastName: 'Impor Dua', company: 'PT Dua', industry: 'mining', source: 'web' },
      { lastName: 'Impor Tiga', company: 'PT Tiga', industry: 'banking', source: 'phone' },
      { lastName: 'Impor Empat', company: 'PT Empat', industry: 'mining', source: 'phone' },
    ];
    const file = csv([
      ['Surname', 'Company', 'Industry', 'Source'],
      ...leads.map((l) => [l.lastName, l.company, l.industry, l.source]),
    ]);
    const res = await upload(server, auth, file, {
      entity: 'leads',
      duplicates: 'create',
      mapping: JSON.stringify({
        Surname: 'lastName',
        Company: 'company',
        Industry: 'industry',
        Source: 'source',
      }),
    });
    expect(res.status).toBe(202);
    const done = await finished(server, auth, res.body.id as string);
    const errors = await server.http.get(`/api/v1/imports/${res.body.id}/errors`).set(auth);
    expect(errors.body.data).toEqual([]);
    expect(done).toMatchObject({ status: 'completed', created: 4, failed: 0 });

    const imported = await server.http
      .get('/api/v1/leads?filter[lastName][startsWith]=Impor&limit=10')
      .set(auth)
      .expect(200);
    const byName = new Map(
      (imported.body.data as SalesRecord[]).map((l) => [l.lastName as string, l.id]),
    );
    expect(byName.size).toBe(4);

    const batch = await server.db.query<{ data: { importId: string; created: string[] } }>(
      `SELECT data FROM domain_events WHERE type = 'lead.imported'`,
    );
    expect(batch.rows).toHaveLength(1);
    expect(batch.rows[0].data.importId).toBe(res.body.id);
    expect([...batch.rows[0].data.created].sort()).toEqual([...byName.values()].sort());

    for (const l of leads) {
      const posted = await server.http
        .post('/api/v1/leads')
        .set(auth)
        .send({
          lastName: `Posted ${l.lastName}`,
          company: l.company,
          industry: l.industry,
          source: l.source,
        })
        .expect(201);
      const want = await outcome(posted.body.id as string);
      const got = await outcome(byName.get(l.lastName)!);
      expect(got).toEqual(want);
    }

    // And the rules really acted: a retail lead from the web is scored and placed by the rule.
    const first = await outcome(byName.get('Impor Satu')!);
    expect(first).toMatchObject({
      ownerId: rep.id,
      teamId,
      assignedVia: 'rule',
      assignmentRule: 'web',
      score: 10,
      history: [{ score: 10, previousScore: 0, reason: 'change' }],
    });
    expect(first.events.map((e) => e.type)).toEqual(['lead.assigned', 'lead.score_changed']);
    const untouched = await outcome(byName.get('Impor Empat')!);
    expect(untouched).toMatchObject({ score: 0, history: [], events: [] });
  });
});
