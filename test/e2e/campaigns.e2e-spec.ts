import { accessFactories } from '../support/access-factories.js';
import { catalogFactories } from '../support/catalog-factories.js';
import { factories } from '../support/factories.js';
import { eventsOf, eventually, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
catalog:
  taxCategories:
    - { key: standard, label: { en: VAT 11% }, rate: "11", default: true }
campaigns:
  approvalThresholds: { IDR: '10000000' }
  approverRoles: [sales_manager]
`;

type Auth = { authorization: string };
type Campaign = Record<string, unknown> & { id: string; version: number; status: string };

describe('campaigns', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let catalog: ReturnType<typeof catalogFactories>;
  let account: { id: string };
  const contacts: { id: string }[] = [];

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('campaigns', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
    catalog = catalogFactories(server, admin);
    account = await customers.account();
    for (let i = 0; i < 4; i++)
      contacts.push(await customers.contact({ accountId: account.id, lifecycleStage: 'customer' }));
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/campaigns').set(auth).send(body);
  const created = async (body: Record<string, unknown> = {}) => {
    const res = await create({ name: 'Spring launch', type: 'email', ...body });
    if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Campaign;
  };
  const act = (
    id: string,
    action: string,
    auth: Auth = admin,
    headers: Record<string, string> = {},
  ) =>
    server.http
      .post(`/api/v1/campaigns/${id}/${action}`)
      .set({ ...auth, ...headers })
      .send();

  it('runs planned → active → completed, with approval required above the threshold', async () => {
    const small = await created({ budget: { amount: '5000000', currency: 'IDR' } });
    expect(small).toMatchObject({ status: 'planned', approvalRequired: false });
    expect((await act(small.id, 'activate')).body.status).toBe('active');
    const done = await act(small.id, 'complete');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    const again = await act(small.id, 'activate');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'campaign_status_transition',
      campaignStatus: 'completed',
    });
    expect((await eventsOf(server, small.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['campaign.status_changed']),
    );

    const manager = await people.userWithToken('sales_manager');
    // Approvers need update rights on the campaign too: this one is the manager's.
    const big = await created({
      budget: { amount: '25000000', currency: 'IDR' },
      ownerId: manager.user.id,
    });
    expect(big.approvalRequired).toBe(true);
    const refused = await act(big.id, 'activate');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('campaign_approval_required');
    const rep = await people.userWithToken('marketing');
    expect((await act(big.id, 'approve', rep.auth)).status).toBe(403);
    const approved = await act(big.id, 'approve', manager.auth);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedById: manager.user.id });
    const lockedBudget = await server.http
      .patch(`/api/v1/campaigns/${big.id}`)
      .set(admin)
      .send({ budget: { amount: '90000000', currency: 'IDR' } });
    expect(lockedBudget.status).toBe(409);
    expect((await act(big.id, 'activate')).body.status).toBe('active');
    expect((await act(big.id, 'abort')).body.status).toBe('aborted');
    expect((await act(big.id, 'launch')).status).toBe(404);
  });

  it('keeps planned and actual costs and reports performance with ROI', async () => {
    const c = await created({ budget: { amount: '2000000', currency: 'IDR' } });
    const cost = (body: Record<string, unknown>) =>
      server.http.post(`/api/v1/campaigns/${c.id}/costs`).set(admin).send(body);
    expect(
      (
        await cost({
          kind: 'planned',
          category: 'ads',
          amount: { amount: '1500000', currency: 'IDR' },
          incurredOn: '2026-03-01',
        })
      ).status,
    ).toBe(201);
    const actual = await cost({
      kind: 'actual',
      category: 'ads',
      amount: { amount: '1000000', currency: 'IDR' },
      incurredOn: '2026-03-02',
    });
    expect(actual.status).toBe(201);
    expect(
      (
        await cost({
          kind: 'actual',
          category: 'ads',
          amount: { amount: '1', currency: 'USD' },
          incurredOn: '2026-03-02',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await cost({
          kind: 'spent',
          category: 'ads',
          amount: { amount: '1', currency: 'IDR' },
          incurredOn: '2026-03-02',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await cost({
          kind: 'actual',
          category: 'x'.repeat(101),
          amount: { amount: '1', currency: 'IDR' },
          incurredOn: '2026-03-02',
        })
      ).status,
    ).toBe(400);
    const list = await server.http.get(`/api/v1/campaigns/${c.id}/costs`).set(admin);
    expect(list.body.totals).toEqual({
      planned: { amount: '1500000', currency: 'IDR' },
      actual: { amount: '1000000', currency: 'IDR' },
    });

    await server.http
      .post(`/api/v1/campaigns/${c.id}/members`)
      .set(admin)
      .send({ contactIds: contacts.map((x) => x.id) });
    await server.http
      .patch(`/api/v1/campaigns/${c.id}/members/${contacts[0].id}`)
      .set(admin)
      .send({ status: 'converted' });
    const lead = await server.http
      .post(`/api/v1/campaigns/${c.id}/responses`)
      .set(admin)
      .send({ lead: { lastName: 'Rina', company: 'PT Maju' } });
    expect(lead.status).toBe(201);
    const leadRead = await server.http.get(`/api/v1/leads/${lead.body.leadId}`).set(admin);
    expect(leadRead.body.source).toBe('campaign');

    const standard = await catalog.priceBook({ name: 'Standard', isStandard: true });
    const product = await catalog.product({ sku: 'CMP-1', name: { en: 'Thing' } });
    await catalog.entry(standard.id, product.id, '3000000');
    const order = await server.http
      .post('/api/v1/orders')
      .set(admin)
      .send({ accountId: account.id, lines: [{ productId: product.id, quantity: '1' }] });
    expect(order.status).toBe(201);
    const credit = await server.http
      .post(`/api/v1/campaigns/${c.id}/attributions`)
      .set(admin)
      .send({ entity: 'orders', recordId: order.body.id });
    expect(credit.status).toBe(200);
    expect(credit.body.data).toEqual([
      expect.objectContaining({ entity: 'orders', source: 'explicit' }),
    ]);

    const perf = await server.http.get(`/api/v1/campaigns/${c.id}/performance`).set(admin);
    expect(perf.status).toBe(200);
    expect(perf.body).toMatchObject({
      currency: 'IDR',
      memberCount: 4,
      membersByStatus: { targeted: 3, converted: 1 },
      responses: 1,
      leads: 1,
      actualCost: { amount: '1000000', currency: 'IDR' },
      costPerLead: { amount: '1000000', currency: 'IDR' },
      conversionRate: '0.2500',
      attributedRevenue: { amount: '3000000', currency: 'IDR' },
      roi: '2.0000',
    });
  });

  it('adds members from a segment snapshot and moves them along the funnel with history', async () => {
    const c = await created();
    const seg = await server.http
      .post('/api/v1/segments')
      .set(admin)
      .send({
        name: 'Customers',
        type: 'dynamic',
        rules: { field: 'lifecycleStage', op: 'eq', value: 'customer' },
      });
    const added = await server.http
      .post(`/api/v1/campaigns/${c.id}/members`)
      .set(admin)
      .send({ segmentId: seg.body.id });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ added: 4, memberCount: 4 });
    const path = `/api/v1/campaigns/${c.id}/members/${contacts[1].id}`;
    for (const status of ['sent', 'opened', 'clicked'])
      expect((await server.http.patch(path).set(admin).send({ status })).status).toBe(200);
    const back = await server.http.patch(path).set(admin).send({ status: 'sent' });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('campaign_member_status_transition');
    const member = await server.http.get(path).set(admin);
    expect(member.body.history.map((h: { to: string }) => h.to)).toEqual([
      'targeted',
      'sent',
      'opened',
      'clicked',
    ]);
    const page = await server.http
      .get(`/api/v1/campaigns/${c.id}/members?status=targeted&limit=2`)
      .set(admin);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.meta.nextCursor).toEqual(expect.any(String));
    expect(
      (await server.http.get(`/api/v1/campaigns/${c.id}/members?status=gone`).set(admin)).status,
    ).toBe(400);
    expect(
      (await server.http.post(`/api/v1/campaigns/${c.id}/members`).set(admin).send({})).status,
    ).toBe(400);
    expect((await server.http.patch(path).set(admin).send({ status: 'delighted' })).status).toBe(
      400,
    );
  });

  it('makes call tasks round-robin for telemarketing campaigns only', async () => {
    const c = await created({ type: 'telemarketing' });
    await server.http
      .post(`/api/v1/campaigns/${c.id}/members`)
      .set(admin)
      .send({ contactIds: contacts.map((x) => x.id) });
    const a = await people.user('sales_rep');
    const b = await people.user('sales_rep');
    const tasks = await server.http
      .post(`/api/v1/campaigns/${c.id}/call-tasks`)
      .set(admin)
      .send({ userIds: [a.id, b.id], subject: 'Trade-in offer' });
    expect(tasks.status).toBe(201);
    const owners = (tasks.body.data as { ownerId: string }[]).map((t) => t.ownerId);
    expect(owners).toEqual([a.id, b.id, a.id, b.id]);
    const activity = await server.http
      .get(`/api/v1/activities/${tasks.body.data[0].activityId}`)
      .set(admin);
    expect(activity.body).toMatchObject({
      type: 'call',
      relatedEntity: 'contacts',
      subject: 'Trade-in offer',
    });
    const email = await created();
    const refused = await server.http
      .post(`/api/v1/campaigns/${email.id}/call-tasks`)
      .set(admin)
      .send({ userIds: [a.id] });
    expect(refused.status).toBe(409);
  });

  it('answers bad inputs, parent cycles, others’ campaigns and stale writes', async () => {
    expect((await create({ type: 'email' })).status).toBe(400);
    expect((await create({ name: 7, type: 'email' })).status).toBe(400);
    expect((await create({ name: 'x'.repeat(201), type: 'email' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'email', mood: 'happy' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'radio' })).status).toBe(400);
    expect((await create({ name: 'X', type: 'email', status: 'active' })).status).toBe(400);
    expect(
      (await create({ name: 'X', type: 'email', startsOn: '2026-05-02', endsOn: '2026-05-01' }))
        .status,
    ).toBe(400);
    const parent = await created({ name: 'Programme' });
    const child = await created({ name: 'Wave 1', parentCampaignId: parent.id });
    const cycle = await server.http
      .patch(`/api/v1/campaigns/${parent.id}`)
      .set(admin)
      .send({ parentCampaignId: child.id });
    expect(cycle.status).toBe(422);
    expect(cycle.body.code).toBe('campaign_parent_cycle');
    expect(cycle.body.detail).toContain('Programme → Wave 1 → Programme');
    const stale = await server.http
      .patch(`/api/v1/campaigns/${child.id}`)
      .set({ ...admin, 'if-match': '"999"' })
      .send({ name: 'Wave one' });
    expect(stale.status).toBe(412);
    expect((await act(child.id, 'activate', admin, { 'if-match': '"999"' })).status).toBe(412);

    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          campaigns: { create: 'own', read: 'own', update: 'own', delete: 'own', reassign: false },
        },
      },
    });
    const outsider = await people.userWithToken(role.id);
    expect((await server.http.get(`/api/v1/campaigns/${child.id}`).set(outsider.auth)).status).toBe(
      404,
    );
    expect((await act(child.id, 'activate', outsider.auth)).status).toBe(404);
    expect(
      (await server.http.get(`/api/v1/campaigns/${child.id}/performance`).set(outsider.auth))
        .status,
    ).toBe(404);
    const analyst = await people.userWithToken('analyst');
    expect((await create({ name: 'X', type: 'email' }, analyst.auth)).status).toBe(403);
  });

  it('credits the opportunity of a converted lead that came from a response', async () => {
    const c = await created();
    const res = await server.http
      .post(`/api/v1/campaigns/${c.id}/responses`)
      .set(admin)
      .send({ lead: { lastName: 'Sari', company: 'PT Sari' }, note: 'Asked for a demo' });
    const converted = await server.http
      .post(`/api/v1/leads/${res.body.leadId}/convert`)
      .set(admin)
      .send({ createOpportunity: { name: 'Sari laptops' } });
    expect(converted.status).toBe(200);
    const opportunityId = (converted.body.opportunity as { id: string }).id;
    await eventually(
      () => server.http.get(`/api/v1/campaigns/${c.id}/attributions`).set(admin),
      (r) => (r.body.data as unknown[]).length === 1,
    );
    const credited = await server.http.get(`/api/v1/campaigns/${c.id}/attributions`).set(admin);
    expect(credited.body.data[0]).toMatchObject({
      entity: 'opportunities',
      recordId: opportunityId,
      source: 'response',
    });
  });
});
