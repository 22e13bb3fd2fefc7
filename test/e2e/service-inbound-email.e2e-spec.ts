import { factories } from '../support/factories.js';
import { rawMail as mail } from '../support/raw-mail.js';
import { eventsOf } from '../support/sales-factories.js';
import { caseFactories, writeServiceConfig, type Auth } from '../support/service-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

describe('service desk: e-mail to case', () => {
  let server: TestServer;
  let admin: Auth;
  let relay: string;
  let customers: ReturnType<typeof factories>;
  let cases: ReturnType<typeof caseFactories>;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_CONFIG: writeServiceConfig('inbound'), CRM_PRINCIPAL_CACHE_TTL_MS: '0' },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    cases = caseFactories(server, admin);
    const key = await server.http
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'Mail relay', scopes: ['inbound-email'] });
    expect(key.status).toBe(201);
    relay = key.body.key as string;
  });
  afterAll(async () => {
    await server.stop();
  });

  const post = (raw: Buffer | string, type = 'message/rfc822', key = relay) =>
    server.http
      .post('/api/v1/inbound/email')
      .set('x-api-key', key)
      .set('content-type', type)
      .send(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));

  it('opens a case from a new mail, with a new contact and the allowed attachments', async () => {
    const res = await post(
      mail(
        {
          From: 'Siti Rahayu <siti@pelanggan.co.id>',
          To: 'help@relasi.example',
          Subject: 'Printer tidak bisa mencetak',
          'Message-ID': '<first-1@pelanggan.co.id>',
        },
        'Sejak kemarin printer kami macet.',
        [
          { name: 'photo.txt', type: 'text/plain', content: Buffer.from('error code E-42') },
          {
            name: 'tool.pdf',
            type: 'application/pdf',
            content: Buffer.from('MZ\x90\x00', 'latin1'),
          },
        ],
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      created: true,
      commentId: null,
      caseNumber: expect.stringMatching(/^CS-\d{4}-\d{6}$/),
      skippedAttachments: [{ fileName: 'tool.pdf', reason: 'case_attachment_type_forbidden' }],
    });
    expect(res.body.attachmentIds).toHaveLength(1);
    const c = await cases.get(res.body.caseId as string);
    expect(c).toMatchObject({
      subject: 'Printer tidak bisa mencetak',
      description: 'Sejak kemarin printer kami macet.',
      channel: 'email',
      contactId: res.body.contactId,
      status: 'new',
    });
    const contact = await server.http.get(`/api/v1/contacts/${res.body.contactId}`).set(admin);
    expect(contact.body).toMatchObject({
      firstName: 'Siti',
      lastName: 'Rahayu',
      email: 'siti@pelanggan.co.id',
    });
    // The relay posts the same message again: the same answer, nothing new.
    const again = await post(
      mail(
        { From: 'siti@pelanggan.co.id', Subject: 'x', 'Message-ID': '<first-1@pelanggan.co.id>' },
        'x',
      ),
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
  });

  it('threads replies by In-Reply-To and by the case number, reopening a resolved case', async () => {
    const account = await customers.account();
    const known = await customers.contact({ accountId: account.id, email: 'budi@toko.id' });
    const opened = await post(
      mail(
        {
          From: 'budi@toko.id',
          Subject: 'Pesanan belum datang',
          'Message-ID': '<order-1@toko.id>',
        },
        'Pesanan 42 belum datang.',
      ),
    );
    expect(opened.status).toBe(201);
    expect(opened.body.contactId).toBe(known.id);
    const caseId = opened.body.caseId as string;
    expect((await cases.get(caseId)).accountId).toBe(account.id);
    await cases.patch(caseId, { status: 'pending_customer' }).expect(200);

    const reply = await post(
      mail(
        {
          From: 'Budi <BUDI@toko.id>',
          Subject: 'Re: Pesanan belum datang',
          'Message-ID': '<order-2@toko.id>',
          'In-Reply-To': '<order-1@toko.id>',
          References: '<order-1@toko.id>',
        },
        'Nomor resi: JNE123',
      ),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ caseId, created: false, contactId: known.id });
    const afterReply = await cases.get(caseId);
    expect(afterReply.status).toBe('open');
    expect(afterReply.firstRespondedAt).toBeNull();
    const comments = await server.http.get(`/api/v1/cases/${caseId}/comments`).set(admin);
    expect(comments.body.data).toEqual([
      expect.objectContaining({
        body: 'Nomor resi: JNE123',
        visibility: 'public',
        source: 'email',
        authorContactId: known.id,
        authorUserId: null,
      }),
    ]);

    await cases.patch(caseId, { status: 'resolved' }).expect(200);
    const byNumber = await post(
      mail(
        {
          From: 'budi@toko.id',
          Subject: `Masih belum [${afterReply.number}]`,
          'Message-ID': '<order-3@toko.id>',
        },
        'Masih belum sampai.',
      ),
    );
    expect(byNumber.status).toBe(201);
    expect(byNumber.body.caseId).toBe(caseId);
    expect((await cases.get(caseId)).status).toBe('reopened');
    const types = (await eventsOf(server, caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'case.comment_added')).toHaveLength(2);

    // A reply to a closed case opens a new one.
    await cases.patch(caseId, { status: 'resolved' }).expect(200);
    await cases.patch(caseId, { status: 'closed' }).expect(200);
    const late = await post(
      mail(
        { From: 'budi@toko.id', Subject: 'Re: again', 'In-Reply-To': '<order-3@toko.id>' },
        'Satu lagi.',
      ),
    );
    expect(late.status).toBe(201);
    expect(late.body.created).toBe(true);
    expect(late.body.caseId).not.toBe(caseId);
  });

  it('refuses malformed mail, other media types and keys for other purposes', async () => {
    const noSender = await post('Subject: hello\r\n\r\nno from line\r\n');
    expect(noSender.status).toBe(422);
    expect(noSender.body.code).toBe('inbound_email_malformed');
    const noHeaders = await post('just some words without any header\r\n');
    expect(noHeaders.status).toBe(422);
    const empty = await server.http
      .post('/api/v1/inbound/email')
      .set('x-api-key', relay)
      .set('content-type', 'message/rfc822');
    expect(empty.status).toBe(400);
    const json = await server.http
      .post('/api/v1/inbound/email')
      .set('x-api-key', relay)
      .send({ from: 'a@b.c' });
    expect(json.status).toBe(400);
    const text = await post('From: a@b.c\r\n\r\nhi', 'text/plain');
    expect(text.status).toBe(415);
    // The relay's key reaches nothing else; the inbound route refuses other media types elsewhere.
    expect((await server.http.get('/api/v1/cases').set('x-api-key', relay)).status).toBe(403);
    expect(
      (
        await server.http
          .post('/api/v1/cases')
          .set(admin)
          .set('content-type', 'message/rfc822')
          .send(Buffer.from('From: a@b.c\r\n\r\nhi'))
      ).status,
    ).toBe(415);
    expect(
      (
        await server.http
          .post('/api/v1/inbound/email')
          .set('content-type', 'message/rfc822')
          .send('x')
      ).status,
    ).toBe(401);
  });
});
