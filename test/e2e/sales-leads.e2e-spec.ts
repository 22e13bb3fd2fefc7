import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import {
  eventsOf,
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

const CONFIG = `
version: 1
customization:
  leads:
    fields:
      - { code: nationalId, type: text, label: { en: National id }, regex: '^[0-9]{16}$' }
      - code: segment
        type: picklist
        label: { en: Segment }
        options: [{ value: smb, label: { en: SMB } }, { value: enterprise, label: { en: Enterprise } }]
      - { code: campaignCode, type: text, label: { en: Campaign code } }
      - { code: notCarried, type: text, label: { en: Not carried } }
  contacts:
    fields:
      - { code: nationalId, type: text, label: { en: National id }, unique: true }
  accounts:
    fields:
      - code: segment
        type: picklist
        label: { en: Segment }
        options: [{ value: smb, label: { en: SMB } }, { value: enterprise, label: { en: Enterprise } }]
  opportunities:
    fields:
      - { code: origin, type: text, label: { en: Origin } }
leadConversion:
  customFieldMap:
    accounts: { segment: segment }
    contacts: { nationalId: nationalId }
    opportunities: { campaignCode: origin }
`;

const IDR = (amount: string) => ({ amount, currency: 'IDR' });

describe('leads', () => {
  let server: TestServer;
  let admin: { authorization: string };
  let make: ReturnType<typeof salesFactories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeSalesConfig('leads', CONFIG), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    make = salesFactories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  const email = () => `lead-${randomUUID().slice(0, 8)}@example.co.id`;
  const convert = (id: string, body: Record<string, unknown> = {}, auth = admin) =>
    server.http.post(`/api/v1/leads/${id}/convert`).set(auth).send(body);
  const count = async (table: string, where: string, params: unknown[]) =>
    (
      await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
        params,
      )
    ).rows[0].n;

  describe('create', () => {
    it('stores a lead with its defaults and emits lead.created', async () => {
      const res = await server.http
        .post('/api/v1/leads')
        .set(admin)
        .send({
          firstName: 'Budi',
          lastName: 'Santoso',
          email: email(),
          company: 'PT Maju',
          rating: 'hot',
          customFields: { segment: 'smb' },
        });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/leads/${res.body.id}`);
      expect(res.body).toMatchObject({
        firstName: 'Budi',
        lastName: 'Santoso',
        company: 'PT Maju',
        status: 'new',
        source: 'manual',
        rating: 'hot',
        score: 0,
        convertedAccountId: null,
        convertedContactId: null,
        convertedOpportunityId: null,
        convertedAt: null,
        customFields: { segment: 'smb' },
        version: 1,
      });
      expect((await eventsOf(server, res.body.id as string)).map((e) => e.type)).toEqual([
        'lead.created',
      ]);
    });

    it('takes a company without a person, or a person without a company', async () => {
      expect((await make.lead({ lastName: null, company: 'PT Only' })).company).toBe('PT Only');
      expect((await make.lead({ company: undefined })).company).toBeNull();
    });

    it.each([
      [
        'neither last name nor company',
        { lastName: null, company: null },
        'lastName',
        'requiredWhen',
      ],
      ['converted status', { status: 'converted' }, 'status', 'isIn'],
      ['unknown status', { status: 'cold' }, 'status', 'isIn'],
      ['unknown rating', { rating: 'lukewarm' }, 'rating', 'isIn'],
      ['unknown source', { source: 'tv' }, 'source', 'isIn'],
      ['read-only score', { score: 90 }, 'score', 'unknownField'],
      [
        'server-owned conversion link',
        { convertedAccountId: randomUUID() },
        'convertedAccountId',
        'unknownField',
      ],
      ['bad email', { email: 'not-an-email' }, 'email', 'isEmail'],
      ['website without scheme', { website: 'example.com' }, 'website', 'isUrl'],
      ['bad phone', { phone: 'call me' }, 'phone', 'matches'],
      ['unknown field', { shoeSize: 42 }, 'shoeSize', 'unknownField'],
      ['bad custom value', { customFields: { segment: 'huge' } }, 'customFields.segment', 'isIn'],
      ['unknown custom field', { customFields: { nope: 1 } }, 'customFields.nope', 'unknownField'],
      ['too long company', { company: 'x'.repeat(201) }, 'company', 'maxLength'],
    ])('refuses %s with 400', async (_name, extra, field, code) => {
      const res = await server.http
        .post('/api/v1/leads')
        .set(admin)
        .send({ lastName: 'Bad', company: 'Bad Co', ...extra });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
    });

    it('finds a duplicate lead or contact by normalized email (409 naming which)', async () => {
      const address = email();
      const first = await make.lead({ email: address });
      const again = await server.http
        .post('/api/v1/leads')
        .set(admin)
        .send({ lastName: 'Again', email: address.toUpperCase() });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'duplicate_record',
        existingId: first.id,
        entity: 'leads',
        match: 'email',
      });

      const other = email();
      const contact = await make.contact({ email: `primary-${other}`, otherEmails: [other] });
      const vsContact = await server.http
        .post('/api/v1/leads')
        .set(admin)
        .send({ lastName: 'Known', email: other.toUpperCase() });
      expect(vsContact.status).toBe(409);
      expect(vsContact.body).toMatchObject({ existingId: contact.id, entity: 'contacts' });
      expect(vsContact.body.detail).toContain('contact');

      const allowed = await server.http
        .post('/api/v1/leads?allowDuplicate=true')
        .set(admin)
        .send({ lastName: 'Known', email: other });
      expect(allowed.status).toBe(201);
    });
  });

  describe('update', () => {
    it('a stale If-Match answers 412; reassigning emits lead.assigned', async () => {
      const lead = await make.lead();
      const stale = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .set('if-match', '"9"')
        .send({ status: 'working' });
      expect(stale.status).toBe(412);
      const rep = await people.user('sales_rep');
      const moved = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .set('if-match', '"1"')
        .send({ status: 'working', ownerId: rep.id });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ status: 'working', ownerId: rep.id, version: 2 });
      const events = await eventsOf(server, lead.id);
      expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.updated', 'lead.assigned']);
      expect(events[2].data).toMatchObject({
        ownerId: rep.id,
        previousOwnerId: lead.ownerId,
      });
      const status = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .send({ status: 'converted' });
      expect(status.status).toBe(400);
    });

    it('cannot clear both last name and company', async () => {
      const lead = await make.lead({ company: null });
      const res = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .send({ lastName: null });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'lastName', code: 'requiredWhen' });
    });
  });

  describe('conversion', () => {
    it('creates account, contact and opportunity in one go, carrying fields and mapped custom fields', async () => {
      const address = email();
      const lead = await make.lead({
        salutation: 'Ibu',
        firstName: 'Sari',
        lastName: 'Wijaya',
        email: address,
        phone: '+62 21 555 0199',
        company: 'PT Konversi',
        title: 'CFO',
        industry: 'retail',
        website: 'https://konversi.co.id',
        address: { street: 'Jl. Sudirman 1', city: 'Jakarta', country: 'ID' },
        customFields: {
          nationalId: '3171234567890123',
          segment: 'enterprise',
          campaignCode: 'EXPO-26',
          notCarried: 'stays',
        },
      });
      const res = await convert(lead.id, {
        createOpportunity: { amount: IDR('250000000'), stage: 'proposal' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const { account, contact, opportunity } = res.body;
      expect(res.body.created).toEqual({ account: true, contact: true, opportunity: true });
      expect(account).toMatchObject({
        name: 'PT Konversi',
        industry: 'retail',
        website: 'https://konversi.co.id',
        phones: [{ number: '+62 21 555 0199', label: 'work' }],
        addresses: [{ street: 'Jl. Sudirman 1', city: 'Jakarta', country: 'ID', label: 'office' }],
        ownerId: lead.ownerId,
        customFields: { segment: 'enterprise' },
      });
      expect(contact).toMatchObject({
        salutation: 'Ibu',
        firstName: 'Sari',
        lastName: 'Wijaya',
        email: address,
        title: 'CFO',
        accountId: account.id,
        customFields: { nationalId: '3171234567890123' },
      });
      expect(opportunity).toMatchObject({
        name: 'PT Konversi',
        accountId: account.id,
        primaryContactId: contact.id,
        amount: IDR('250000000'),
        pipeline: 'sales',
        stage: 'proposal',
        probability: 50,
        customFields: { origin: 'EXPO-26' },
      });
      expect(res.body.lead).toMatchObject({
        id: lead.id,
        status: 'converted',
        convertedAccountId: account.id,
        convertedContactId: contact.id,
        convertedOpportunityId: opportunity.id,
        version: 2,
      });
      expect(res.body.lead.convertedAt).toEqual(expect.any(String));

      const read = await server.http
        .get(`/api/v1/leads/${lead.id}?include=convertedAccount`)
        .set(admin);
      expect(read.body.convertedAccount).toMatchObject({ id: account.id, name: 'PT Konversi' });
      const events = await eventsOf(server, lead.id);
      expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.updated', 'lead.converted']);
      expect(events[2].data).toMatchObject({
        accountId: account.id,
        contactId: contact.id,
        opportunityId: opportunity.id,
        created: { account: true, contact: true, opportunity: true },
      });
      expect((await eventsOf(server, opportunity.id as string)).map((e) => e.type)).toEqual([
        'opportunity.created',
      ]);
      const stages = await server.http
        .get(`/api/v1/opportunities/${opportunity.id}/stage-history`)
        .set(admin);
      expect(stages.body.data).toHaveLength(1);

      // Converted: read-only, and not convertible again.
      const twice = await convert(lead.id);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({
        code: 'lead_converted',
        convertedAccountId: account.id,
        convertedContactId: contact.id,
      });
      const patch = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(admin)
        .send({ rating: 'cold' });
      expect(patch.status).toBe(409);
      expect(patch.body.code).toBe('lead_converted');
      const bulk = await server.http
        .post('/api/v1/leads/bulk')
        .set(admin)
        .send({ operation: 'update', items: [{ id: lead.id, rating: 'cold' }] });
      expect(bulk.body.results[0]).toMatchObject({ status: 409 });
    });

    it('links an existing account and contact instead of creating them', async () => {
      const account = await make.account({ name: 'Existing Co' });
      const contact = await make.contact({ accountId: account.id });
      const lead = await make.lead();
      const res = await convert(lead.id, { accountId: account.id, contactId: contact.id });
      expect(res.status).toBe(200);
      expect(res.body.created).toEqual({ account: false, contact: false, opportunity: false });
      expect(res.body.account.id).toBe(account.id);
      expect(res.body.contact.id).toBe(contact.id);
      expect(res.body.opportunity).toBeNull();
      expect(res.body.lead).toMatchObject({
        convertedAccountId: account.id,
        convertedContactId: contact.id,
        convertedOpportunityId: null,
      });
    });

    it('converts a company-only lead into an account alone', async () => {
      const lead = await make.lead({ lastName: null, company: 'PT Tanpa Orang' });
      const res = await convert(lead.id);
      expect(res.status).toBe(200);
      expect(res.body.account.name).toBe('PT Tanpa Orang');
      expect(res.body.contact).toBeNull();
    });

    it('rolls everything back when one step fails', async () => {
      const company = `PT Atomic ${randomUUID().slice(0, 6)}`;
      const lead = await make.lead({ company, email: email() });
      const badStage = await convert(lead.id, { createOpportunity: { stage: 'nope' } });
      expect(badStage.status).toBe(400);
      expect(badStage.body.errors[0]).toMatchObject({
        field: 'createOpportunity.stage',
        code: 'isIn',
      });
      const missingAmount = await convert(lead.id, { createOpportunity: { stage: 'won' } });
      expect(missingAmount.status).toBe(400);
      expect(missingAmount.body.errors[0]).toMatchObject({
        field: 'createOpportunity.amount',
        code: 'requiredForStage',
      });

      const known = email();
      const contact = await make.contact({ email: known });
      const dup = await make.lead({ company, email: known }, true);
      const res = await convert(dup.id);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'duplicate_record', existingId: contact.id });

      expect(await count('accounts', 'name = $1', [company])).toBe(0);
      expect(await count('leads', `id = ANY($1) AND status = 'new'`, [[lead.id, dup.id]])).toBe(2);
      const linked = await convert(dup.id, { contactId: contact.id });
      expect(linked.status).toBe(200);
      expect(await count('accounts', 'name = $1', [company])).toBe(1);
    });

    it.each([
      [
        'accountId with createAccount',
        { accountId: randomUUID(), createAccount: true },
        'createAccount',
        'invalid',
      ],
      [
        'contactId with createContact',
        { contactId: randomUUID(), createContact: true },
        'createContact',
        'invalid',
      ],
      [
        'an opportunity without an account',
        { createAccount: false, createOpportunity: {} },
        'createOpportunity',
        'invalid',
      ],
      ['an unknown account', { accountId: randomUUID() }, 'accountId', 'notFound'],
      ['an unknown field', { keepLead: true }, 'keepLead', 'unknownField'],
      [
        'a bad probability',
        { createOpportunity: { probability: 200 } },
        'createOpportunity.probability',
        'max',
      ],
      [
        'a bad close date',
        { createOpportunity: { expectedCloseDate: '2026/12/31' } },
        'createOpportunity.expectedCloseDate',
        'isDate',
      ],
    ])('refuses %s with 400', async (_name, body, field, code) => {
      const lead = await make.lead();
      const res = await convert(lead.id, body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field, code });
      expect((await server.http.get(`/api/v1/leads/${lead.id}`).set(admin)).body.status).toBe(
        'new',
      );
    });

    it('a stale If-Match answers 412; an unknown lead 404', async () => {
      const lead = await make.lead();
      const stale = await server.http
        .post(`/api/v1/leads/${lead.id}/convert`)
        .set(admin)
        .set('if-match', '"3"')
        .send({});
      expect(stale.status).toBe(412);
      expect((await convert(randomUUID())).status).toBe(404);
      expect(
        (await server.http.post('/api/v1/leads/nope/convert').set(admin).send({})).status,
      ).toBe(400);
    });
  });

  describe('access', () => {
    type Actor = Awaited<ReturnType<typeof people.userWithToken>>;
    let repA: Actor;
    let repA2: Actor;
    let repB: Actor;
    let marketing: Actor;
    let agent: Actor;

    beforeAll(async () => {
      const teamA = await people.team();
      const teamB = await people.team();
      repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repA2 = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      marketing = await people.userWithToken('marketing');
      agent = await people.userWithToken('service_agent');
    });

    const leadOf = async (actor: Actor) => {
      const res = await server.http
        .post('/api/v1/leads')
        .set(actor.auth)
        .send({ lastName: `Scoped ${randomUUID().slice(0, 6)}`, company: 'Scope Co' });
      expect(res.status).toBe(201);
      return res.body as SalesRecord;
    };

    it("another team's lead answers 404; a teammate's cannot be converted", async () => {
      const lead = await leadOf(repA);
      for (const req of [
        server.http.get(`/api/v1/leads/${lead.id}`),
        server.http.patch(`/api/v1/leads/${lead.id}`).send({ rating: 'hot' }),
        server.http.post(`/api/v1/leads/${lead.id}/convert`).send({}),
      ]) {
        expect((await req.set(repB.auth)).status).toBe(404);
      }
      const teammate = await convert(lead.id, {}, repA2.auth);
      expect(teammate.status).toBe(403);
      const own = await convert(lead.id, {}, repA.auth);
      expect(own.status).toBe(200);
      expect(own.body.account.ownerId).toBe(repA.user.id);
      expect(own.body.contact.ownerId).toBe(repA.user.id);
    });

    it('marketing creates and reads leads but does not change them; service agents only read', async () => {
      const lead = await leadOf(marketing);
      expect((await server.http.get(`/api/v1/leads/${lead.id}`).set(marketing.auth)).status).toBe(
        200,
      );
      const patch = await server.http
        .patch(`/api/v1/leads/${lead.id}`)
        .set(marketing.auth)
        .send({ rating: 'hot' });
      expect(patch.status).toBe(403);
      expect((await convert(lead.id, {}, marketing.auth)).status).toBe(403);
      expect((await server.http.get(`/api/v1/leads/${lead.id}`).set(agent.auth)).status).toBe(200);
      const create = await server.http
        .post('/api/v1/leads')
        .set(agent.auth)
        .send({ lastName: 'No' });
      expect(create.status).toBe(403);
    });
  });

  describe('web capture with a lead-capture API key', () => {
    let key: string;
    let keyOwnerId: string;

    beforeAll(async () => {
      const res = await server.http
        .post('/api/v1/api-keys')
        .set(admin)
        .send({ name: 'Website form', scopes: ['lead-capture'] });
      expect(res.status).toBe(201);
      expect(res.body.scopes).toEqual(['lead-capture']);
      key = res.body.key as string;
      keyOwnerId = (await server.http.get('/api/v1/auth/me').set(admin)).body.userId as string;
    });

    it('captures a lead owned by the key owner, source web', async () => {
      const res = await server.http
        .post('/api/v1/leads/capture')
        .set('x-api-key', key)
        .send({ firstName: 'Web', lastName: 'Visitor', email: email(), company: 'Web Co' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id']);
      const lead = await server.http.get(`/api/v1/leads/${res.body.id}`).set(admin);
      expect(lead.body).toMatchObject({ source: 'web', status: 'new', ownerId: keyOwnerId });
    });

    it('answers duplicates with 409 and bad input with 400', async () => {
      const address = email();
      await make.lead({ email: address });
      const dup = await server.http
        .post('/api/v1/leads/capture')
        .set('authorization', `Bearer ${key}`)
        .send({ lastName: 'Again', email: address });
      expect(dup.status).toBe(409);
      expect(dup.body.entity).toBe('leads');
      const owner = await server.http
        .post('/api/v1/leads/capture')
        .set('x-api-key', key)
        .send({ lastName: 'X', ownerId: randomUUID() });
      expect(owner.status).toBe(400);
      expect(owner.body.errors[0]).toMatchObject({ field: 'ownerId', code: 'unknownField' });
      const empty = await server.http.post('/api/v1/leads/capture').set('x-api-key', key).send({});
      expect(empty.status).toBe(400);
    });

    it('the scoped key may call nothing else (403)', async () => {
      for (const req of [
        server.http.get('/api/v1/leads'),
        server.http.post('/api/v1/leads').send({ lastName: 'Direct' }),
        server.http.get('/api/v1/auth/me'),
        server.http.get('/api/v1/pipelines'),
        server.http.post('/api/v1/api-keys').send({ name: 'escalate' }),
      ]) {
        const res = await req.set('x-api-key', key);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('api_key_scope_forbidden');
      }
    });

    it('unscoped keys and sessions keep their full access, capture included', async () => {
      const full = await server.http.post('/api/v1/api-keys').set(admin).send({ name: 'ERP' });
      expect(full.body).not.toHaveProperty('scopes');
      const list = await server.http.get('/api/v1/leads').set('x-api-key', full.body.key);
      expect(list.status).toBe(200);
      const capture = await server.http
        .post('/api/v1/leads/capture')
        .set('x-api-key', full.body.key)
        .send({ lastName: 'Via ERP' });
      expect(capture.status).toBe(201);
      const keys = await server.http.get('/api/v1/api-keys').set(admin);
      expect(keys.body.data.map((k: { scopes?: unknown }) => k.scopes ?? 'full')).toEqual(
        expect.arrayContaining(['full', ['lead-capture']]),
      );
    });

    it('refuses unknown scopes, and a key whose owner may not create leads', async () => {
      const bad = await server.http
        .post('/api/v1/api-keys')
        .set(admin)
        .send({ name: 'Bad', scopes: ['everything'] });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'scopes', code: 'isIn' });
      const agent = await people.userWithToken('service_agent');
      const agentKey = await server.http
        .post('/api/v1/api-keys')
        .set(agent.auth)
        .send({ name: 'Agent form', scopes: ['lead-capture'] });
      expect(agentKey.status).toBe(201);
      const res = await server.http
        .post('/api/v1/leads/capture')
        .set('x-api-key', agentKey.body.key)
        .send({ lastName: 'Nope' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    });
  });

  it('a custom field map that does not fit stops the start', async () => {
    const file = writeSalesConfig(
      'bad-map',
      `version: 1
customization:
  leads:
    fields: [{ code: size, type: number, label: { en: Size } }]
  accounts:
    fields: [{ code: size, type: text, label: { en: Size } }]
leadConversion:
  customFieldMap:
    accounts: { size: size, ghost: size }
    contacts: { size: missing }
`,
    );
    const { code, output } = await runUntilExit({
      env: { CRM_CONFIG: file },
      databaseUrl: await freshDatabase(),
    });
    expect(code).toBe(2);
    expect(output).toContain('a number cannot fill a text field');
    expect(output).toContain('"ghost" is not a custom field of leads');
    expect(output).toContain('"missing" is not a custom field of contacts');
  });
});
