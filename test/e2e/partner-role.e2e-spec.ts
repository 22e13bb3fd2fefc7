import { randomUUID } from 'node:crypto';
import { partnerFactories, type PartnerLogin } from '../support/partner-factories.js';
import { expectProblem } from '../support/problems.js';
import { salesFactories, writeSalesConfig } from '../support/sales-factories.js';
import type { Auth } from '../support/service-factories.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

/** The partner role from config: fields partners do not see, and records they may not edit. */
describe('partners.access: what partner users see and edit of shared records', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let sales: ReturnType<typeof salesFactories>;
  let sari: PartnerLogin;
  let partnerId: string;

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig(
          'partner-role',
          `version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
partners:
  baseUrl: https://partners.example.com
  distribution: { onLeadCreate: false }
  access:
    leads: { hidden: [email, phone], editable: [] }
    opportunities: { hidden: [amount] }
`,
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    sales = salesFactories(server, token);
    const partners = partnerFactories(server, admin, box);
    partnerId = (await partners.partner()).id;
    sari = await partners.user(partnerId);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const share = async (type: 'leads' | 'opportunities', id: string) => {
    const res = await server.http
      .post(`/api/v1/${type}/${id}/share`)
      .set(admin)
      .send({ partnerId });
    expect(res.status).toBe(200);
  };

  it('leaves hidden lead fields out of reads and lists, refuses to filter or search by them, and keeps leads read-only', async () => {
    const lead = await sales.lead({
      lastName: 'Wijaya',
      company: `PT ${randomUUID().slice(0, 8)}`,
      email: `budi-${randomUUID().slice(0, 8)}@maju.example.com`,
      phone: '+62 21 555 0101',
    });
    await share('leads', lead.id);
    const one = await server.http.get(`/api/v1/partner/leads/${lead.id}`).set(sari.auth);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: lead.id, lastName: 'Wijaya', status: 'new' });
    expect(one.body).not.toHaveProperty('email');
    expect(one.body).not.toHaveProperty('phone');
    const list = await server.http.get('/api/v1/partner/leads').set(sari.auth);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('maju.example.com');
    expect(list.body.data[0]).not.toHaveProperty('email');

    expectProblem(
      await server.http.get('/api/v1/partner/leads?filter[email][contains]=maju').set(sari.auth),
      400,
    );
    expectProblem(await server.http.get('/api/v1/partner/leads?sort=phone').set(sari.auth), 400);
    expectProblem(await server.http.get('/api/v1/partner/leads?q=maju').set(sari.auth), 400);

    const locked = await server.http
      .patch(`/api/v1/partner/leads/${lead.id}`)
      .set(sari.auth)
      .send({ status: 'working' });
    expectProblem(locked, 403);
    expect(locked.body.code).toBe('partner_field_not_editable');
    // Still 404 first for a lead that is not shared: the rule says nothing of other records.
    const other = await sales.lead({ lastName: 'Lain', company: `PT ${randomUUID()}` });
    expectProblem(
      await server.http
        .patch(`/api/v1/partner/leads/${other.id}`)
        .set(sari.auth)
        .send({ status: 'working' }),
      404,
    );
    const still = await server.http.get(`/api/v1/leads/${lead.id}`).set(admin);
    expect(still.body).toMatchObject({ status: 'new', email: lead.email });
  });

  it('hides the amount of shared opportunities and still lets partners set the next step', async () => {
    const opp = await sales.opportunity({ amount: { amount: '150000000.00', currency: 'IDR' } });
    await share('opportunities', opp.id);
    const path = `/api/v1/partner/opportunities/${opp.id}`;
    const one = await server.http.get(path).set(sari.auth);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('amount');
    expect(one.body).toMatchObject({ id: opp.id, status: 'open' });
    const set = await server.http
      .patch(path)
      .set({ ...sari.auth, 'if-match': one.headers.etag })
      .send({ nextStep: 'Demo on Tuesday' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ nextStep: 'Demo on Tuesday' });
    expect(set.body).not.toHaveProperty('amount');
    expectProblem(
      await server.http.patch(path).set(sari.auth).send({ nextStep: 'x', amount: '1' }),
      400,
    );
  });
});
