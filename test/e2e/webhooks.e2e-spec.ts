import { Webhook } from 'standardwebhooks';
import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { freePort } from '../support/global-setup.js';
import { freshDatabase, startServer, type TestServer } from '../support/test-server.js';
import {
  verifySignature,
  WebhookReceiver,
  type ReceivedRequest,
} from '../support/webhook-receiver.js';

const SECRET_KEY = 'test-secret-key-for-webhook-secrets-0123456789';

async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  trigger: string;
  status: string;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number | null;
}

/** The signature verifies with the independent implementation and with the standardwebhooks library. */
function expectSigned(secret: string, request: ReceivedRequest): void {
  expect(verifySignature(secret, request)).toBe(true);
  const headers = {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
  expect(new Webhook(secret).verify(request.body, headers)).toEqual(JSON.parse(request.body));
}

function client(server: TestServer, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const api = {
    auth,
    async create(body: Record<string, unknown>) {
      const res = await server.http.post('/api/v1/webhooks').set(auth).send(body);
      if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; secret: string; version: number; status: string };
    },
    async get(id: string) {
      return (await server.http.get(`/api/v1/webhooks/${id}`).set(auth).expect(200)).body as {
        status: string;
        active: boolean;
        pausedReason: string | null;
        consecutiveFailures: number;
        version: number;
      };
    },
    async deliveries(id: string, query = '') {
      const res = await server.http.get(`/api/v1/webhooks/${id}/deliveries${query}`).set(auth);
      expect(res.status).toBe(200);
      return res.body as { data: Delivery[]; meta: { nextCursor: string | null } };
    },
    async settled(id: string, count: number) {
      return waitFor(
        async () => (await api.deliveries(id)).data,
        (d) => d.length >= count && d.every((x) => x.status !== 'pending'),
      );
    },
    async deactivate(id: string) {
      await server.http
        .patch(`/api/v1/webhooks/${id}`)
        .set(auth)
        .send({ active: false })
        .expect(200);
    },
  };
  return api;
}

describe('webhooks', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let token: string;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    server = await startServer({
      env: {
        CRM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        CRM_WEBHOOK_RETRY_BASE_MS: '100',
        CRM_WEBHOOK_PAUSE_AFTER_FAILURES: '3',
        CRM_SECRET_KEY: SECRET_KEY,
        CRM_OUTBOX_POLL_MS: '200',
        CRM_JOB_POLL_MS: '200',
        CRM_LOG_LEVEL: 'warn',
      },
    });
    token = await server.login();
    api = client(server, token);
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('answers bad input with clear 4xx and lets only admins in', async () => {
    const post = (body: unknown) =>
      server.http
        .post('/api/v1/webhooks')
        .set(api.auth)
        .send(body as object);
    const valid = { url: receiver.url('/never'), eventTypes: ['contact.created'], active: false };

    const missing = await post({ eventTypes: ['*'] }).expect(400);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ field: 'url', code: 'required' }),
    ]);
    const ftp = await post({ ...valid, url: 'ftp://127.0.0.1/x' }).expect(400);
    expect(ftp.body.errors).toEqual([expect.objectContaining({ field: 'url', code: 'isUrl' })]);
    const credentials = await post({ ...valid, url: 'http://user:pw@127.0.0.1/x' }).expect(400);
    expect(credentials.body.errors[0]).toMatchObject({ field: 'url', code: 'noCredentials' });
    const unknown = await post({ ...valid, colour: 'red' }).expect(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'colour', code: 'unknownField' }),
    ]);
    const long = await post({ ...valid, description: 'x'.repeat(501) }).expect(400);
    expect(long.body.errors[0]).toMatchObject({ field: 'description', code: 'maxLength' });
    const pattern = await post({ ...valid, eventTypes: ['Contact Created!'] }).expect(400);
    expect(pattern.body.errors[0]).toMatchObject({ field: 'eventTypes', code: 'matches' });
    const label = await post({ ...valid, eventTypes: ['spaceship.*'] }).expect(400);
    expect(label.body.errors[0]).toMatchObject({ field: 'eventTypes[0]', code: 'isIn' });
    await post({ ...valid, eventTypes: [] }).expect(400);
    const entity = await post({ ...valid, entities: ['spaceships'] }).expect(400);
    expect(entity.body.errors[0]).toMatchObject({ field: 'entities[0]', code: 'isIn' });
    const indonesian = await server.http
      .post('/api/v1/webhooks')
      .set(api.auth)
      .set('accept-language', 'id')
      .send({ ...valid, url: 'http://user:pw@127.0.0.1/x' })
      .expect(400);
    expect(indonesian.body.errors[0].message).toBe(
      'tidak boleh berisi nama pengguna atau kata sandi',
    );

    await server.http.get('/api/v1/webhooks/not-a-uuid').set(api.auth).expect(400);
    await server.http
      .get('/api/v1/webhooks/0192f000-0000-7000-8000-00000000abcd')
      .set(api.auth)
      .expect(404);
    await server.http
      .get('/api/v1/webhooks/0192f000-0000-7000-8000-00000000abcd/deliveries')
      .set(api.auth)
      .expect(404);

    const created = await api.create(valid);
    const stale = await server.http
      .patch(`/api/v1/webhooks/${created.id}`)
      .set(api.auth)
      .set('if-match', '"999"')
      .send({ description: 'late' })
      .expect(412);
    expect(stale.body.code).toBe('precondition_failed');
    const read = await server.http.get(`/api/v1/webhooks/${created.id}`).set(api.auth).expect(200);
    expect(read.headers.etag).toBe(`"${created.version}"`);
    expect(read.body).not.toHaveProperty('secret');
    await server.http
      .patch(`/api/v1/webhooks/${created.id}`)
      .set(api.auth)
      .set('if-match', read.headers.etag)
      .send({ description: 'on time' })
      .expect(200);
    const badFilter = await server.http
      .get(`/api/v1/webhooks/${created.id}/deliveries?filter[status][eq]=lost`)
      .set(api.auth)
      .expect(400);
    expect(badFilter.body.code).toBe('invalid_query');

    const rep = await accessFactories(server, token).userWithToken('sales_rep');
    await server.http.get('/api/v1/webhooks').set(rep.auth).expect(403);
    await server.http.post('/api/v1/webhooks').set(rep.auth).send(valid).expect(403);
    await server.http.get(`/api/v1/webhooks/${created.id}`).set(rep.auth).expect(403);
    await server.http
      .post(`/api/v1/webhooks/${created.id}/rotate-secret`)
      .set(rep.auth)
      .expect(403);
    await server.http.get('/api/v1/webhooks').expect(401);

    await server.http.delete(`/api/v1/webhooks/${created.id}`).set(api.auth).expect(204);
    await server.http.get(`/api/v1/webhooks/${created.id}`).set(api.auth).expect(404);
    await server.http.post(`/api/v1/webhooks/${created.id}/restore`).set(api.auth).expect(200);
    const history = await server.http
      .get(`/api/v1/webhooks/${created.id}/history`)
      .set(api.auth)
      .expect(200);
    expect(history.body.data.map((h: { action: string }) => h.action)).toEqual([
      'restore',
      'delete',
      'update',
      'create',
    ]);
  });

  it('delivers contact.created signed the Standard Webhooks way, with a secret kept encrypted', async () => {
    const webhook = await api.create({
      url: receiver.url('/created'),
      description: 'new contacts',
      eventTypes: ['contact.created'],
    });
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const contact = await factories(server, token).contact({ lastName: 'Hooked' });
    const [request] = await receiver.waitFor('/created', 1);

    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Relasi-Webhooks/1.0');
    const event = (
      await server.db.query(`SELECT id, actor_id FROM domain_events WHERE record_id = $1`, [
        contact.id,
      ])
    ).rows[0];
    expect(request.headers['webhook-id']).toBe(event.id);
    const timestamp = Number(request.headers['webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(30);
    expect(String(request.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expectSigned(webhook.secret, request);
    const body = JSON.parse(request.body);
    expect(body).toEqual({
      id: event.id,
      type: 'contact.created',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: expect.objectContaining({
        entity: 'contacts',
        recordId: contact.id,
        actorId: event.actor_id,
        record: expect.objectContaining({ id: contact.id, lastName: 'Hooked' }),
      }),
    });

    const [delivery] = await api.settled(webhook.id, 1);
    expect(delivery).toMatchObject({
      eventId: event.id,
      eventType: 'contact.created',
      attempt: 1,
      trigger: 'event',
      status: 'success',
      responseStatus: 200,
      responseBody: 'answered 200',
      error: null,
    });
    expect(delivery.durationMs).toEqual(expect.any(Number));
    expect((await api.get(webhook.id)).consecutiveFailures).toBe(0);

    const stored = await server.db.query(`SELECT secret FROM webhook_subscriptions WHERE id = $1`, [
      webhook.id,
    ]);
    expect(stored.rows[0].secret).toMatch(/^enc:v1:/);
    expect(stored.rows[0].secret).not.toContain(webhook.secret.slice(6, 20));
    await api.deactivate(webhook.id);
  });

  it('sends only the event types and entities a webhook asks for', async () => {
    const accounts = await api.create({
      url: receiver.url('/accounts'),
      eventTypes: ['account.*'],
    });
    const contactsOnly = await api.create({
      url: receiver.url('/contacts-only'),
      eventTypes: ['*'],
      entities: ['contacts'],
    });
    const updates = await api.create({
      url: receiver.url('/updates'),
      eventTypes: ['contact.updated'],
    });
    const make = factories(server, token);
    await make.account({ name: 'Filtered account' });
    const contact = await make.contact({ lastName: 'Filtered' });
    await server.http
      .patch(`/api/v1/contacts/${contact.id}`)
      .set(api.auth)
      .send({ title: 'CTO' })
      .expect(200);

    await receiver.waitFor('/contacts-only', 2);
    await receiver.waitFor('/accounts', 1);
    await receiver.waitFor('/updates', 1);
    await api.settled(contactsOnly.id, 2);
    const typesAt = (path: string) =>
      receiver.at(path).map((r) => JSON.parse(r.body).type as string);
    expect(typesAt('/accounts')).toEqual(['account.created']);
    expect(typesAt('/contacts-only').sort()).toEqual(['contact.created', 'contact.updated']);
    expect(typesAt('/updates')).toEqual(['contact.updated']);
    for (const w of [accounts, contactsOnly, updates]) await api.deactivate(w.id);
  });

  it('retries after a 500 with the same webhook-id and lists every attempt', async () => {
    receiver.answer('/flaky', { status: 500, body: 'database unavailable' }, 200);
    const webhook = await api.create({
      url: receiver.url('/flaky'),
      eventTypes: ['contact.created'],
    });
    await factories(server, token).contact({ lastName: 'Flaky' });
    const [first, second] = await receiver.waitFor('/flaky', 2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expectSigned(webhook.secret, first);
    expectSigned(webhook.secret, second);
    expect(second.at - first.at).toBeGreaterThanOrEqual(90);

    const attempts = await api.settled(webhook.id, 2);
    expect(attempts.map((d) => [d.attempt, d.trigger, d.status, d.responseStatus])).toEqual([
      [2, 'retry', 'success', 200],
      [1, 'event', 'failed', 500],
    ]);
    expect(attempts[1]).toMatchObject({
      responseBody: 'database unavailable',
      error: 'the receiver answered 500',
    });

    const failed = await api.deliveries(webhook.id, '?filter[status][eq]=failed');
    expect(failed.data.map((d) => d.attempt)).toEqual([1]);
    const byType = await api.deliveries(webhook.id, '?filter[eventType][eq]=contact.updated');
    expect(byType.data).toEqual([]);
    const page1 = await api.deliveries(webhook.id, '?limit=1');
    expect(page1.data.map((d) => d.attempt)).toEqual([2]);
    const page2 = await api.deliveries(
      webhook.id,
      `?limit=1&cursor=${encodeURIComponent(page1.meta.nextCursor!)}`,
    );
    expect(page2.data.map((d) => d.attempt)).toEqual([1]);
    expect(page2.meta.nextCursor).toBeNull();
    expect((await api.get(webhook.id)).consecutiveFailures).toBe(0);
    await api.deactivate(webhook.id);
  });

  it('disables a webhook whose receiver answers 410 Gone', async () => {
    receiver.answer('/gone', 410);
    const webhook = await api.create({
      url: receiver.url('/gone'),
      eventTypes: ['contact.created'],
    });
    await factories(server, token).contact({ lastName: 'Gone' });
    const state = await waitFor(
      () => api.get(webhook.id),
      (w) => w.status === 'disabled',
    );
    expect(state).toMatchObject({
      status: 'disabled',
      active: false,
      pausedReason: 'the receiver answered 410 Gone',
    });
    expect((await api.settled(webhook.id, 1)).map((d) => d.status)).toEqual(['failed']);
    const events = await server.db.query(
      `SELECT type FROM domain_events WHERE record_id = $1 AND type LIKE 'webhook.%'`,
      [webhook.id],
    );
    expect(events.rows).toEqual([{ type: 'webhook.disabled' }]);
    await factories(server, token).contact({ lastName: 'After gone' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.at('/gone')).toHaveLength(1);
  });

  it('pauses a webhook that keeps failing, reports it, and resumes it on PATCH active:true', async () => {
    receiver.answer('/down', 503);
    const webhook = await api.create({
      url: receiver.url('/down'),
      eventTypes: ['contact.created'],
    });
    await factories(server, token).contact({ lastName: 'Down' });
    const paused = await waitFor(
      () => api.get(webhook.id),
      (w) => w.status === 'paused',
    );
    expect(paused).toMatchObject({
      status: 'paused',
      active: false,
      consecutiveFailures: 3,
      pausedReason: '3 deliveries failed in a row; last: the receiver answered 503',
    });
    const attempts = await api.settled(webhook.id, 3);
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
      [3, 'failed'],
      [2, 'failed'],
      [1, 'failed'],
    ]);
    const events = await server.db.query(
      `SELECT type, data FROM domain_events WHERE record_id = $1 AND type LIKE 'webhook.%'`,
      [webhook.id],
    );
    expect(events.rows).toEqual([
      {
        type: 'webhook.paused',
        data: expect.objectContaining({ status: 'paused', url: receiver.url('/down') }),
      },
    ]);
    expect(server.output()).toMatch(/webhook .* paused: 3 deliveries failed in a row/);
    const listed = await server.http
      .get('/api/v1/webhooks?filter[status][eq]=paused')
      .set(api.auth)
      .expect(200);
    expect(listed.body.data.map((w: { id: string }) => w.id)).toContain(webhook.id);

    const refused = await server.http
      .post(`/api/v1/webhooks/${webhook.id}/deliveries/${attempts[2].id}/resend`)
      .set(api.auth)
      .expect(409);
    expect(refused.body.code).toBe('webhook_not_active');

    const resumed = await server.http
      .patch(`/api/v1/webhooks/${webhook.id}`)
      .set(api.auth)
      .send({ active: true })
      .expect(200);
    expect(resumed.body).toMatchObject({
      status: 'active',
      active: true,
      pausedReason: null,
      consecutiveFailures: 0,
    });

    // The receiver is back: an admin resends the first attempt's event.
    receiver.answer('/down', 200);
    const resend = await server.http
      .post(`/api/v1/webhooks/${webhook.id}/deliveries/${attempts[2].id}/resend`)
      .set(api.auth)
      .expect(202);
    expect(resend.body).toMatchObject({ attempt: 4, trigger: 'resend', status: 'pending' });
    const received = await receiver.waitFor('/down', 4);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const after = await api.settled(webhook.id, 4);
    expect(after[0]).toMatchObject({ attempt: 4, trigger: 'resend', status: 'success' });
    await server.http
      .post(`/api/v1/webhooks/${webhook.id}/deliveries/0192f000-0000-7000-8000-00000000abcd/resend`)
      .set(api.auth)
      .expect(404);
    await api.deactivate(webhook.id);
  });

  it('pings one webhook on demand, signed, without retries or counting a failure', async () => {
    const webhook = await api.create({ url: receiver.url('/ping'), eventTypes: ['lead.created'] });
    const bystander = await api.create({
      url: receiver.url('/ping-other'),
      eventTypes: ['webhook.*'],
    });
    const sent = await server.http.post(`/api/v1/webhooks/${webhook.id}/ping`).set(api.auth);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      webhookId: webhook.id,
      eventType: 'webhook.ping',
      trigger: 'ping',
      attempt: 1,
      status: 'pending',
    });
    const [request] = await receiver.waitFor('/ping', 1);
    expectSigned(webhook.secret, request);
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'webhook.ping',
      data: { message: expect.stringContaining('reachable') },
    });
    const [done] = (await api.settled(webhook.id, 1)).filter((d) => d.id === sent.body.id);
    expect(done).toMatchObject({ status: 'success', responseStatus: 200 });

    receiver.answer('/ping-fail', 500);
    const failing = await api.create({
      url: receiver.url('/ping-fail'),
      eventTypes: ['lead.created'],
    });
    await server.http.post(`/api/v1/webhooks/${failing.id}/ping`).set(api.auth).expect(202);
    const [failed] = await api.settled(failing.id, 1);
    expect(failed).toMatchObject({ trigger: 'ping', status: 'failed', responseStatus: 500 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.deliveries(failing.id)).data).toHaveLength(1);
    expect(await api.get(failing.id)).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    // The ping went to its webhook only, even past one subscribed to webhook events.
    const pinged = (path: string) =>
      receiver.at(path).filter((r) => JSON.parse(r.body).type === 'webhook.ping');
    expect(pinged('/ping-other')).toHaveLength(0);
    expect(
      (await api.deliveries(bystander.id)).data.filter((d) => d.eventType === 'webhook.ping'),
    ).toHaveLength(0);

    const rep = await accessFactories(server, token).userWithToken('sales_rep');
    const bad: [string, Record<string, string>, number][] = [
      [`/api/v1/webhooks/${webhook.id}/ping`, rep.auth, 403],
      ['/api/v1/webhooks/0192f000-0000-7000-8000-00000000abcd/ping', api.auth, 404],
      ['/api/v1/webhooks/nope/ping', api.auth, 400],
    ];
    for (const [path, auth, status] of bad)
      expect((await server.http.post(path).set(auth)).status).toBe(status);
    await api.deactivate(webhook.id);
    const inactive = await server.http.post(`/api/v1/webhooks/${webhook.id}/ping`).set(api.auth);
    expect(inactive.status).toBe(409);
  });

  it('rotates the secret: both secrets sign for 24 h, then only the new one', async () => {
    const webhook = await api.create({
      url: receiver.url('/rotate'),
      eventTypes: ['contact.created'],
    });
    const rotated = await server.http
      .post(`/api/v1/webhooks/${webhook.id}/rotate-secret`)
      .set(api.auth)
      .expect(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(webhook.secret);
    const expires = Date.parse(rotated.body.previousSecretExpiresAt as string);
    expect(Math.abs(expires - Date.now() - 24 * 3_600_000)).toBeLessThan(60_000);

    await factories(server, token).contact({ lastName: 'Rotated' });
    const [during] = await receiver.waitFor('/rotate', 1);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expectSigned(fresh, during);
    expectSigned(webhook.secret, during);

    await server.db.query(
      `UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [webhook.id],
    );
    await factories(server, token).contact({ lastName: 'Rotated later' });
    const [, after] = await receiver.waitFor('/rotate', 2);
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expectSigned(fresh, after);
    expect(verifySignature(webhook.secret, after)).toBe(false);
    expect((await api.get(webhook.id)) as unknown).toMatchObject({ previousSecretExpiresAt: null });
    await api.deactivate(webhook.id);
  });
});

describe('webhooks without an allow-list', () => {
  it('refuses internal addresses on create, on update and again at delivery time', async () => {
    const receiver = await WebhookReceiver.start();
    const server = await startServer({
      env: { CRM_OUTBOX_POLL_MS: '200', CRM_JOB_POLL_MS: '200' },
    });
    try {
      const token = await server.login();
      const api = client(server, token);
      for (const url of [
        receiver.url('/internal'),
        'http://10.0.0.1/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:8080/hook',
        'http://localhost:8080/hook',
        'http://0.0.0.0/hook',
        'http://100.64.1.1/hook',
      ]) {
        const res = await server.http
          .post('/api/v1/webhooks')
          .set(api.auth)
          .send({ url, eventTypes: ['*'] });
        expect({ url, status: res.status, code: res.body.code }).toEqual({
          url,
          status: 400,
          code: 'webhook_url_not_allowed',
        });
        expect(res.body.errors[0]).toMatchObject({ field: 'url', code: 'notAllowed' });
      }

      // A public address passes (kept inactive: nothing is ever sent to it from a test).
      const external = await api.create({
        url: 'https://203.0.113.10/hook',
        eventTypes: ['contact.created'],
        active: false,
      });
      const moved = await server.http
        .patch(`/api/v1/webhooks/${external.id}`)
        .set(api.auth)
        .send({ url: 'http://192.168.1.10/hook' })
        .expect(400);
      expect(moved.body.code).toBe('webhook_url_not_allowed');

      // A URL that passed once but now points inside (DNS rebinding, or a row written before
      // the policy) is checked again when sending, and nothing reaches the receiver.
      const [{ id }] = (
        await server.db.query(
          `INSERT INTO webhook_subscriptions (id, url, event_types, secret)
           VALUES ('0192f000-0000-7000-8000-0000000000aa', $1, '{contact.created}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6s9r+pJ5GIo=')
           RETURNING id`,
          [receiver.url('/internal')],
        )
      ).rows as { id: string }[];
      await factories(server, token).contact({ lastName: 'Rebound' });
      const deliveries = await waitFor(
        async () => (await api.deliveries(id)).data,
        (d) => d.some((x) => x.attempt === 1 && x.status !== 'pending'),
      );
      const attempt = deliveries.find((d) => d.attempt === 1)!;
      expect(attempt.status).toBe('failed');
      expect(attempt.error).toMatch(
        /^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback address/,
      );
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await server.stop();
      await receiver.close();
    }
  });
});

describe('webhook deliveries across restarts', () => {
  const env = {
    CRM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    CRM_OUTBOX_POLL_MS: '200',
    CRM_JOB_POLL_MS: '200',
  };

  it('delivers after a restart a retry that was pending when the server stopped', async () => {
    const databaseUrl = await freshDatabase();
    const port = await freePort(); // nothing listens there yet: the receiver is down
    const first = await startServer({
      databaseUrl,
      env: { ...env, CRM_WEBHOOK_RETRY_BASE_MS: '3000' },
    });
    const token = await first.login();
    const webhook = await client(first, token).create({
      url: `http://127.0.0.1:${port}/restart`,
      eventTypes: ['contact.created'],
    });
    const contact = await factories(first, token).contact({ lastName: 'Restarted' });
    const before = await waitFor(
      async () => (await client(first, token).deliveries(webhook.id)).data,
      (d) => d.some((x) => x.status === 'failed') && d.some((x) => x.status === 'pending'),
    );
    expect(before.map((d) => [d.attempt, d.status])).toEqual([
      [2, 'pending'],
      [1, 'failed'],
    ]);
    expect(before[1].error).toMatch(/ECONNREFUSED/);
    expect(await first.stop('SIGTERM')).toBe(0);

    const receiver = await WebhookReceiver.start(port);
    const second = await startServer({
      databaseUrl,
      env: { ...env, CRM_WEBHOOK_RETRY_BASE_MS: '3000' },
    });
    try {
      const [request] = await receiver.waitFor('/restart', 1);
      const event = await second.db.query(`SELECT id FROM domain_events WHERE record_id = $1`, [
        contact.id,
      ]);
      expect(request.headers['webhook-id']).toBe(event.rows[0].id);
      expectSigned(webhook.secret, request);
      const after = await client(second, await second.login()).settled(webhook.id, 2);
      expect(after.map((d) => [d.attempt, d.status])).toEqual([
        [2, 'success'],
        [1, 'failed'],
      ]);
    } finally {
      await second.stop();
      await receiver.close();
    }
  });

  it('sends again a delivery that was in flight when the process was killed', async () => {
    const databaseUrl = await freshDatabase();
    const receiver = await WebhookReceiver.start();
    receiver.answer('/killed', 'hang', 200);
    const crashEnv = { ...env, CRM_JOB_LOCK_TIMEOUT_MS: '1500', CRM_WEBHOOK_TIMEOUT_MS: '30000' };
    const first = await startServer({ databaseUrl, env: crashEnv });
    try {
      const token = await first.login();
      const webhook = await client(first, token).create({
        url: receiver.url('/killed'),
        eventTypes: ['contact.created'],
      });
      await factories(first, token).contact({ lastName: 'Killed' });
      await receiver.waitFor('/killed', 1);
      await first.stop('SIGKILL');

      const second = await startServer({ databaseUrl, env: crashEnv });
      try {
        const [hung, retried] = await receiver.waitFor('/killed', 2);
        expect(retried.headers['webhook-id']).toBe(hung.headers['webhook-id']);
        expectSigned(webhook.secret, retried);
        const deliveries = await client(second, await second.login()).settled(webhook.id, 1);
        expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 'success']]);
        const job = await second.db.query(
          `SELECT state, attempts FROM jobs WHERE queue = 'webhooks.deliver'`,
        );
        expect(job.rows).toEqual([{ state: 'completed', attempts: 2 }]);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      await receiver.close();
    }
  });
});
