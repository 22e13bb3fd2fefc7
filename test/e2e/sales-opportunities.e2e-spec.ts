import { randomUUID } from 'node:crypto';
import { COMPACT_BOARD_SQL } from '#operational/sales/opportunities/opportunity-board-compaction.js';
import { accessFactories } from '../support/access-factories.js';
import {
  eventsOf,
  eventually,
  salesFactories,
  writeSalesConfig,
  type SalesRecord,
} from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
pipelines:
  - key: sales
    label: { en: New business }
    default: true
    stages:
      - { key: qualification, label: { en: Qualification }, probability: 10, kind: open }
      - { key: proposal, label: { en: Proposal, id: Penawaran }, probability: 50, kind: open, requiredFields: [amount] }
      - { key: negotiation, label: { en: Negotiation }, probability: 80, kind: open, requiredFields: [amount, expectedCloseDate] }
      - { key: won, label: { en: Closed won }, probability: 100, kind: won, requiredFields: [amount] }
      - { key: lost, label: { en: Closed lost }, probability: 0, kind: lost }
  - key: renewals
    label: { en: Renewals }
    stages:
      - { key: upcoming, label: { en: Upcoming }, probability: 60, kind: open }
      - { key: renewed, label: { en: Renewed }, probability: 100, kind: won }
      - { key: churned, label: { en: Churned }, probability: 0, kind: lost }
  - key: board
    label: { en: Board test }
    stages:
      - { key: early, label: { en: Early }, probability: 25, kind: open }
      - { key: late, label: { en: Late }, probability: 75, kind: open }
      - { key: done, label: { en: Done }, probability: 100, kind: won }
      - { key: gone, label: { en: Gone }, probability: 0, kind: lost }
`;

const IDR = (amount: string) => ({ amount, currency: 'IDR' });

describe('opportunities', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof salesFactories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('opps', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  const stageHistory = async (id: string, auth = admin) => {
    const res = await server.http.get(`/api/v1/opportunities/${id}/stage-history`).set(auth);
    expect(res.status).toBe(200);
    return res.body.data as Record<string, unknown>[];
  };

  describe('create', () => {
    it('starts in the default pipeline, first open stage, with its probability', async () => {
      const account = await make.account({ name: 'PT Awal' });
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(admin)
        .send({
          name: 'ERP rollout',
          accountId: account.id,
          amount: IDR('150000000.00'),
          expectedCloseDate: '2026-09-30',
          competitors: ['PT Pesaing'],
          nextStep: 'Demo',
        });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/opportunities/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        name: 'ERP rollout',
        accountId: account.id,
        primaryContactId: null,
        contactRoles: [],
        amount: IDR('150000000.00'),
        probability: 10,
        expectedCloseDate: '2026-09-30',
        pipeline: 'sales',
        stage: 'qualification',
        status: 'open',
        closedAt: null,
        competitors: ['PT Pesaing'],
        nextStep: 'Demo',
        lostReason: null,
        customFields: {},
        version: 1,
      });
      expect(new Date(res.body.stageChangedAt as string).toISOString()).toBe(
        res.body.stageChangedAt,
      );
      const history = await stageHistory(res.body.id as string);
      expect(history).toEqual([
        expect.objectContaining({
          pipeline: 'sales',
          stage: 'qualification',
          status: 'open',
          fromStage: null,
          fromPipeline: null,
          probability: 10,
          amount: IDR('150000000.00'),
          leftAt: null,
        }),
      ]);
      expect((await eventsOf(server, res.body.id as string)).map((e) => e.type)).toEqual([
        'opportunity.created',
      ]);
    });

    it('keeps the probability and stage the request sets, contact roles included', async () => {
      const account = await make.account();
      const contact = await make.contact({ accountId: account.id });
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(admin)
        .send({
          name: 'Explicit',
          accountId: account.id,
          pipeline: 'renewals',
          stage: 'upcoming',
          probability: 35,
          primaryContactId: contact.id,
          contactRoles: [{ contactId: contact.id, role: 'decision_maker' }],
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        pipeline: 'renewals',
        stage: 'upcoming',
        probability: 35,
        primaryContactId: contact.id,
        contactRoles: [{ contactId: contact.id, role: 'decision_maker' }],
      });
    });

    describe('bad input answers 400 naming the field', () => {
      let accountId: string;
      beforeAll(async () => {
        accountId = (await make.account()).id;
      });

      it.each([
        ['probability above 100', { probability: 101 }, 'probability', 'max'],
        ['probability below 0', { probability: -1 }, 'probability', 'min'],
        ['fractional probability', { probability: 50.5 }, 'probability', 'isInt'],
        [
          'day-first close date',
          { expectedCloseDate: '31/12/2026' },
          'expectedCloseDate',
          'isDate',
        ],
        [
          'impossible close date',
          { expectedCloseDate: '2026-02-30' },
          'expectedCloseDate',
          'isDate',
        ],
        [
          'close date with a time',
          { expectedCloseDate: '2026-12-31T00:00:00Z' },
          'expectedCloseDate',
          'isDate',
        ],
        ['numeric close date', { expectedCloseDate: 20261231 }, 'expectedCloseDate', 'isDate'],
        ['unknown pipeline', { pipeline: 'nope' }, 'pipeline', 'isIn'],
        ['unknown stage', { stage: 'closing' }, 'stage', 'isIn'],
        ['stage of another pipeline', { stage: 'upcoming' }, 'stage', 'isIn'],
        ['malformed stage key', { stage: 'Bad Key!' }, 'stage', 'matches'],
        ['unknown field', { color: 'red' }, 'color', 'unknownField'],
        ['server-owned status', { status: 'won' }, 'status', 'unknownField'],
        [
          'unknown contact role',
          { contactRoles: [{ contactId: randomUUID(), role: 'boss' }] },
          'contactRoles[0].role',
          'isIn',
        ],
        [
          'amount as a number',
          { amount: { amount: 5, currency: 'IDR' } },
          'amount.amount',
          'isDecimal',
        ],
        [
          'too many competitors',
          { competitors: Array.from({ length: 21 }, (_, i) => `C${i}`) },
          'competitors',
          'arrayMaxSize',
        ],
      ])('%s', async (_name, extra, field, code) => {
        const res = await server.http
          .post('/api/v1/opportunities')
          .set(admin)
          .send({ name: 'Bad', accountId, ...extra });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field, code })]),
        );
      });

      it('a missing account is required; an unknown one is not found', async () => {
        const missing = await server.http
          .post('/api/v1/opportunities')
          .set(admin)
          .send({ name: 'No account' });
        expect(missing.status).toBe(400);
        expect(missing.body.errors).toEqual([
          { field: 'accountId', code: 'required', message: 'is required' },
        ]);
        const unknown = await server.http
          .post('/api/v1/opportunities')
          .set(admin)
          .send({ name: 'Ghost account', accountId: randomUUID() });
        expect(unknown.status).toBe(400);
        expect(unknown.body.errors).toEqual([
          expect.objectContaining({ field: 'accountId', code: 'notFound' }),
        ]);
        const contact = await server.http
          .post('/api/v1/opportunities')
          .set(admin)
          .send({ name: 'Ghost contact', accountId, primaryContactId: randomUUID() });
        expect(contact.status).toBe(400);
        expect(contact.body.errors[0]).toMatchObject({
          field: 'primaryContactId',
          code: 'notFound',
        });
      });

      it('lists the allowed stages of the pipeline, in Indonesian too', async () => {
        const res = await server.http
          .post('/api/v1/opportunities')
          .set(admin)
          .set('accept-language', 'id')
          .send({ name: 'Bad stage', accountId, stage: 'closing' });
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toEqual({
          field: 'stage',
          code: 'isIn',
          message: 'harus salah satu dari: qualification, proposal, negotiation, won, lost',
        });
      });

      it('nothing is stored by a refused create', async () => {
        const { rows } = await server.db.query(
          `SELECT count(*)::int AS n FROM opportunities WHERE name = 'Bad'`,
        );
        expect(rows[0].n).toBe(0);
      });
    });
  });

  describe('stage changes', () => {
    it('enter a stage only with its required fields, take its probability, and are kept with time in stage', async () => {
      const o = await make.opportunity();
      const bad = await make.move(o.id, { stage: 'proposal' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: 'amount', code: 'requiredForStage', message: 'is required in stage "Proposal"' },
      ]);
      const badId = await server.http
        .patch(`/api/v1/opportunities/${o.id}`)
        .set(admin)
        .set('accept-language', 'id')
        .send({ stage: 'proposal' });
      expect(badId.body.errors[0].message).toBe('wajib diisi pada tahap "Penawaran"');

      await new Promise((r) => setTimeout(r, 1100));
      const moved = await make.move(o.id, { stage: 'proposal', amount: IDR('5000000') });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        stage: 'proposal',
        probability: 50,
        status: 'open',
        version: 2,
      });
      expect(Date.parse(moved.body.stageChangedAt as string)).toBeGreaterThan(
        Date.parse(o.stageChangedAt as string),
      );

      const history = await stageHistory(o.id);
      expect(history).toHaveLength(2);
      expect(history[0]).toMatchObject({ stage: 'qualification', fromStage: null });
      expect(history[0].leftAt).not.toBeNull();
      expect(history[0].secondsInStage).toBeGreaterThanOrEqual(1);
      expect(history[1]).toMatchObject({
        stage: 'proposal',
        fromStage: 'qualification',
        fromPipeline: 'sales',
        probability: 50,
        amount: IDR('5000000'),
        leftAt: null,
      });

      const events = await eventsOf(server, o.id);
      expect(events.map((e) => e.type)).toEqual([
        'opportunity.created',
        'opportunity.updated',
        'opportunity.stage_changed',
      ]);
      expect(events[2].data).toMatchObject({
        from: { pipeline: 'sales', stage: 'qualification', status: 'open' },
        to: { pipeline: 'sales', stage: 'proposal', status: 'open' },
        probability: 50,
        amount: IDR('5000000'),
      });
      expect(events[2].data.secondsInPreviousStage).toBeGreaterThanOrEqual(1);

      // Staying in the stage, its required field cannot be cleared.
      const cleared = await make.move(o.id, { amount: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.errors[0]).toMatchObject({ field: 'amount', code: 'requiredForStage' });
      // Other fields change freely, without a stage change.
      const edited = await make.move(o.id, { nextStep: 'Send contract' });
      expect(edited.status).toBe(200);
      expect(await stageHistory(o.id)).toHaveLength(2);
    });

    it('a lost stage needs a lost reason; a closed opportunity reopens only to an open stage', async () => {
      const o = await make.opportunity({ amount: IDR('1000') });
      const noReason = await make.move(o.id, { stage: 'lost' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual([
        expect.objectContaining({ field: 'lostReason', code: 'requiredForStage' }),
      ]);

      const lost = await make.move(o.id, { stage: 'lost', lostReason: 'price' });
      expect(lost.status).toBe(200);
      expect(lost.body).toMatchObject({ stage: 'lost', status: 'lost', probability: 0 });
      expect(lost.body.closedAt).not.toBeNull();

      const toWon = await make.move(o.id, { stage: 'won' });
      expect(toWon.status).toBe(409);
      expect(toWon.body).toMatchObject({
        code: 'stage_transition_not_allowed',
        from: 'lost',
        to: 'won',
      });
      expect(toWon.body.detail).toContain('reopened to an open stage');

      const editWhileClosed = await make.move(o.id, { nextStep: 'Post-mortem' });
      expect(editWhileClosed.status).toBe(200);

      const reopened = await make.move(o.id, { stage: 'proposal' });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'open', probability: 50, closedAt: null });

      const won = await make.move(o.id, { stage: 'won' });
      expect(won.status).toBe(200);
      expect(won.body).toMatchObject({ status: 'won', probability: 100 });
      const wonToLost = await make.move(o.id, { stage: 'lost', lostReason: 'changed mind' });
      expect(wonToLost.status).toBe(409);

      const stages = (await stageHistory(o.id)).map(
        (h) => `${String(h.fromStage)}>${String(h.stage)}`,
      );
      expect(stages).toEqual([
        'null>qualification',
        'qualification>lost',
        'lost>proposal',
        'proposal>won',
      ]);
      const { rows } = await server.db.query(`SELECT status FROM opportunities WHERE id = $1`, [
        o.id,
      ]);
      expect(rows[0].status).toBe('won');
    });

    it('a pipeline change needs a stage of the new pipeline', async () => {
      const o = await make.opportunity();
      const bad = await make.move(o.id, { pipeline: 'renewals' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'stage', code: 'isIn' });
      const unknown = await make.move(o.id, { pipeline: 'nope', stage: 'upcoming' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'pipeline', code: 'isIn' });
      const good = await make.move(o.id, { pipeline: 'renewals', stage: 'upcoming' });
      expect(good.status).toBe(200);
      expect(good.body).toMatchObject({ pipeline: 'renewals', stage: 'upcoming', probability: 60 });
      expect((await stageHistory(o.id))[1]).toMatchObject({
        fromPipeline: 'sales',
        fromStage: 'qualification',
        pipeline: 'renewals',
      });
    });

    it('probability outside 0-100 and a bad close date are refused on update too', async () => {
      const o = await make.opportunity();
      for (const [patch, field] of [
        [{ probability: 150 }, 'probability'],
        [{ probability: -5 }, 'probability'],
        [{ expectedCloseDate: 'next friday' }, 'expectedCloseDate'],
        [{ expectedCloseDate: '2026-13-01' }, 'expectedCloseDate'],
      ] as const) {
        const res = await make.move(o.id, patch);
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toBe(field);
      }
      const cleared = await make.move(o.id, { accountId: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.errors[0]).toMatchObject({ field: 'accountId', code: 'required' });
    });

    it('stale If-Match answers 412 and changes nothing; the current ETag goes through', async () => {
      const o = await make.opportunity();
      const stale = await make.move(
        o.id,
        { stage: 'negotiation', amount: IDR('1'), expectedCloseDate: '2026-10-01' },
        { 'if-match': '"7"' },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('precondition_failed');
      expect(await stageHistory(o.id)).toHaveLength(1);
      const fresh = await make.move(
        o.id,
        { stage: 'negotiation', amount: IDR('1'), expectedCloseDate: '2026-10-01' },
        { 'if-match': '"1"' },
      );
      expect(fresh.status).toBe(200);
      expect(fresh.headers.etag).toBe('"2"');
    });

    it('record history shows the stage, probability and status changes', async () => {
      const o = await make.opportunity({ amount: IDR('10') });
      await make.move(o.id, { stage: 'lost', lostReason: 'timing' });
      const res = await server.http.get(`/api/v1/opportunities/${o.id}/history`).set(admin);
      expect(res.status).toBe(200);
      const [latest] = res.body.data as { action: string; changes: { field: string }[] }[];
      expect(latest.action).toBe('update');
      expect(latest.changes.map((c) => c.field).sort()).toEqual(
        [
          'closedAt',
          'forecastCategory',
          'lostReason',
          'probability',
          'stage',
          'stageChangedAt',
          'status',
        ].sort(),
      );
      expect(latest.changes).toEqual(
        expect.arrayContaining([
          { field: 'stage', old: 'qualification', new: 'lost' },
          { field: 'status', old: 'open', new: 'lost' },
          { field: 'probability', old: 10, new: 0 },
          { field: 'forecastCategory', old: 'pipeline', new: 'omitted' },
        ]),
      );
    });

    it('pages the stage history with a cursor and refuses a bad one', async () => {
      const o = await make.opportunity({ amount: IDR('10') });
      await make.move(o.id, { stage: 'proposal' });
      await make.move(o.id, { stage: 'qualification' });
      const first = await server.http
        .get(`/api/v1/opportunities/${o.id}/stage-history?limit=2`)
        .set(admin);
      expect(first.body.data.map((h: { stage: string }) => h.stage)).toEqual([
        'qualification',
        'proposal',
      ]);
      expect(first.body.meta.nextCursor).toEqual(expect.any(String));
      const second = await server.http
        .get(
          `/api/v1/opportunities/${o.id}/stage-history?limit=2&cursor=${first.body.meta.nextCursor}`,
        )
        .set(admin);
      expect(second.body.data.map((h: { stage: string }) => h.stage)).toEqual(['qualification']);
      expect(second.body.meta.nextCursor).toBeNull();
      const bad = await server.http
        .get(`/api/v1/opportunities/${o.id}/stage-history?cursor=garbage`)
        .set(admin);
      expect(bad.status).toBe(400);
      const missing = await server.http
        .get(`/api/v1/opportunities/${randomUUID()}/stage-history`)
        .set(admin);
      expect(missing.status).toBe(404);
    });
  });

  describe('lists', () => {
    it('filter by status and through the account, include the account, sort by amount', async () => {
      const account = await make.account({ name: 'List Target', industry: 'mining' });
      const big = await make.opportunity({ accountId: account.id, amount: IDR('900') });
      const small = await make.opportunity({ accountId: account.id, amount: IDR('100') });
      await make.move(small.id, { stage: 'lost', lostReason: 'budget' });
      const res = await server.http
        .get(
          '/api/v1/opportunities?filter[account.industry][eq]=mining&sort=-amount.amount&include=account',
        )
        .set(admin);
      expect(res.status).toBe(200);
      expect(res.body.data.map((o: { id: string }) => o.id)).toEqual([big.id, small.id]);
      expect(res.body.data[0].account).toMatchObject({ id: account.id, name: 'List Target' });
      const lost = await server.http
        .get(`/api/v1/opportunities?filter[status][eq]=lost&filter[accountId][eq]=${account.id}`)
        .set(admin);
      expect(lost.body.data.map((o: { id: string }) => o.id)).toEqual([small.id]);
      const badStatus = await server.http
        .get('/api/v1/opportunities?filter[status][eq]=maybe')
        .set(admin);
      expect(badStatus.status).toBe(400);
    });

    it('deletes softly and restores', async () => {
      const o = await make.opportunity();
      expect((await server.http.delete(`/api/v1/opportunities/${o.id}`).set(admin)).status).toBe(
        204,
      );
      expect((await server.http.get(`/api/v1/opportunities/${o.id}`).set(admin)).status).toBe(404);
      const restored = await server.http.post(`/api/v1/opportunities/${o.id}/restore`).set(admin);
      expect(restored.status).toBe(200);
      expect(restored.body.stage).toBe('qualification');
    });
  });

  describe('access', () => {
    type Actor = Awaited<ReturnType<typeof people.userWithToken>>;
    let repA: Actor;
    let repA2: Actor;
    let repB: Actor;
    let manager: Actor;
    let analyst: Actor;
    let marketing: Actor;
    let teamA: { id: string };
    let teamB: { id: string };

    beforeAll(async () => {
      teamA = await people.team();
      teamB = await people.team();
      repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repA2 = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      manager = await people.userWithToken('sales_manager', { teamIds: [teamA.id] });
      analyst = await people.userWithToken('analyst');
      marketing = await people.userWithToken('marketing');
    });

    const create = async (actor: Actor, body: Record<string, unknown>) => {
      const account = await server.http
        .post('/api/v1/accounts')
        .set(actor.auth)
        .send({ name: `Acc ${randomUUID()}` });
      expect(account.status).toBe(201);
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(actor.auth)
        .send({ name: `Opp ${randomUUID()}`, accountId: account.body.id, ...body });
      expect(res.status).toBe(201);
      return res.body as SalesRecord;
    };

    it("another team's opportunity answers 404; a teammate's is read-only for a rep", async () => {
      const mine = await create(repA, {});
      expect(mine).toMatchObject({ ownerId: repA.user.id, teamId: teamA.id });
      for (const req of [
        server.http.get(`/api/v1/opportunities/${mine.id}`),
        server.http.patch(`/api/v1/opportunities/${mine.id}`).send({ nextStep: 'x' }),
        server.http.get(`/api/v1/opportunities/${mine.id}/stage-history`),
        server.http.delete(`/api/v1/opportunities/${mine.id}`),
      ]) {
        const res = await req.set(repB.auth);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
      expect(
        (await server.http.get(`/api/v1/opportunities/${mine.id}`).set(repA2.auth)).status,
      ).toBe(200);
      const teammate = await server.http
        .patch(`/api/v1/opportunities/${mine.id}`)
        .set(repA2.auth)
        .send({ nextStep: 'x' });
      expect(teammate.status).toBe(403);
      const byManager = await server.http
        .patch(`/api/v1/opportunities/${mine.id}`)
        .set(manager.auth)
        .send({ nextStep: 'Manager says hi' });
      expect(byManager.status).toBe(200);
    });

    it('an account outside the read scope cannot be referenced', async () => {
      const foreign = await server.http
        .post('/api/v1/accounts')
        .set(repB.auth)
        .send({ name: 'B only' });
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(repA.auth)
        .send({ name: 'Sneaky', accountId: foreign.body.id });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'accountId', code: 'notFound' });
    });

    it('analysts read but cannot write; marketing has no opportunities', async () => {
      const o = await create(repA, {});
      expect(
        (await server.http.get(`/api/v1/opportunities/${o.id}`).set(analyst.auth)).status,
      ).toBe(200);
      const write = await server.http
        .patch(`/api/v1/opportunities/${o.id}`)
        .set(analyst.auth)
        .send({ nextStep: 'x' });
      expect(write.status).toBe(403);
      const list = await server.http.get('/api/v1/opportunities').set(marketing.auth);
      expect(list.status).toBe(403);
      const board = await server.http.get('/api/v1/pipelines/sales/board').set(marketing.auth);
      expect(board.status).toBe(403);
    });

    it("the board counts and sums per stage and currency within the caller's scope", async () => {
      const usd = (amount: string) => ({ amount, currency: 'USD' });
      await create(repA, { pipeline: 'board', amount: IDR('1000.50') });
      await create(repA, { pipeline: 'board', amount: IDR('2000') });
      await create(repA, { pipeline: 'board', amount: usd('10') });
      await create(repA, { pipeline: 'board' }); // no amount: counted, not summed
      await create(repA2, { pipeline: 'board', stage: 'late', amount: IDR('400') });
      await create(repB, { pipeline: 'board', stage: 'late', amount: IDR('7000') });
      const won = await create(repB, { pipeline: 'board', amount: usd('5') });
      const moved = await server.http
        .patch(`/api/v1/opportunities/${won.id}`)
        .set(repB.auth)
        .send({ stage: 'done' });
      expect(moved.status).toBe(200);

      const boardOf = async (actor: { auth: { authorization: string } }, query = '') => {
        const res = await server.http.get(`/api/v1/pipelines/board/board${query}`).set(actor.auth);
        expect(res.status).toBe(200);
        return res.body as {
          count: number;
          amounts: unknown[];
          stages: { key: string; count: number; amounts: unknown[] }[];
        };
      };
      const forA = await boardOf(repA);
      expect(forA.stages.map((s) => [s.key, s.count])).toEqual([
        ['early', 4],
        ['late', 1],
        ['done', 0],
        ['gone', 0],
      ]);
      expect(forA.stages[0]).toMatchObject({
        label: 'Early',
        kind: 'open',
        probability: 25,
        amounts: [
          { currency: 'IDR', amount: '3000.50', weighted: '750.125' },
          { currency: 'USD', amount: '10', weighted: '2.5' },
        ],
      });
      expect(forA.stages[1].amounts).toEqual([{ currency: 'IDR', amount: '400', weighted: '300' }]);
      expect(forA.count).toBe(5);
      expect(forA.amounts).toEqual([
        { currency: 'IDR', amount: '3400.50', weighted: '1050.125' },
        { currency: 'USD', amount: '10', weighted: '2.5' },
      ]);

      const forB = await boardOf(repB);
      expect(forB.stages.map((s) => [s.key, s.count])).toEqual([
        ['early', 0],
        ['late', 1],
        ['done', 1],
        ['gone', 0],
      ]);
      expect(forB.stages[2].amounts).toEqual([{ currency: 'USD', amount: '5', weighted: '5' }]);

      const all = await boardOf(analyst);
      expect(all.count).toBe(7);
      const mineOnly = await boardOf(manager, `?ownerId=${repA2.user.id}`);
      expect(mineOnly.count).toBe(1);
      const teamB = await boardOf(analyst, `?teamId=${repB.user.teamIds[0]}`);
      expect(teamB.count).toBe(2);

      const bad = await server.http.get('/api/v1/pipelines/board/board?ownerId=me').set(admin);
      expect(bad.status).toBe(400);
      const unknown = await server.http.get('/api/v1/pipelines/board/board?stage=x').set(admin);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'stage', code: 'unknownField' });
    });
  });

  describe('the board totals', () => {
    /** What the board would say if it scanned every live opportunity, per stage and currency. */
    const scanned = async () =>
      (
        await server.db.query<{
          stage: string;
          currency: string | null;
          n: number;
          amount: string;
        }>(
          `SELECT stage, amount_currency AS currency, count(*)::int AS n,
                  coalesce(sum(amount_amount), 0)::text AS amount
             FROM opportunities WHERE deleted_at IS NULL AND pipeline = 'renewals'
            GROUP BY 1, 2 ORDER BY 1, 2`,
        )
      ).rows.map((r) => [r.stage, r.currency, r.n, Number(r.amount)]);
    const viaBoard = async () => {
      const res = await server.http.get('/api/v1/pipelines/renewals/board').set(admin);
      expect(res.status).toBe(200);
      const rows: unknown[][] = [];
      for (const stage of res.body.stages as {
        key: string;
        count: number;
        amounts: { currency: string; amount: string }[];
      }[]) {
        const counted = (
          await server.db.query<{ currency: string | null; n: number }>(
            `SELECT amount_currency AS currency, count(*)::int AS n FROM opportunities
            WHERE deleted_at IS NULL AND pipeline = 'renewals' AND stage = $1 GROUP BY 1`,
            [stage.key],
          )
        ).rows;
        for (const c of counted) {
          const amount = stage.amounts.find((a) => a.currency === c.currency?.trim());
          rows.push([stage.key, c.currency, c.n, amount ? Number(amount.amount) : 0]);
        }
        expect(stage.count).toBe(counted.reduce((n, c) => n + c.n, 0));
      }
      return rows.sort((a, b) => String(a).localeCompare(String(b)));
    };

    it('stay equal to a full scan through every kind of change, before and after folding', async () => {
      const usd = (amount: string) => ({ amount, currency: 'USD' });
      const a = await make.opportunity({ pipeline: 'renewals', amount: IDR('100.25') });
      const b = await make.opportunity({ pipeline: 'renewals', amount: usd('7') });
      const c = await make.opportunity({ pipeline: 'renewals' });
      const d = await make.opportunity({ pipeline: 'renewals', amount: IDR('50') });
      const someoneElse = await people.user('sales_rep');
      const patch = (id: string, body: object) =>
        server.http.patch(`/api/v1/opportunities/${id}`).set(admin).send(body).expect(200);
      await patch(a.id, { stage: 'renewed' });
      await patch(b.id, { amount: usd('9.5'), probability: 70 });
      await patch(c.id, { amount: IDR('1') });
      await patch(d.id, { ownerId: someoneElse.id });
      await server.http.delete(`/api/v1/opportunities/${b.id}`).set(admin).expect(204);
      await server.http.delete(`/api/v1/opportunities/${c.id}`).set(admin).expect(204);
      await server.http.post(`/api/v1/opportunities/${c.id}/restore`).set(admin).expect(200);
      const sorted = async () =>
        (await scanned()).sort((x, y) => String(x).localeCompare(String(y)));
      expect(await viaBoard()).toEqual(await sorted());
      await server.db.query(COMPACT_BOARD_SQL);
      const rows = await server.db.query(
        `SELECT count(*)::int AS n FROM opportunity_board_deltas WHERE pipeline = 'renewals'`,
      );
      expect(rows.rows[0].n).toBeLessThanOrEqual(4);
      expect(await viaBoard()).toEqual(await sorted());
      await server.http.delete(`/api/v1/opportunities/${a.id}`).set(admin).expect(204);
      expect(await viaBoard()).toEqual(await sorted());
    });
  });

  describe('merges move opportunities with their account and contacts', () => {
    it('an account merge moves the opportunities to the survivor', async () => {
      const survivor = await make.account({ name: 'Survivor' });
      const duplicate = await make.account({ name: 'Duplicate' });
      const o = await make.opportunity({ accountId: duplicate.id });
      const merged = await server.http
        .post(`/api/v1/accounts/${survivor.id}/merge`)
        .set(admin)
        .send({ duplicateIds: [duplicate.id] });
      expect(merged.status).toBe(200);
      const read = await server.http.get(`/api/v1/opportunities/${o.id}`).set(admin);
      expect(read.body).toMatchObject({ accountId: survivor.id, version: 2 });
      const history = await server.http.get(`/api/v1/opportunities/${o.id}/history`).set(admin);
      expect(history.body.data[0].changes).toEqual([
        { field: 'accountId', old: duplicate.id, new: survivor.id },
      ]);
    });

    it('a contact merge moves the primary contact and the contact roles', async () => {
      const account = await make.account();
      const keep = await make.contact({ accountId: account.id });
      const dup = await make.contact({ accountId: account.id });
      const other = await make.contact({ accountId: account.id });
      const o = await make.opportunity({
        accountId: account.id,
        primaryContactId: dup.id,
        contactRoles: [
          { contactId: dup.id, role: 'champion' },
          { contactId: other.id, role: 'user' },
        ],
      });
      const both = await make.opportunity({
        accountId: account.id,
        contactRoles: [
          { contactId: keep.id, role: 'economic_buyer' },
          { contactId: dup.id, role: 'champion' },
        ],
      });
      const merged = await server.http
        .post(`/api/v1/contacts/${keep.id}/merge`)
        .set(admin)
        .send({ duplicateIds: [dup.id] });
      expect(merged.status).toBe(200);
      const read = (id: string) =>
        server.http
          .get(`/api/v1/opportunities/${id}`)
          .set(admin)
          .then((r) => r.body as SalesRecord);
      expect((await read(o.id)).primaryContactId).toBe(keep.id);
      const moved = await eventually(
        () => read(o.id),
        (r) => (r.contactRoles as { contactId: string }[])[0].contactId === keep.id,
      );
      expect(moved.contactRoles).toEqual([
        { contactId: keep.id, role: 'champion' },
        { contactId: other.id, role: 'user' },
      ]);
      const deduped = await eventually(
        () => read(both.id),
        (r) => (r.contactRoles as unknown[]).length === 1,
      );
      expect(deduped.contactRoles).toEqual([{ contactId: keep.id, role: 'economic_buyer' }]);
      const history = await server.http.get(`/api/v1/opportunities/${both.id}/history`).set(admin);
      expect(history.body.data[0].changes[0].field).toBe('contactRoles');
    });
  });
});
