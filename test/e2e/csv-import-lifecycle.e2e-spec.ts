import { accessFactories, type CreatedUser } from '../support/access-factories.js';
import { finished, upload, type Auth } from '../support/import-helpers.js';
import {
  eventsOf,
  salesFactories,
  writeSalesConfig,
  type SalesRecord,
} from '../support/sales-factories.js';
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

describe('CSV import runs the record lifecycle', () => {
  let server: TestServer;
  let auth: Auth;
  let make: ReturnType<typeof salesFactories>;
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
    const token = await server.login();
    auth = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Imports a CSV as new records; the ids of what it created, sorted. */
  const importRows = async (
    entity: string,
    mapping: Record<string, string>,
    rows: string[][],
  ): Promise<string[]> => {
    const file = csv([Object.keys(mapping), ...rows]);
    const res = await upload(server, auth, file, {
      entity,
      duplicates: 'create',
      mapping: JSON.stringify(mapping),
    });
    expect(res.status).toBe(202);
    const done = await finished(server, auth, res.body.id as string);
    const errors = await server.http.get(`/api/v1/imports/${res.body.id}/errors`).set(auth);
    expect(errors.body.data).toEqual([]);
    expect(done).toMatchObject({ status: 'completed', created: rows.length, failed: 0 });
    const batch = await server.db.query<{ data: { created: string[] } }>(
      `SELECT data FROM domain_events WHERE type LIKE '%.imported' AND data->>'importId' = $1`,
      [res.body.id],
    );
    expect(batch.rows).toHaveLength(1);
    return [...batch.rows[0].data.created].sort();
  };

  /** Events of a record but its creation, which an import announces for the batch. */
  const eventsAfterCreate = async (id: string) =>
    (await eventsOf(server, id))
      .filter((e) => !e.type.endsWith('.created'))
      .map((e) => ({ type: e.type, data: e.data }));

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
      events: await eventsAfterCreate(id),
    };
  };

  it('scores and assigns each imported lead exactly as a POSTed one', async () => {
    const leads = [
      { lastName: 'Impor Satu', company: 'PT Satu', industry: 'retail', source: 'web' },
      { lastName: 'Impor Dua', company: 'PT Dua', industry: 'mining', source: 'web' },
      { lastName: 'Impor Tiga', company: 'PT Tiga', industry: 'banking', source: 'phone' },
      { lastName: 'Impor Empat', company: 'PT Empat', industry: 'mining', source: 'phone' },
    ];
    const ids = await importRows(
      'leads',
      { Surname: 'lastName', Company: 'company', Industry: 'industry', Source: 'source' },
      leads.map((l) => [l.lastName, l.company, l.industry, l.source]),
    );
    const listed = await server.http
      .get('/api/v1/leads?filter[lastName][startsWith]=Impor&limit=10')
      .set(auth)
      .expect(200);
    const byName = new Map(
      (listed.body.data as SalesRecord[]).map((l) => [l.lastName as string, l.id]),
    );
    expect([...byName.values()].sort()).toEqual(ids);

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

  it('gives imported opportunities their first stage, stage history, timeline entry and board place', async () => {
    const account = await make.account({ name: 'PT Papan Impor' });
    const board = async () =>
      (await server.http.get('/api/v1/pipelines/sales/board').set(auth).expect(200)).body as {
        stages: { key: string; count: number; amounts: { currency: string; amount: string }[] }[];
      };
    const proposals = async () => board().then((b) => b.stages.find((s) => s.key === 'proposal')!);
    const before = await proposals();
    const [imported] = await importRows(
      'opportunities',
      { Name: 'name', Account: 'accountId', Stage: 'stage', Amount: 'amount.amount' },
      [['Impor Peluang', account.id, 'proposal', '5000000']],
    );
    const posted = await make.opportunity({
      name: 'Posted Peluang',
      accountId: account.id,
      stage: 'proposal',
      amount: { amount: '5000000', currency: 'IDR' },
    });

    const view = async (id: string) => {
      const o = (await server.http.get(`/api/v1/opportunities/${id}`).set(auth).expect(200))
        .body as SalesRecord;
      const stays = await server.http
        .get(`/api/v1/opportunities/${id}/stage-history`)
        .set(auth)
        .expect(200);
      const timeline = await server.http
        .get(`/api/v1/accounts/${account.id}/timeline`)
        .set(auth)
        .expect(200);
      return {
        pipeline: o.pipeline,
        stage: o.stage,
        status: o.status,
        probability: o.probability,
        forecastCategory: o.forecastCategory,
        stays: (stays.body.data as Record<string, unknown>[]).map((h) => ({
          pipeline: h.pipeline,
          stage: h.stage,
          status: h.status,
          fromStage: h.fromStage,
          probability: h.probability,
          amount: h.amount,
        })),
        onAccount: (timeline.body.data as { type: string; source: { id: string } }[])
          .filter((e) => e.source.id === id)
          .map((e) => e.type),
        events: await eventsAfterCreate(id),
      };
    };
    const got = await view(imported);
    expect(got).toEqual(await view(posted.id));
    expect(got).toMatchObject({
      stage: 'proposal',
      probability: 50,
      stays: [
        {
          pipeline: 'sales',
          stage: 'proposal',
          fromStage: null,
          amount: { amount: '5000000', currency: 'IDR' },
        },
      ],
      onAccount: ['stage_change'],
    });
    const after = await proposals();
    expect(after.count).toBe(before.count + 2);
  });

  it('puts imported activities on their timelines and arms their reminders', async () => {
    const contact = await make.contact({ lastName: 'Kontak Impor' });
    const reminderAt = new Date(Date.now() + 86_400_000).toISOString();
    const [imported] = await importRows(
      'activities',
      {
        Type: 'type',
        Subject: 'subject',
        About: 'relatedEntity',
        Id: 'relatedId',
        Remind: 'reminderAt',
      },
      [['task', 'Impor Tugas', 'contacts', contact.id, reminderAt]],
    );
    const posted = (
      await server.http
        .post('/api/v1/activities')
        .set(auth)
        .send({
          type: 'task',
          subject: 'Posted Tugas',
          relatedEntity: 'contacts',
          relatedId: contact.id,
          reminderAt,
        })
        .expect(201)
    ).body as SalesRecord;

    const view = async (id: string) => {
      const a = (await server.http.get(`/api/v1/activities/${id}`).set(auth).expect(200))
        .body as SalesRecord;
      const timeline = await server.http
        .get(`/api/v1/contacts/${contact.id}/timeline`)
        .set(auth)
        .expect(200);
      const jobs = await server.db.query<{ run_at: Date }>(
        `SELECT run_at FROM jobs WHERE queue = 'activities.reminder' AND payload->>'activityId' = $1`,
        [id],
      );
      return {
        status: a.status,
        onContact: (timeline.body.data as { type: string; source: { id: string } }[])
          .filter((e) => e.source.id === id)
          .map((e) => e.type),
        reminders: jobs.rows.map((j) => j.run_at.toISOString()),
        events: await eventsAfterCreate(id),
      };
    };
    const got = await view(imported);
    expect(got).toEqual(await view(posted.id));
    expect(got).toMatchObject({
      status: 'planned',
      onContact: ['task'],
      reminders: [reminderAt],
    });
  });
});
