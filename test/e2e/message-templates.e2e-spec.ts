import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { writeSalesConfig } from '../support/sales-factories.js';
import { inbox, mailsTo, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
customization:
  contacts:
    fields:
      - code: shoeSize
        type: number
        label: { en: Shoe size }
marketing:
  email: { messagesPerMinute: 6000, fromAddress: news@example.com, fromName: Relasi News }
  publicBaseUrl: https://crm.example.com
`;

const MJML = (text: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

type Auth = { authorization: string };

describe('message templates', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('mkt-templates', CONFIG),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const create = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/message-templates').set(auth).send(body);
  const email = (extra: Record<string, unknown> = {}) => ({
    key: `invite-${randomUUID().slice(0, 8)}`,
    name: 'Webinar invitation',
    channel: 'email',
    language: 'en',
    subject: 'Join {{ campaign.name | default: "our webinar" }}, {{ contact.firstName }}',
    body: MJML(
      'Hello {{ contact.firstName | default: "there" }} ({{ contact.customFields.shoeSize }}) of {{ account.name }}, ' +
        'from {{ owner.email }}. <a href="{{ links.preferences }}">Preferences</a>',
    ),
    ...extra,
  });
  const preview = (id: string, body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post(`/api/v1/message-templates/${id}/preview`).set(auth).send(body);

  it('saves an MJML template, lists the merge fields and previews it for a contact', async () => {
    const res = await create(email());
    expect(res.status).toBe(201);
    expect(res.headers.location).toContain(`/api/v1/message-templates/${res.body.id}`);
    expect(res.body).toMatchObject({ format: 'mjml', onMissingField: 'blank', version: 1 });
    expect(res.body.mergeFields).toEqual([
      'account.name',
      'campaign.name',
      'contact.customFields.shoeSize',
      'contact.firstName',
      'links.preferences',
      'owner.email',
    ]);
    const account = await customers.account({ name: 'Toko Maju' });
    const contact = await customers.contact({
      firstName: 'Sari',
      accountId: account.id,
      customFields: { shoeSize: 39 },
    });
    const shown = await preview(res.body.id, { contactId: contact.id });
    expect(shown.status).toBe(200);
    expect(shown.body.subject).toBe('Join our webinar, Sari');
    expect(shown.body.html).toContain('Hello Sari (39) of Toko Maju, from admin@example.com');
    expect(shown.body.html).toContain('https://crm.example.com/public/preferences/');
    expect(shown.body.html).toMatch(/@media/);
    expect(shown.body.text).toContain('Hello Sari (39)');
    expect(shown.body.skippedFor).toBeNull();

    const sample = await preview(res.body.id, {
      sample: { contact: { firstName: '<b>Budi</b>' }, campaign: { name: 'June launch' } },
    });
    expect(sample.body.subject).toBe('Join June launch, <b>Budi</b>');
    expect(sample.body.html).toContain('Hello &lt;b&gt;Budi&lt;/b&gt;');
    const unknownRoot = await preview(res.body.id, { sample: { secrets: { a: 1 } } });
    expectProblem(unknownRoot, 400);
  });

  it('answers 422 template_invalid with line and column for a broken or unknown placeholder', async () => {
    const broken = await create(
      email({ body: MJML('Hello\n{{ contact.firstName | nosuchfilter }}') }),
    );
    expectProblem(broken, 422);
    expect(broken.body).toMatchObject({ code: 'template_invalid', part: 'body', line: 2 });
    const unclosed = await create(email({ subject: 'Hi {% if contact.firstName %}' }));
    expect(unclosed.status).toBe(422);
    expect(unclosed.body).toMatchObject({ part: 'subject', line: 1, column: 4 });
    const unknown = await create(email({ body: MJML('Hi {{ contact.favouriteColour }}') }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('unknown merge field contact.favouriteColour');
    const custom = await create(email({ body: MJML('{{ contact.customFields.nope }}') }));
    expect(custom.status).toBe(422);
    const include = await create(email({ body: MJML('{% include "secrets" %}') }));
    expect(include.status).toBe(422);
    expect(include.body.detail).toContain('include');
    const notMjml = await create(email({ body: 'Hello' }));
    expect(notMjml.status).toBe(422);
  });

  it('picks the variant in the contact’s language and applies the missing-field rule', async () => {
    const key = `welcome-${randomUUID().slice(0, 8)}`;
    const en = await create({
      key,
      name: 'Welcome',
      channel: 'sms',
      language: 'en',
      body: 'Hi {{ contact.firstName }}, welcome!',
      onMissingField: 'skip',
    });
    expect(en.status).toBe(201);
    expect(en.body).toMatchObject({ format: 'text', subject: null });
    const id = await create({
      key,
      name: 'Selamat datang',
      channel: 'sms',
      language: 'id',
      body: 'Halo {{ contact.firstName | default: "Kak" }}, selamat datang!',
    });
    expect(id.status).toBe(201);
    const twice = await create({ key, name: 'Again', channel: 'sms', language: 'id', body: 'x' });
    expect(twice.status).toBe(409);

    const indonesian = await customers.contact({ firstName: null, lastName: 'Wijaya' });
    const prefs = await server.http
      .patch(`/api/v1/contacts/${indonesian.id}/preferences`)
      .set(admin)
      .send({ language: 'id' });
    expect(prefs.status).toBe(200);
    const shown = await preview(en.body.id, { contactId: indonesian.id });
    expect(shown.body).toMatchObject({
      templateId: id.body.id,
      language: 'id',
      text: 'Halo Kak, selamat datang!',
      html: null,
      subject: null,
    });
    const english = await customers.contact({ firstName: null, lastName: 'Smith' });
    const skipped = await preview(en.body.id, { contactId: english.id });
    expect(skipped.body).toMatchObject({
      templateId: en.body.id,
      text: 'Hi , welcome!',
      skippedFor: 'contact.firstName',
    });
  });

  it('sends a test mail through the SMTP server, marked as a test', async () => {
    const t = await create(email());
    const to = `marketer-${randomUUID()}@example.com`;
    const sent = await server.http
      .post(`/api/v1/message-templates/${t.body.id}/test-send`)
      .set(admin)
      .send({ to, sample: { contact: { firstName: 'Tester' } } });
    expect(sent.status).toBe(200);
    expect(sent.body.subject).toBe('[TEST] Join our webinar, Tester');
    const [mail] = mailsTo(box, to);
    expect(mail.subject).toBe('[TEST] Join our webinar, Tester');
    expect(mail.headers.get('x-relasi-test')).toBe('true');
    expect(mail.html).toContain('Hello Tester');
    const holdBacks = await server.db.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE to_address = $1`,
      [to],
    );
    expect(holdBacks.rows[0].n).toBe(0);

    const sms = await create({
      key: 'sms-x',
      name: 'SMS',
      channel: 'sms',
      language: 'en',
      body: 'Hi',
    });
    const notEmail = await server.http
      .post(`/api/v1/message-templates/${sms.body.id}/test-send`)
      .set(admin)
      .send({ to });
    expect(notEmail.status).toBe(409);
    const badTo = await server.http
      .post(`/api/v1/message-templates/${t.body.id}/test-send`)
      .set(admin)
      .send({ to: 'not-an-address' });
    expectProblem(badTo, 400);
  });

  it('rejects bad input: missing, wrong type, too long, unknown field, stale ETag, other team', async () => {
    const missing = await create({ name: 'No key', channel: 'email', language: 'en' });
    expectProblem(missing, 400);
    const wrongType = await create(email({ channel: 42 }));
    expectProblem(wrongType, 400);
    const tooLong = await create(email({ name: 'x'.repeat(201) }));
    expectProblem(tooLong, 400);
    const unknownField = await create(email({ script: 'alert(1)' }));
    expectProblem(unknownField, 400);
    const noSubject = await create(email({ subject: null }));
    expectProblem(noSubject, 400);
    const smsSubject = await create({
      key: 'sms-s',
      name: 'SMS',
      channel: 'sms',
      language: 'en',
      body: 'Hi',
      subject: 'No',
    });
    expectProblem(smsSubject, 400);
    const badLanguage = await create(email({ language: 'fr' }));
    expectProblem(badLanguage, 400);

    const t = (await create(email())).body as { id: string; version: number };
    const stale = await server.http
      .patch(`/api/v1/message-templates/${t.id}`)
      .set({ ...admin, 'if-match': '"999"' })
      .send({ name: 'Renamed' });
    expect(stale.status).toBe(412);
    const fresh = await server.http
      .patch(`/api/v1/message-templates/${t.id}`)
      .set({ ...admin, 'if-match': `"${t.version}"` })
      .send({ body: MJML('Now {{ contact.lastName }}') });
    expect(fresh.status).toBe(200);
    expect(fresh.body.mergeFields).toEqual([
      'campaign.name',
      'contact.firstName',
      'contact.lastName',
    ]);
    const brokenPatch = await server.http
      .patch(`/api/v1/message-templates/${t.id}`)
      .set(admin)
      .send({ subject: '{{ contact.firstName ' });
    expect(brokenPatch.status).toBe(422);
    const history = await server.http.get(`/api/v1/message-templates/${t.id}/history`).set(admin);
    expect(history.status).toBe(200);
    expect(history.body.data.length).toBeGreaterThanOrEqual(2);

    const role = await people.role({
      permissions: {
        admin: false,
        entities: {
          'message-templates': {
            create: 'own',
            read: 'own',
            update: 'own',
            delete: 'own',
            reassign: false,
          },
          contacts: { create: 'own', read: 'own', update: 'own', delete: 'own', reassign: false },
        },
      },
    });
    const outsider = await people.userWithToken(role.id);
    expect(
      (await server.http.get(`/api/v1/message-templates/${t.id}`).set(outsider.auth)).status,
    ).toBe(404);
    expect((await preview(t.id, {}, outsider.auth)).status).toBe(404);
    const own = await create(email(), outsider.auth);
    expect(own.status).toBe(201);
    const strangerContact = await customers.contact({});
    expect(
      (await preview(own.body.id, { contactId: strangerContact.id }, outsider.auth)).status,
    ).toBe(404);
    const analyst = await people.userWithToken('analyst');
    expectProblem(await create(email(), analyst.auth), 403);
    const test = await server.http
      .post(`/api/v1/message-templates/${t.id}/test-send`)
      .set(analyst.auth)
      .send({ to: 'a@example.com' });
    expectProblem(test, 403);
  });
});
