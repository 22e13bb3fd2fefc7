import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import {
  PARTNERS_YAML,
  partnerFactories,
  type PartnerLogin,
} from '../support/partner-factories.js';
import { expectProblem } from '../support/problems.js';
import {
  eventsOf,
  eventually,
  salesFactories,
  writeSalesConfig,
} from '../support/sales-factories.js';
import type { Auth } from '../support/service-factories.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('partners: deal registration, shared records, distribution and performance', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let sales: ReturnType<typeof salesFactories>;
  let partners: ReturnType<typeof partnerFactories>;
  let manager: { user: { id: string }; auth: Auth };
  let rep: { user: { id: string }; auth: Auth };
  let alpha: { id: string };
  let beta: { id: string };
  let sari: PartnerLogin;
  let budi: PartnerLogin;

  const submit = (who: PartnerLogin, body: Record<string, unknown>) =>
    server.http.post('/api/v1/partner/deals').set(who.auth).send(body);

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig(
          'partner-deals',
          `version: 1\norganization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }\n${PARTNERS_YAML}`,
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_LOGIN_MAX_FAILURES_PER_IP: '1000',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const people = accessFactories(server, token);
    sales = salesFactories(server, token);
    partners = partnerFactories(server, admin, box);
    manager = await people.userWithToken('sales_manager');
    rep = await people.userWithToken('sales_rep');
    alpha = await partners.partner({ channelManagerId: manager.user.id });
    beta = await partners.partner();
    sari = await partners.user(alpha.id);
    budi = await partners.user(beta.id);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  describe('deal registration', () => {
    it('a partner submits, the channel manager sees the conflicts and approves into an attributed opportunity', async () => {
      const name = `PT Maju ${randomUUID().slice(0, 8)}`;
      const domain = `maju-${randomUUID().slice(0, 8)}.co.id`;
      const existing = await sales.account({
        name: `${name} Group`,
        website: `https://www.${domain}/about`,
      });
      const direct = await sales.opportunity({ accountId: existing.id });
      const rival = await submit(budi, {
        accountName: name.toUpperCase(),
        productInterest: ['ERP licences', 'Training'],
      });
      expect(rival.status).toBe(201);

      const res = await submit(sari, {
        accountName: name,
        accountDomain: `WWW.${domain}`,
        contact: { name: 'Budi Santoso', email: 'budi@maju.example.com' },
        productInterest: ['erp licences', 'Support'],
        estimatedAmount: { amount: '250000000.00', currency: 'IDR' },
        expectedCloseDate: '2027-03-31',
        notes: 'Met at the expo',
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/partner/deals/${res.body.id}`);
      expect(res.body).toMatchObject({
        status: 'submitted',
        accountName: name,
        accountDomain: domain,
        estimatedAmount: { amount: '250000000.00', currency: 'IDR' },
        expectedCloseDate: '2027-03-31',
      });
      expect(res.body.conflicts).toBeUndefined();
      const id = res.body.id as string;
      const submitted = await eventsOf(server, id);
      expect(submitted[0]).toMatchObject({
        type: 'deal_registration.submitted',
        data: { partnerId: alpha.id, channelManagerId: manager.user.id },
      });

      const listed = await server.http
        .get('/api/v1/deal-registrations?filter[status][eq]=submitted')
        .set(manager.auth);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((r: { id: string }) => r.id)).toContain(id);

      const read = await server.http.get(`/api/v1/deal-registrations/${id}`).set(manager.auth);
      expect(read.status).toBe(200);
      expect(read.body.partnerId).toBe(alpha.id);
      expect(read.body.conflicts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'opportunity', id: direct.id, match: 'domain' }),
          expect.objectContaining({
            kind: 'registration',
            id: rival.body.id,
            match: 'name',
            partnerId: beta.id,
            overlappingProducts: ['ERP licences'],
          }),
        ]),
      );

      const stale = await server.http
        .post(`/api/v1/deal-registrations/${id}/approve`)
        .set({ ...manager.auth, 'if-match': '"99"' })
        .send({});
      expectProblem(stale, 412);
      const approved = await server.http
        .post(`/api/v1/deal-registrations/${id}/approve`)
        .set({ ...manager.auth, 'if-match': read.headers.etag })
        .send({});
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decidedById: manager.user.id,
        accountId: expect.any(String),
        opportunityId: expect.any(String),
        expiresAt: expect.any(String),
      });
      const days = (Date.parse(approved.body.expiresAt) - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(30);
      const opp = await server.http
        .get(`/api/v1/opportunities/${approved.body.opportunityId as string}`)
        .set(admin);
      expect(opp.body).toMatchObject({
        accountId: approved.body.accountId,
        amount: { amount: '250000000.00', currency: 'IDR' },
        expectedCloseDate: '2027-03-31',
      });
      const again = await server.http
        .post(`/api/v1/deal-registrations/${id}/approve`)
        .set(manager.auth)
        .send({});
      expectProblem(again, 409);
      expect(again.body.code).toBe('deal_registration_decided');
      expect(again.body.registrationStatus).toBe('approved');
      const types = (await eventsOf(server, id)).map((e) => e.type);
      expect(types).toContain('deal_registration.approved');

      // The partner sees its own registration's new status and the shared opportunity.
      const mine = await server.http.get(`/api/v1/partner/deals/${id}`).set(sari.auth);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ status: 'approved', opportunityId: opp.body.id });
      expect(mine.body.partnerId).toBeUndefined();
      const shared = await server.http.get('/api/v1/partner/opportunities').set(sari.auth);
      expect(shared.body.data.map((o: { id: string }) => o.id)).toEqual([opp.body.id]);
      expect(shared.body.data[0].probability).toBeUndefined();
      expect(shared.body.data[0].description).toBeUndefined();
      const oppPath = `/api/v1/partner/opportunities/${opp.body.id as string}`;
      const step = await server.http
        .patch(oppPath)
        .set(sari.auth)
        .send({ nextStep: 'Demo on Tuesday' });
      expect(step.status).toBe(200);
      expect(step.body).toMatchObject({ nextStep: 'Demo on Tuesday', stage: opp.body.stage });
      // Recorded as the partner API, not as the staff member who invited the partner user.
      const history = await server.http
        .get(`/api/v1/opportunities/${opp.body.id as string}/history?limit=1`)
        .set(admin);
      expect(history.body.data[0]).toMatchObject({
        action: 'update',
        actorId: '00000000-0000-4000-8000-00000000f002',
      });
      for (const body of [{}, { nextStep: 5 }, { nextStep: 'x'.repeat(501) }, { stage: 'won' }])
        expectProblem(await server.http.patch(oppPath).set(sari.auth).send(body), 400);
      expectProblem(await server.http.get(oppPath).set(budi.auth), 404);
      expectProblem(
        await server.http.patch(oppPath).set(budi.auth).send({ nextStep: 'Mine now' }),
        404,
      );
    });

    it('rejects with a reason; another partner’s registration is not found; bad input is refused', async () => {
      const res = await submit(sari, { accountName: `PT Lain ${randomUUID()}` });
      const id = res.body.id as string;
      expectProblem(await server.http.get(`/api/v1/partner/deals/${id}`).set(budi.auth), 404);
      const theirs = await server.http.get('/api/v1/partner/deals').set(budi.auth);
      expect(theirs.body.data.map((r: { id: string }) => r.id)).not.toContain(id);

      expectProblem(
        await server.http
          .post(`/api/v1/deal-registrations/${id}/reject`)
          .set(manager.auth)
          .send({}),
        400,
      );
      expectProblem(
        await server.http
          .post(`/api/v1/deal-registrations/${id}/reject`)
          .set(manager.auth)
          .send({ reason: 'x'.repeat(1001) }),
        400,
      );
      expectProblem(
        await server.http
          .post(`/api/v1/deal-registrations/${id}/reject`)
          .set(rep.auth)
          .send({ reason: 'No' }),
        403,
      );
      const rejected = await server.http
        .post(`/api/v1/deal-registrations/${id}/reject`)
        .set(manager.auth)
        .send({ reason: 'Already in our direct pipeline' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectReason: 'Already in our direct pipeline',
      });
      const approveRejected = await server.http
        .post(`/api/v1/deal-registrations/${id}/approve`)
        .set(manager.auth)
        .send({});
      expectProblem(approveRejected, 409);
      const seen = await server.http.get(`/api/v1/partner/deals/${id}`).set(sari.auth);
      expect(seen.body).toMatchObject({
        status: 'rejected',
        rejectReason: 'Already in our direct pipeline',
      });

      const bad: [string, Record<string, unknown>][] = [
        ['missing account name', { notes: 'x' }],
        ['wrong type', { accountName: 5 }],
        ['too long', { accountName: 'x'.repeat(201) }],
        ['bad domain', { accountName: 'PT X', accountDomain: 'not a domain' }],
        ['bad money', { accountName: 'PT X', estimatedAmount: { amount: 12, currency: 'IDR' } }],
        ['bad date', { accountName: 'PT X', expectedCloseDate: '2027-02-30' }],
        ['too many products', { accountName: 'PT X', productInterest: Array(51).fill('p') }],
        ['unknown field', { accountName: 'PT X', partnerId: beta.id }],
      ];
      for (const [name, body] of bad) {
        const r = await submit(sari, body);
        expect({ name, status: r.status }).toEqual({ name, status: 400 });
      }
      expectProblem(
        await server.http.get(`/api/v1/deal-registrations/${randomUUID()}`).set(manager.auth),
        404,
      );
      expectProblem(
        await server.http.get('/api/v1/deal-registrations/nope').set(manager.auth),
        400,
      );
    });

    it('the expiry job ends lapsed approvals whose opportunity did not move on', async () => {
      const lapsing = await submit(sari, { accountName: `PT Diam ${randomUUID()}` });
      const moving = await submit(sari, { accountName: `PT Gerak ${randomUUID()}` });
      const a = await server.http
        .post(`/api/v1/deal-registrations/${lapsing.body.id as string}/approve`)
        .set(manager.auth)
        .send({});
      const b = await server.http
        .post(`/api/v1/deal-registrations/${moving.body.id as string}/approve`)
        .set(manager.auth)
        .send({});
      expect([a.status, b.status]).toEqual([200, 200]);
      const moved = await server.http
        .patch(`/api/v1/opportunities/${b.body.opportunityId as string}`)
        .set(admin)
        .send({ stage: 'needs_analysis' });
      expect(moved.status).toBe(200);
      await server.db.query(
        `UPDATE deal_registrations SET expires_at = now() - interval '1 minute' WHERE id = ANY($1)`,
        [[a.body.id, b.body.id]],
      );
      await server.db.query(
        `UPDATE job_schedules SET next_run_at = now() WHERE name = 'partners.registration-expiry'`,
      );
      const expired = await eventually(
        () => server.http.get(`/api/v1/partner/deals/${a.body.id as string}`).set(sari.auth),
        (r) => r.body.status === 'expired',
        20_000,
      );
      expect(expired.body.status).toBe('expired');
      const still = await server.http
        .get(`/api/v1/partner/deals/${b.body.id as string}`)
        .set(sari.auth);
      expect(still.body.status).toBe('approved');
      expect((await eventsOf(server, a.body.id as string)).map((e) => e.type)).toContain(
        'deal_registration.expired',
      );
      expectProblem(
        await server.http
          .get(`/api/v1/partner/opportunities/${a.body.opportunityId as string}`)
          .set(sari.auth),
        404,
      );
    });
  });

  describe('shared records', () => {
    it('partners see only shared leads, only the fields for them, and set a lead status', async () => {
      const lead = await sales.lead({ lastName: 'Wijaya', company: `PT ${randomUUID()}` });
      const hidden = await sales.lead({ lastName: 'Rahasia', company: `PT ${randomUUID()}` });
      expectProblem(await server.http.get(`/api/v1/partner/leads/${lead.id}`).set(sari.auth), 404);
      const shareBad = await server.http
        .post(`/api/v1/leads/${lead.id}/share`)
        .set(manager.auth)
        .send({ partnerId: 'nope' });
      expectProblem(shareBad, 400);
      const notTheirs = await server.http
        .post(`/api/v1/leads/${lead.id}/share`)
        .set(rep.auth)
        .send({ partnerId: alpha.id });
      expectProblem(notTheirs, 404);
      const shared = await server.http
        .post(`/api/v1/leads/${lead.id}/share`)
        .set(admin)
        .send({ partnerId: alpha.id });
      expect(shared.status).toBe(200);
      expect(shared.body).toMatchObject({ added: true, partnerId: alpha.id });

      const list = await server.http.get('/api/v1/partner/leads').set(sari.auth);
      expect(list.status).toBe(200);
      const ids = list.body.data.map((l: { id: string }) => l.id);
      expect(ids).toContain(lead.id);
      expect(ids).not.toContain(hidden.id);
      expect(list.body.data[0].score).toBeUndefined();
      expect(list.body.data[0].ownerId).toBeUndefined();
      expectProblem(
        await server.http.get('/api/v1/partner/leads?filter[score][gt]=1').set(sari.auth),
        400,
      );
      expectProblem(await server.http.get(`/api/v1/partner/leads/${lead.id}`).set(budi.auth), 404);
      expectProblem(
        await server.http.get(`/api/v1/partner/leads/${hidden.id}`).set(sari.auth),
        404,
      );

      const one = await server.http.get(`/api/v1/partner/leads/${lead.id}`).set(sari.auth);
      expect(one.status).toBe(200);
      const patched = await server.http
        .patch(`/api/v1/partner/leads/${lead.id}`)
        .set({ ...sari.auth, 'if-match': one.headers.etag })
        .send({ status: 'working' });
      expect(patched.status).toBe(200);
      expect(patched.body.status).toBe('working');
      const stale = await server.http
        .patch(`/api/v1/partner/leads/${lead.id}`)
        .set({ ...sari.auth, 'if-match': one.headers.etag })
        .send({ status: 'qualified' });
      expectProblem(stale, 412);
      for (const body of [{}, { status: 'converted' }, { status: 'working', score: 99 }]) {
        const r = await server.http
          .patch(`/api/v1/partner/leads/${lead.id}`)
          .set(sari.auth)
          .send(body);
        expectProblem(r, 400);
      }
      expectProblem(
        await server.http
          .patch(`/api/v1/partner/leads/${lead.id}`)
          .set(budi.auth)
          .send({ status: 'working' }),
        404,
      );
    });

    it('distributes leads by the rules, round-robin among matches, within capacity, and explains it', async () => {
      const gold1 = await partners.partner({ tier: 'gold', territories: ['ID'] });
      const gold2 = await partners.partner({ tier: 'gold', territories: ['ID'], leadCapacity: 1 });
      const javaLead = () =>
        sales.lead({
          lastName: `Lead ${randomUUID()}`,
          company: `PT ${randomUUID()}`,
          industry: 'retail',
          address: { country: 'ID' },
        });
      const placed = async (leadId: string) =>
        eventually(
          async () =>
            (
              await server.db.query<{ partner_id: string; rule: string }>(
                `SELECT partner_id, rule FROM partner_shares WHERE record_id = $1 AND via = 'rule'`,
                [leadId],
              )
            ).rows,
          (rows) => rows.length > 0,
          15_000,
        );
      const first = await javaLead();
      const second = await javaLead();
      const [p1] = await placed(first.id);
      const [p2] = await placed(second.id);
      expect(p1.rule).toBe('java_gold');
      expect(new Set([p1.partner_id, p2.partner_id])).toEqual(new Set([gold1.id, gold2.id]));

      // gold2 is at capacity now: the next lead goes to gold1.
      const third = await javaLead();
      const [p3] = await placed(third.id);
      expect(p3.partner_id).toBe(gold1.id);

      const elsewhere = await sales.lead({
        lastName: `Lead ${randomUUID()}`,
        company: `PT ${randomUUID()}`,
        address: { country: 'MY' },
      });
      const explained = await server.http
        .post(`/api/v1/leads/${elsewhere.id}/distribute`)
        .set(admin)
        .send({});
      expect(explained.status).toBe(200);
      expect(explained.body).toMatchObject({ leadId: elsewhere.id, partnerId: null, rule: null });
      expect(explained.body.explanation).toEqual([
        { rule: 'java_gold', matched: false, reason: expect.stringContaining('MY') },
        { rule: 'singapore', matched: false, reason: expect.stringContaining('MY') },
      ]);
      expectProblem(
        await server.http
          .post(`/api/v1/leads/${randomUUID()}/distribute`)
          .set(manager.auth)
          .send({}),
        404,
      );
    });
  });

  describe('performance', () => {
    it('counts registrations, won and lost deals, revenue per currency and win rate in SQL', async () => {
      const perf = await partners.partner();
      const dian = await partners.user(perf.id);
      const ids: string[] = [];
      for (const amount of ['100.00', '300.00', '50.00']) {
        const r = await submit(dian, {
          accountName: `PT Kinerja ${randomUUID()}`,
          estimatedAmount: { amount, currency: 'IDR' },
        });
        ids.push(r.body.id as string);
      }
      const rejectMe = await submit(dian, { accountName: `PT Tolak ${randomUUID()}` });
      await server.http
        .post(`/api/v1/deal-registrations/${rejectMe.body.id as string}/reject`)
        .set(admin)
        .send({ reason: 'No' });
      const opps: string[] = [];
      for (const id of ids) {
        const a = await server.http
          .post(`/api/v1/deal-registrations/${id}/approve`)
          .set(admin)
          .send({});
        opps.push(a.body.opportunityId as string);
      }
      for (const o of opps.slice(0, 2))
        expect(
          (await server.http.patch(`/api/v1/opportunities/${o}`).set(admin).send({ stage: 'won' }))
            .status,
        ).toBe(200);
      expect(
        (
          await server.http
            .patch(`/api/v1/opportunities/${opps[2]}`)
            .set(admin)
            .send({ stage: 'lost', lostReason: 'price' })
        ).status,
      ).toBe(200);

      const staff = await server.http.get(`/api/v1/partners/${perf.id}/performance`).set(rep.auth);
      expect(staff.status).toBe(200);
      expect(staff.body).toMatchObject({
        partnerId: perf.id,
        registrations: { submitted: 4, approved: 3, rejected: 1, expired: 0 },
        deals: { won: 2, lost: 1, open: 0 },
        winRate: '0.6667',
        revenueWon: [{ amount: '400.00', currency: 'IDR' }],
        averageDealSize: [{ amount: '200.00', currency: 'IDR' }],
      });
      const own = await server.http.get('/api/v1/partner/performance').set(dian.auth);
      expect(own.status).toBe(200);
      expect(own.body).toEqual(staff.body);

      const past = await server.http
        .get(`/api/v1/partners/${perf.id}/performance?from=2020-01-01&to=2020-12-31`)
        .set(admin);
      expect(past.body).toMatchObject({
        deals: { won: 0, lost: 0 },
        winRate: null,
        revenueWon: [],
      });
      for (const q of ['from=yesterday', 'to=2026-13-01', 'from=2027-01-02&to=2027-01-01'])
        expectProblem(
          await server.http.get(`/api/v1/partners/${perf.id}/performance?${q}`).set(admin),
          400,
        );
      expectProblem(
        await server.http.get(`/api/v1/partners/${randomUUID()}/performance`).set(admin),
        404,
      );
      expectProblem(
        await server.http.get(`/api/v1/partners/${perf.id}/performance`).set(dian.auth),
        401,
      );
    });
  });
});
