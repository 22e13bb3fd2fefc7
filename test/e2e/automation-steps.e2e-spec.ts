import { randomBytes } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { expectProblem } from '../support/problems.js';
import { eventually, writeSalesConfig } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver.js';

const CONFIG = `
version: 1
marketing:
  email: { messagesPerMinute: 6000, fromAddress: news@example.com, fromName: Relasi News }
`;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

type Auth = { authorization: string };
type RunDetail = {
  status: string;
  steps: { stepId: string; outcome: string; detail: Record<string, unknown> }[];
};
type Attempt = { attempt: number; status: number | null; error: string | null };

describe('automation steps: create_task and webhook', () => {
  let server: TestServer;
  let admin: Auth;
  let customers: ReturnType<typeof factories>;
  let people: ReturnType<typeof accessFactories>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    server = await startServer({
      env: {
        CRM_CONFIG: writeSalesConfig('mkt-automation-steps', CONFIG),
        CRM_JOB_POLL_MS: '200',
        CRM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        CRM_WEBHOOK_RETRY_BASE_MS: '200',
        CRM_WEBHOOK_TIMEOUT_MS: '1000',
        CRM_AUTOMATION_WEBHOOK_SECRET: SECRET,
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    customers = factories(server, token);
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
    await receiver.close();
  });

  const create = (body: Record<string, unknown>) =>
    server.http.post('/api/v1/automations').set(admin).send(body);
  const active = async (steps: Record<string, unknown>[], triggerEvent = 'contact.created') => {
    const a = await create({ name: 'Steps', triggerEvent, entryPolicy: 'every_time', steps });
    expect(a.status).toBe(201);
    const on = await server.http.post(`/api/v1/automations/${a.body.id}/activate`).set(admin);
    expect(on.status).toBe(200);
    return a.body.id as string;
  };
  /** The finished run of `contactId` in `automationId`, with its steps. */
  const finishedRun = async (automationId: string, contactId: string, ms = 20_000) => {
    const list = await eventually(
      async () =>
        (await server.http.get(`/api/v1/automations/${automationId}/runs`).set(admin)).body as {
          data: { id: string; contactId: string; status: string }[];
        },
      (l) =>
        l.data.some((r) => r.contactId === contactId && !['running', 'waiting'].includes(r.status)),
      ms,
    );
    const run = list.data.find((r) => r.contactId === contactId)!;
    const detail = await server.http
      .get(`/api/v1/automations/${automationId}/runs/${run.id}`)
      .set(admin);
    return { id: run.id, ...(detail.body as RunDetail) };
  };
  const pause = (id: string) =>
    server.http.post(`/api/v1/automations/${id}/pause`).set(admin).send();

  it('creates a task for the contact’s owner, or the given user, with the merged subject', async () => {
    const rep = await people.user('sales_rep');
    const id = await active([
      {
        id: 'call',
        type: 'create_task',
        subject: 'Call {{ contact.firstName | default: "them" }} at {{ account.name }}',
        description: 'They just signed up',
        dueInDays: 3,
        priority: 'high',
      },
      {
        id: 'review',
        type: 'create_task',
        subject: 'Review the account',
        dueInDays: 0,
        userId: rep.id,
      },
    ]);
    const account = await customers.account({ name: 'PT Sinar' });
    const contact = await customers.contact({ firstName: 'Rina', accountId: account.id });
    const run = await finishedRun(id, contact.id);
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => s.outcome)).toEqual(['done', 'done']);
    const [call, review] = run.steps.map((s) => s.detail);
    expect(call).toMatchObject({ ownerId: contact.ownerId, accountId: account.id });
    const task = await server.http.get(`/api/v1/activities/${call.taskId as string}`).set(admin);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      type: 'task',
      status: 'planned',
      subject: 'Call Rina at PT Sinar',
      description: 'They just signed up',
      priority: 'high',
      relatedEntity: 'contacts',
      relatedId: contact.id,
      ownerId: contact.ownerId,
    });
    const dueIn = Date.parse(task.body.dueAt as string) - Date.now();
    expect(dueIn).toBeGreaterThan(2.9 * 86_400_000);
    expect(dueIn).toBeLessThan(3.1 * 86_400_000);
    const other = await server.http.get(`/api/v1/activities/${review.taskId as string}`).set(admin);
    expect(other.body).toMatchObject({ ownerId: rep.id, priority: 'normal' });
    // On the account's timeline too, through the contact.
    const timeline = await server.http.get(`/api/v1/accounts/${account.id}/timeline`).set(admin);
    expect(timeline.body.data.map((e: { title: string }) => e.title)).toContain(
      'Call Rina at PT Sinar',
    );
    expect((await pause(id)).status).toBe(200);
  });

  it('refuses a bad create_task step with a pointer into the steps', async () => {
    const bad = async (step: Record<string, unknown>, pointer: string) => {
      const res = await create({
        name: 'Bad task',
        triggerEvent: 'contact.created',
        steps: [{ id: 't', type: 'create_task', subject: 'Call', dueInDays: 1, ...step }],
      });
      expectProblem(res, 422);
      expect(res.body).toMatchObject({ code: 'automation_invalid', pointer });
    };
    await bad({ subject: undefined }, '/steps/0/subject');
    await bad({ subject: 'x'.repeat(201) }, '/steps/0/subject');
    await bad({ subject: 42 }, '/steps/0/subject');
    await bad({ subject: 'Call {{ contact.shoeSize }}' }, '/steps/0/subject');
    await bad({ subject: 'Call {% if x %}' }, '/steps/0/subject');
    await bad({ dueInDays: undefined }, '/steps/0/dueInDays');
    await bad({ dueInDays: -1 }, '/steps/0/dueInDays');
    await bad({ dueInDays: 'soon' }, '/steps/0/dueInDays');
    await bad({ dueInDays: 366 }, '/steps/0/dueInDays');
    await bad({ priority: 'urgent' }, '/steps/0/priority');
    await bad({ userId: 'nobody' }, '/steps/0/userId');
    await bad({ description: 'y'.repeat(2001) }, '/steps/0/description');
    await bad({ templateId: '0192f000-0000-7000-8000-000000000101' }, '/steps/0/templateId');
    const unknownUser = await create({
      name: 'Unknown user',
      triggerEvent: 'contact.created',
      steps: [
        {
          id: 't',
          type: 'create_task',
          subject: 'Call',
          dueInDays: 1,
          userId: '0192f000-0000-7000-8000-00000000dead',
        },
      ],
    });
    expect(unknownUser.status).toBe(201);
    const refused = await server.http
      .post(`/api/v1/automations/${unknownUser.body.id}/activate`)
      .set(admin);
    expectProblem(refused, 422);
    expect(refused.body.pointer).toBe('/steps/0/userId');
  });

  it('POSTs a signed payload, retries 5xx and timeouts with backoff, and lists every try', async () => {
    receiver.answer('/flaky', 503, 502, 200);
    receiver.answer('/slow', 'hang', 204);
    const id = await active([
      { id: 'flaky', type: 'webhook', url: receiver.url('/flaky') },
      { id: 'slow', type: 'webhook', url: receiver.url('/slow') },
    ]);
    const contact = await customers.contact({ firstName: 'Budi' });
    const run = await finishedRun(id, contact.id, 30_000);
    expect(run.status).toBe('completed');
    const flaky = run.steps[0].detail as { url: string; attempts: Attempt[] };
    expect(flaky.url).toBe(receiver.url('/flaky'));
    expect(flaky.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 502],
      [3, 200],
    ]);
    const slow = run.steps[1].detail as { attempts: Attempt[] };
    expect(slow.attempts.map((a) => a.status)).toEqual([null, 204]);
    expect(slow.attempts[0].error).toContain('timed out');

    const tries = receiver.at('/flaky');
    expect(tries).toHaveLength(3);
    // Backoff: each retry waits longer than the one before.
    expect(tries[2].at - tries[1].at).toBeGreaterThan(tries[1].at - tries[0].at);
    for (const t of tries) {
      expect(verifySignature(SECRET, t)).toBe(true);
      expect(t.headers['webhook-id']).toBe(`${run.id}:flaky`);
    }
    const body = JSON.parse(tries[0].body) as { type: string; data: Record<string, unknown> };
    expect(body.type).toBe('automation.webhook');
    expect(body.data).toMatchObject({
      automationId: id,
      runId: run.id,
      stepId: 'flaky',
      contactId: contact.id,
      event: { type: 'contact.created' },
    });
    expect((await pause(id)).status).toBe(200);
  });

  it('gives up on a refusing receiver at once and on a broken one after the last try', async () => {
    receiver.answer('/gone', 404);
    receiver.answer('/down', 500);
    const gone = await active([
      { id: 'hook', type: 'webhook', url: receiver.url('/gone') },
      { id: 'after', type: 'create_task', subject: 'Never', dueInDays: 1 },
    ]);
    const down = await active([{ id: 'hook', type: 'webhook', url: receiver.url('/down') }]);
    const contact = await customers.contact();
    const refused = await finishedRun(gone, contact.id);
    expect(refused.status).toBe('failed');
    expect(refused.steps).toHaveLength(1);
    expect(refused.steps[0]).toMatchObject({ outcome: 'failed' });
    expect((refused.steps[0].detail.attempts as Attempt[]).map((a) => a.status)).toEqual([404]);
    const broken = await finishedRun(down, contact.id, 40_000);
    expect(broken.status).toBe('failed');
    expect((broken.steps[0].detail.attempts as Attempt[]).map((a) => a.status)).toEqual([
      500, 500, 500, 500, 500, 500,
    ]);
    expect(receiver.at('/down')).toHaveLength(6);
    expect((await pause(gone)).status).toBe(200);
    expect((await pause(down)).status).toBe(200);
  });

  it('refuses a webhook URL that is not http(s) or points at a private address not allowed', async () => {
    const base = { name: 'Hook', triggerEvent: 'contact.created' };
    for (const url of [
      'ftp://example.com/x',
      'not a url',
      42,
      `https://e.com/${'a'.repeat(2000)}`,
    ]) {
      const res = await create({ ...base, steps: [{ id: 'h', type: 'webhook', url }] });
      expectProblem(res, 422);
      expect(res.body.pointer).toBe('/steps/0/url');
    }
    const missing = await create({ ...base, steps: [{ id: 'h', type: 'webhook' }] });
    expect(missing.body.pointer).toBe('/steps/0/url');
    for (const url of ['http://10.1.2.3/hook', 'http://[::1]:9/hook', 'http://169.254.169.254/']) {
      const saved = await create({ ...base, steps: [{ id: 'h', type: 'webhook', url }] });
      expect(saved.status).toBe(201);
      const on = await server.http.post(`/api/v1/automations/${saved.body.id}/activate`).set(admin);
      expectProblem(on, 422);
      expect(on.body.pointer).toBe('/steps/0/url');
      expect(on.body.detail).toContain('CRM_WEBHOOK_ALLOWED_HOSTS');
    }
  });
});
