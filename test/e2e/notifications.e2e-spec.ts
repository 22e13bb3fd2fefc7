import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import {
  threadFactories,
  writeMessagingConfig,
  type Auth,
} from '../support/messaging-factories.js';
import { expectProblem } from '../support/problems.js';
import { inbox as smtpInbox, waitFor, type Inbox } from '../support/smtp-inbox.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Notification = {
  id: string;
  kind: string;
  title: string;
  recordId: string | null;
  readAt: string | null;
  data: Record<string, unknown>;
};

describe('notifications: inbox, settings and digest', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;
  let threads: ReturnType<typeof threadFactories>;
  let customers: ReturnType<typeof factories>;

  beforeAll(async () => {
    box = await smtpInbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeMessagingConfig(
          'notifications',
          'notifications: { from: "Relasi <crm@relasi.test>", inboxUrl: "https://crm.relasi.test/inbox" }',
        ),
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(server, token);
    threads = threadFactories(server, admin);
    customers = factories(server, token);
  });
  afterAll(async () => {
    await server.stop();
    await box.close();
  });

  const inbox = async (auth: Auth, query = '') =>
    (await server.http.get(`/api/v1/notifications${query}`).set(auth)).body.data as Notification[];
  const arrive = (auth: Auth, kind: string) =>
    waitFor(async () => (await inbox(auth)).find((n) => n.kind === kind));

  it('notifies a mentioned user, counts it unread and marks it read', async () => {
    const rep = await people.userWithToken('sales_manager');
    const thread = await threads.thread({ subject: 'Price list' });
    const m = await threads.message(thread.id, { body: 'Please check', mentions: [rep.user.id] });
    const n = await arrive(rep.auth, 'mention');
    expect(n).toMatchObject({
      title: 'You were mentioned in "Price list"',
      recordId: thread.id,
      readAt: null,
      data: { threadId: thread.id, messageId: m.id },
    });
    expect(
      (await server.http.get('/api/v1/notifications/unread-count').set(rep.auth)).body,
    ).toEqual({ unread: 1 });
    const read = await server.http
      .post(`/api/v1/notifications/${n.id}/read`)
      .set(rep.auth)
      .send({});
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect(
      (await server.http.get('/api/v1/notifications/unread-count').set(rep.auth)).body,
    ).toEqual({ unread: 0 });
    expect(await inbox(rep.auth, '?unread=true')).toEqual([]);
    // Someone else's notification is not there for the caller.
    expectProblem(
      await server.http.post(`/api/v1/notifications/${n.id}/read`).set(admin).send({}),
      404,
    );
  });

  it('notifies a new owner of an assignment, and SLA warnings and pushed reports from their events', async () => {
    const rep = await people.userWithToken('sales_manager');
    const account = await customers.account();
    await server.http
      .patch(`/api/v1/accounts/${account.id}`)
      .set(admin)
      .send({ ownerId: rep.user.id });
    const assigned = await arrive(rep.auth, 'assignment');
    expect(assigned).toMatchObject({
      recordId: account.id,
      title: 'A account was assigned to you',
    });

    const emit = (
      type: string,
      entity: string,
      recordId: string | null,
      data: Record<string, unknown>,
    ) =>
      server.db.query(
        `WITH e AS (INSERT INTO domain_events (id, type, entity, record_id, data) VALUES ($1, $2, $3, $4, $5))
         SELECT pg_notify('relasi_outbox', '')`,
        [randomUUID(), type, entity, recordId, JSON.stringify(data)],
      );
    const caseId = randomUUID();
    await emit('case.sla_at_risk', 'cases', caseId, {
      number: 'CS-2026-000001',
      assigneeId: rep.user.id,
      ownerId: rep.user.id,
      target: 'first_response',
      dueAt: '2026-12-07T10:00:00Z',
    });
    const sla = await arrive(rep.auth, 'sla_warning');
    expect(sla).toMatchObject({
      recordId: caseId,
      title: 'Case CS-2026-000001: first response at risk',
    });
    const reportId = randomUUID();
    await emit('report.run.delivered', 'reports', reportId, {
      reportId,
      runId: randomUUID(),
      userIds: [rep.user.id],
      name: 'Pipeline',
    });
    const report = await arrive(rep.auth, 'report');
    expect(report).toMatchObject({ recordId: reportId, title: 'Report Pipeline is ready' });

    const all = await server.http.post('/api/v1/notifications/read-all').set(rep.auth).send();
    expect(all.body).toEqual({ marked: 3 });
    const kinds = await inbox(rep.auth, '?filter[kind][in]=report,sla_warning&sort=createdAt');
    expect(kinds.map((n) => n.kind)).toEqual(['sla_warning', 'report']);
  });

  it('follows per-kind settings: off notifies nothing, email also sends a mail', async () => {
    const rep = await people.userWithToken('sales_manager');
    const defaults = await server.http.get('/api/v1/notification-settings').set(rep.auth);
    expect(defaults.body).toEqual({
      kinds: {
        mention: 'in_app',
        assignment: 'in_app',
        approval: 'in_app',
        sla_warning: 'in_app',
        report: 'in_app',
      },
      digest: false,
      lastDigestAt: null,
    });
    const put = await server.http
      .put('/api/v1/notification-settings')
      .set(rep.auth)
      .send({ kinds: { mention: 'off', assignment: 'email' } });
    expect(put.status).toBe(200);
    expect(put.body.kinds).toMatchObject({ mention: 'off', assignment: 'email', report: 'in_app' });

    const thread = await threads.thread();
    await threads.message(thread.id, { body: 'ignored', mentions: [rep.user.id] });
    const account = await customers.account();
    await server.http
      .patch(`/api/v1/accounts/${account.id}`)
      .set(admin)
      .send({ ownerId: rep.user.id });
    await arrive(rep.auth, 'assignment');
    const mail = await waitFor(async () =>
      box.mails.find((m) => m.to && JSON.stringify(m.to).includes(rep.user.email)),
    );
    expect(mail.subject).toBe('A account was assigned to you');
    expect(mail.text).toContain('https://crm.relasi.test/inbox');
    expect((await inbox(rep.auth)).filter((n) => n.kind === 'mention')).toEqual([]);
  });

  it('sends one digest per user with what is unread since the last one', async () => {
    const rep = await people.userWithToken('sales_manager');
    await server.http.put('/api/v1/notification-settings').set(rep.auth).send({ digest: true });
    const thread = await threads.thread({ subject: 'Digest me' });
    await threads.message(thread.id, { body: 'one', mentions: [rep.user.id] });
    await threads.message(thread.id, { body: 'two', mentions: [rep.user.id] });
    await waitFor(async () => (await inbox(rep.auth)).length === 2);
    const before = box.mails.length;
    await server.db.query(
      `UPDATE job_schedules SET next_run_at = now() WHERE name = 'notifications.digest'`,
    );
    const digest = await waitFor(async () =>
      box.mails.slice(before).find((m) => JSON.stringify(m.to).includes(rep.user.email)),
    );
    expect(digest.subject).toBe('2 unread notifications');
    expect(digest.text).toContain('You were mentioned in "Digest me"');
    const settings = await server.http.get('/api/v1/notification-settings').set(rep.auth);
    expect(settings.body.lastDigestAt).not.toBeNull();
  });

  it('answers bad input with 400', async () => {
    const bad: [string, unknown][] = [
      ['unknown kind', { kinds: { birthday: 'email' } }],
      ['bad channel', { kinds: { mention: 'sms' } }],
      ['wrong type', { digest: 'yes' }],
      ['unknown field', { digest: true, colour: 'red' }],
      ['kinds not an object', { kinds: 'all' }],
    ];
    for (const [why, body] of bad) {
      const res = await server.http
        .put('/api/v1/notification-settings')
        .set(admin)
        .send(body as object);
      expect([why, res.status]).toEqual([why, 400]);
    }
    expectProblem(await server.http.get('/api/v1/notifications?unread=perhaps').set(admin), 400);
    expectProblem(
      await server.http.get('/api/v1/notifications?filter[kind][eq]=birthday').set(admin),
      400,
    );
    expectProblem(
      await server.http.post('/api/v1/notifications/nope/read').set(admin).send({}),
      400,
    );
    expectProblem(
      await server.http.post('/api/v1/notifications/read-all').set(admin).send({ all: true }),
      400,
    );
    expectProblem(await server.http.get('/api/v1/notifications'), 401);
  });
});
