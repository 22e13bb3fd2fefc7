import { writeSalesConfig } from '../support/sales-factories.js';
import {
  freshDatabase,
  runUntilExit,
  startServer,
  type TestServer,
} from '../support/test-server.js';

const PIPELINES = `
version: 1
customization:
  opportunities:
    fields:
      - { code: tenderNumber, type: text, label: { en: Tender number } }
pipelines:
  - key: direct
    label: { en: Direct sales, id: Penjualan langsung }
    stages:
      - { key: lead_in, label: { en: Lead in }, probability: 5, kind: open }
      - { key: tender, label: { en: Tender }, probability: 40, kind: open, requiredFields: [amount, customFields.tenderNumber] }
      - { key: won, label: { en: Won, id: Menang }, probability: 100, kind: won }
      - { key: lost, label: { en: Lost, id: Kalah }, probability: 0, kind: lost }
  - key: partner
    label: { en: Partner deals }
    default: true
    stages:
      - { key: registered, label: { en: Registered }, probability: 20, kind: open }
      - { key: closed_won, label: { en: Closed won }, probability: 100, kind: won }
      - { key: closed_lost, label: { en: Closed lost }, probability: 0, kind: lost }
`;

describe('pipelines', () => {
  describe('without a pipelines section', () => {
    let server: TestServer;
    let auth: { authorization: string };

    beforeAll(async () => {
      server = await startServer();
      auth = { authorization: `Bearer ${await server.login()}` };
    });
    afterAll(async () => {
      await server.stop();
    });

    it('serves the built-in default pipeline with its ordered stages', async () => {
      const res = await server.http.get('/api/v1/pipelines').set(auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      const [sales] = res.body.data;
      expect(sales).toMatchObject({ key: 'sales', label: 'Sales', default: true });
      expect(sales.stages.map((s: { key: string }) => s.key)).toEqual([
        'qualification',
        'needs_analysis',
        'proposal',
        'negotiation',
        'won',
        'lost',
      ]);
      expect(sales.stages[2]).toEqual({
        key: 'proposal',
        label: 'Proposal',
        probability: 50,
        kind: 'open',
        requiredFields: ['amount'],
        forecastCategory: null,
        position: 2,
      });
      expect(sales.stages[4]).toMatchObject({ kind: 'won', probability: 100 });
      expect(sales.stages[5]).toMatchObject({ kind: 'lost', probability: 0 });
    });

    it('reads one pipeline, with labels in the language asked for', async () => {
      const res = await server.http
        .get('/api/v1/pipelines/sales')
        .set(auth)
        .set('accept-language', 'id');
      expect(res.status).toBe(200);
      expect(res.body.label).toBe('Penjualan');
      expect(res.body.stages[0].label).toBe('Kualifikasi');
    });

    it('answers 404 for an unknown pipeline and 401 without credentials', async () => {
      const missing = await server.http.get('/api/v1/pipelines/nope').set(auth);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'not_found' });
      expect(missing.body.detail).toContain('pipeline');
      expect((await server.http.get('/api/v1/pipelines')).status).toBe(401);
      const board = await server.http.get('/api/v1/pipelines/nope/board').set(auth);
      expect(board.status).toBe(404);
    });

    it('is readable by any signed-in role', async () => {
      const admin = await server.login();
      const user = await server.http
        .post('/api/v1/users')
        .set({ authorization: `Bearer ${admin}` })
        .send({
          email: 'analyst-pipelines@example.com',
          lastName: 'Analyst',
          roleId: '0192f000-0000-7000-8000-000000000006',
          password: 'user-password-123',
        });
      expect(user.status).toBe(201);
      const token = await server.login('analyst-pipelines@example.com', 'user-password-123');
      const res = await server.http
        .get('/api/v1/pipelines')
        .set({ authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
    });
  });

  describe('from crm.config.yaml', () => {
    let server: TestServer;
    let auth: { authorization: string };

    beforeAll(async () => {
      server = await startServer({ env: { CRM_CONFIG: writeSalesConfig('pipes', PIPELINES) } });
      auth = { authorization: `Bearer ${await server.login()}` };
    });
    afterAll(async () => {
      await server.stop();
    });

    it('lists the configured pipelines in order and marks the default', async () => {
      const res = await server.http.get('/api/v1/pipelines').set(auth);
      expect(res.status).toBe(200);
      expect(
        res.body.data.map((p: { key: string; default: boolean }) => [p.key, p.default]),
      ).toEqual([
        ['direct', false],
        ['partner', true],
      ]);
      expect(res.body.data[0].stages[1]).toMatchObject({
        key: 'tender',
        requiredFields: ['amount', 'customFields.tenderNumber'],
      });
      expect((await server.http.get('/api/v1/pipelines/sales').set(auth)).status).toBe(404);
    });

    it('puts opportunities that name no pipeline into the default one, first open stage', async () => {
      const account = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'Pipe Co' });
      const res = await server.http
        .post('/api/v1/opportunities')
        .set(auth)
        .send({ name: 'Default pipeline deal', accountId: account.body.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ pipeline: 'partner', stage: 'registered', probability: 20 });
    });

    it('requires a configured custom field to enter a stage that lists it', async () => {
      const account = await server.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'Tender Co' });
      const created = await server.http
        .post('/api/v1/opportunities')
        .set(auth)
        .send({ name: 'Tender deal', accountId: account.body.id, pipeline: 'direct' });
      expect(created.status).toBe(201);
      const url = `/api/v1/opportunities/${created.body.id}`;
      const bad = await server.http
        .patch(url)
        .set(auth)
        .send({ stage: 'tender', amount: { amount: '1000.00', currency: 'IDR' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        {
          field: 'customFields.tenderNumber',
          code: 'requiredForStage',
          message: 'is required in stage "Tender"',
        },
      ]);
      const good = await server.http
        .patch(url)
        .set(auth)
        .send({
          stage: 'tender',
          amount: { amount: '1000.00', currency: 'IDR' },
          customFields: { tenderNumber: 'T-1' },
        });
      expect(good.status).toBe(200);
      expect(good.body).toMatchObject({ stage: 'tender', probability: 40 });
    });
  });

  describe('bad pipeline config stops the start', () => {
    it.each([
      [
        'a stage declared twice',
        `pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: a, label: { en: A2 }, probability: 20, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }`,
        'stage "a" is declared twice',
      ],
      [
        'no lost stage',
        `pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }`,
        'needs at least one lost stage',
      ],
      [
        'a probability above 100',
        `pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 120, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }`,
        '/pipelines/0/stages/0/probability',
      ],
      [
        'an unknown required field',
        `pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open, requiredFields: [budget] }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }`,
        'requires unknown field "budget"',
      ],
      [
        'two defaults',
        `pipelines:
  - key: p
    label: { en: P }
    default: true
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }
  - key: q
    label: { en: Q }
    default: true
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }`,
        'only one pipeline may be the default',
      ],
    ])('refuses %s', async (_name, yaml, message) => {
      const file = writeSalesConfig('bad', `version: 1\n${yaml}\n`);
      const { code, output } = await runUntilExit({
        env: { CRM_CONFIG: file },
        databaseUrl: await freshDatabase(),
      });
      expect(code).toBe(2);
      expect(output).toContain(message);
    });
  });

  describe('removing a stage in use', () => {
    it('stops the start naming the opportunities still in it, and starts once they moved', async () => {
      const databaseUrl = await freshDatabase();
      const first = await startServer({
        databaseUrl,
        env: { CRM_CONFIG: writeSalesConfig('in-use', PIPELINES) },
      });
      const auth = { authorization: `Bearer ${await first.login()}` };
      const account = await first.http
        .post('/api/v1/accounts')
        .set(auth)
        .send({ name: 'PT Tetap' })
        .expect(201);
      const deal = await first.http
        .post('/api/v1/opportunities')
        .set(auth)
        .send({ name: 'Stuck', accountId: account.body.id, pipeline: 'partner' })
        .expect(201);
      await first.stop();

      const without = PIPELINES.replace(
        '      - { key: registered, label: { en: Registered }, probability: 20, kind: open }\n',
        '      - { key: qualified, label: { en: Qualified }, probability: 30, kind: open }\n',
      );
      expect(without).not.toBe(PIPELINES);
      const refused = await runUntilExit({
        databaseUrl,
        env: { CRM_CONFIG: writeSalesConfig('in-use-dropped', without) },
      });
      expect(refused.code).toBe(2);
      expect(refused.output).toContain(
        `pipelines.partner: stage "registered" was removed but 1 opportunity(ies) are in it, e.g. ${deal.body.id as string}`,
      );

      const again = await startServer({
        databaseUrl,
        env: { CRM_CONFIG: writeSalesConfig('in-use-again', PIPELINES) },
      });
      const againAuth = { authorization: `Bearer ${await again.login()}` };
      await again.http
        .patch(`/api/v1/opportunities/${deal.body.id as string}`)
        .set(againAuth)
        .send({ stage: 'closed_won' })
        .expect(200);
      await again.stop();
      const after = await startServer({
        databaseUrl,
        env: { CRM_CONFIG: writeSalesConfig('in-use-after', without) },
      });
      await after.stop();
    });
  });
});
