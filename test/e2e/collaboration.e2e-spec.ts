import { accessFactories } from '../support/access-factories.js';
import { factories } from '../support/factories.js';
import { writeMessagingConfig, type Auth } from '../support/messaging-factories.js';
import {
  PARTNERS_YAML,
  partnerFactories,
  type PartnerLogin,
} from '../support/partner-factories.js';
import { portalFactories, type PortalLogin } from '../support/portal-factories.js';
import { expectProblem } from '../support/problems.js';
import { inbox, type Inbox } from '../support/smtp-inbox.js';
import { openSse, type SseConnection, type SseEvent } from '../support/sse-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Customer = PortalLogin & { contactId: string };
type Posted = { threadId: string; messageId: string; author: Record<string, unknown> };
type Seen = { id: string; body: string | null; author: { kind: string; name: string } };

const all = (
  create: string,
  read: string,
  update: string,
  extra: Record<string, unknown> = {},
) => ({ create, read, update, delete: 'none', reassign: false, ...extra });

/**
 * The collaborative promise end to end: a channel manager, a partner and a customer work a
 * deal and a case together in threads, each seeing exactly what they should, live.
 */
describe('collaboration: a channel manager, a partner and a customer work a deal and a case', () => {
  let box: Inbox;
  let server: TestServer;
  let admin: Auth;
  let manager: { user: { id: string }; auth: Auth };
  let sari: PartnerLogin;
  let budi: PartnerLogin;
  let dewi: Customer;
  let eko: Customer;
  const streams: Record<string, SseConnection> = {};

  const api = () => server.http;
  const posted = (e: SseEvent) => e.data as Posted;
  const messagesOf = (name: string) =>
    streams[name].events.filter((e) => e.event === 'message.posted').map((e) => posted(e));
  const until = async (name: string, messageId: string) =>
    streams[name].next((e) => e.event === 'message.posted' && posted(e).messageId === messageId);

  beforeAll(async () => {
    box = await inbox();
    server = await startServer({
      env: {
        CRM_CONFIG: writeMessagingConfig(
          'collaboration',
          `portal: { baseUrl: https://help.example.com, fromAddress: support@example.com }\n${PARTNERS_YAML}`,
        ),
        CRM_SMTP_URL: `smtp://127.0.0.1:${box.port}`,
        CRM_PRINCIPAL_CACHE_TTL_MS: '0',
      },
    });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    const people = accessFactories(server, token);
    // A role of its own: the channel manager runs partners and their deals, and follows
    // the customers' cases, without being an administrator.
    const role = await people.role({
      name: 'Channel manager',
      permissions: {
        admin: false,
        entities: {
          partners: all('none', 'all', 'all'),
          accounts: all('all', 'all', 'all'),
          contacts: all('none', 'all', 'none'),
          opportunities: all('all', 'all', 'all'),
          cases: all('none', 'all', 'all'),
          threads: all('all', 'all', 'all'),
        },
      },
    });
    manager = await people.userWithToken(role.id, { firstName: 'Maya', lastName: 'Channel' });
    const partners = partnerFactories(server, admin, box);
    const alpha = await partners.partner({ channelManagerId: manager.user.id });
    const beta = await partners.partner();
    sari = await partners.user(alpha.id);
    budi = await partners.user(beta.id);
    const portal = portalFactories(server, admin, box);
    eko = await portal.customer((await factories(server, token).account()).id);

    // Everyone is connected before anything happens, so that each stream's whole story is known.
    for (const [name, url, auth] of [
      ['manager', '/api/v1/stream', manager.auth],
      ['sari', '/api/v1/partner/stream', sari.auth],
      ['budi', '/api/v1/partner/stream', budi.auth],
      ['eko', '/api/v1/portal/stream', eko.auth],
    ] as const) {
      streams[name] = await openSse(`${server.url}${url}`, auth);
      expect(streams[name].status).toBe(200);
      await streams[name].ready();
    }
  });
  afterAll(async () => {
    for (const s of Object.values(streams)) s.close();
    await server.stop();
    await box.close();
  });

  let opportunityId: string;
  let accountId: string;
  let dealThread: string;
  let caseThread: string;
  const ids: Record<string, string> = {};

  it('the partner registers a deal, the channel manager approves it and opens a thread with the partner', async () => {
    const submitted = await api()
      .post('/api/v1/partner/deals')
      .set(sari.auth)
      .send({
        accountName: 'PT Sentosa Makmur',
        productInterest: ['ERP licences'],
        estimatedAmount: { amount: '450000000.00', currency: 'IDR' },
      });
    expect(submitted.status).toBe(201);
    const approved = await api()
      .post(`/api/v1/deal-registrations/${submitted.body.id as string}/approve`)
      .set(manager.auth)
      .send({});
    expect(approved.status).toBe(200);
    opportunityId = approved.body.opportunityId as string;
    accountId = approved.body.accountId as string;

    const thread = await api()
      .post('/api/v1/threads')
      .set(manager.auth)
      .send({
        subject: 'Sentosa: demo and pricing',
        record: { type: 'opportunities', id: opportunityId },
        participants: [{ kind: 'partner_user', id: sari.userId }],
      });
    expect(thread.status).toBe(201);
    dealThread = thread.body.id as string;
    // Another partner's user cannot join a deal that is not theirs.
    const intruder = await api()
      .post(`/api/v1/threads/${dealThread}/participants`)
      .set(manager.auth)
      .send({ participants: [{ kind: 'partner_user', id: budi.userId }] });
    expectProblem(intruder, 422);

    const say = async (key: string, auth: Auth, url: string, body: Record<string, unknown>) => {
      const res = await api().post(url).set(auth).send(body);
      expect(res.status).toBe(201);
      ids[key] = res.body.id as string;
    };
    const staffUrl = `/api/v1/threads/${dealThread}/messages`;
    await say('welcome', manager.auth, staffUrl, { body: "Welcome! Let's plan the demo." });
    await say('margin', manager.auth, staffUrl, { body: 'Keep margin above 10%', internal: true });
    await say('demo', sari.auth, `/api/v1/partner/threads/${dealThread}/messages`, {
      body: 'Demo on Tuesday works for the customer.',
    });
    await until('sari', ids.welcome);
    await until('manager', ids.demo);

    const mine = await api().get(`/api/v1/partner/threads/${dealThread}/messages`).set(sari.auth);
    expect((mine.body.data as Seen[]).map((m) => m.id)).toEqual([ids.welcome, ids.demo]);
    expect(mine.body.data[0]).toMatchObject({ author: { kind: 'user', name: 'Maya Channel' } });
    const staff = await api().get(staffUrl).set(manager.auth);
    expect((staff.body.data as Seen[]).map((m) => m.id)).toEqual([
      ids.welcome,
      ids.margin,
      ids.demo,
    ]);
  });

  it('the customer opens a case in the portal; staff, customer and partner work it in one thread', async () => {
    dewi = await portalFactories(server, admin, box).customer(accountId);
    streams.dewi = await openSse(`${server.url}/api/v1/portal/stream`, dewi.auth);
    await streams.dewi.ready();
    const opened = await api()
      .post('/api/v1/portal/cases')
      .set(dewi.auth)
      .send({ subject: 'ERP trial login fails', description: 'Error 500 on login' });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    // The case's account has the partner's deal: the partner may join its thread.
    const thread = await api()
      .post('/api/v1/threads')
      .set(manager.auth)
      .send({
        subject: 'Trial login',
        record: { type: 'cases', id: caseId },
        participants: [
          { kind: 'contact', id: dewi.contactId },
          { kind: 'partner_user', id: sari.userId },
        ],
      });
    expect(thread.status).toBe(201);
    caseThread = thread.body.id as string;

    const staffUrl = `/api/v1/threads/${caseThread}/messages`;
    const say = async (key: string, auth: Auth, url: string, body: Record<string, unknown>) => {
      const res = await api().post(url).set(auth).send(body);
      expect(res.status).toBe(201);
      ids[key] = res.body.id as string;
    };
    await say('looking', manager.auth, staffUrl, { body: 'We are looking into it.' });
    await say('rma', manager.auth, staffUrl, { body: 'Likely our bug, no RMA', internal: true });
    await say('urgent', dewi.auth, `/api/v1/portal/threads/${caseThread}/messages`, {
      body: 'Thanks, it is urgent.',
    });
    await say('onsite', sari.auth, `/api/v1/partner/threads/${caseThread}/messages`, {
      body: 'I can be on site tomorrow.',
    });
    await until('dewi', ids.onsite);
    await until('sari', ids.urgent);
    await until('manager', ids.onsite);

    const seen = await api().get(`/api/v1/portal/threads/${caseThread}/messages`).set(dewi.auth);
    expect((seen.body.data as Seen[]).map((m) => [m.id, m.author.kind])).toEqual([
      [ids.looking, 'user'],
      [ids.urgent, 'contact'],
      [ids.onsite, 'partner_user'],
    ]);
    const people = await api().get(`/api/v1/portal/threads/${caseThread}`).set(dewi.auth);
    expect(people.body.participants).toEqual(
      expect.arrayContaining([
        { kind: 'user', name: 'Maya Channel', you: false },
        { kind: 'partner_user', name: 'Sari', you: false },
        { kind: 'contact', name: 'Dewi Customer', you: true },
      ]),
    );
    expect(JSON.stringify(people.body)).not.toContain('@');
  });

  it("each party's stream carried exactly their messages: no internal note, no other thread", async () => {
    // Give a stray event time to arrive before the exact comparison.
    await new Promise((r) => setTimeout(r, 500));
    const story = (name: string) => messagesOf(name).map((m) => [m.threadId, m.messageId]);
    expect(story('manager')).toEqual([
      [dealThread, ids.demo],
      [caseThread, ids.urgent],
      [caseThread, ids.onsite],
    ]);
    expect(story('sari')).toEqual([
      [dealThread, ids.welcome],
      [caseThread, ids.looking],
      [caseThread, ids.urgent],
    ]);
    expect(story('dewi')).toEqual([
      [caseThread, ids.looking],
      [caseThread, ids.onsite],
    ]);
    expect(story('budi')).toEqual([]);
    expect(story('eko')).toEqual([]);
    // Outsiders see authors by kind and name; staff by kind and id.
    const fromDewi = messagesOf('sari').find((m) => m.messageId === ids.urgent)!;
    expect(fromDewi.author).toEqual({ kind: 'contact', name: 'Dewi Customer' });
    const fromSari = messagesOf('manager').find((m) => m.messageId === ids.onsite)!;
    expect(fromSari.author).toEqual({ kind: 'partner_user', id: sari.userId });

    // A reconnecting customer gets what they missed after the first event, and nothing else.
    const first = streams.dewi.events.find((e) => e.event === 'message.posted')!;
    const again = await openSse(`${server.url}/api/v1/portal/stream`, {
      ...dewi.auth,
      'last-event-id': first.id!,
    });
    await again.ready();
    again.close();
    expect(again.events.map((e) => posted(e).messageId)).toEqual([ids.onsite]);
  });

  it("each party's API shows exactly their threads", async () => {
    const subjects = async (url: string, auth: Auth) =>
      ((await api().get(url).set(auth)).body.data as { id: string }[]).map((t) => t.id).sort();
    expect(await subjects('/api/v1/partner/threads', sari.auth)).toEqual(
      [dealThread, caseThread].sort(),
    );
    expect(await subjects('/api/v1/portal/threads', dewi.auth)).toEqual([caseThread]);
    expect(await subjects('/api/v1/partner/threads', budi.auth)).toEqual([]);
    expect(await subjects('/api/v1/portal/threads', eko.auth)).toEqual([]);
    expectProblem(await api().get(`/api/v1/portal/threads/${dealThread}`).set(dewi.auth), 404);
    expectProblem(await api().get(`/api/v1/partner/threads/${caseThread}`).set(budi.auth), 404);
    expectProblem(await api().get(`/api/v1/portal/threads/${caseThread}`).set(eko.auth), 404);

    // The channel manager sees both, with what is unread for them.
    const list = await api().get('/api/v1/threads').set(manager.auth);
    const unread = Object.fromEntries(
      (list.body.data as { id: string; unreadCount: number }[]).map((t) => [t.id, t.unreadCount]),
    );
    expect(unread).toEqual({ [dealThread]: 1, [caseThread]: 2 });
    // The partner sees the deal's opportunity shared with them, as the approval made it.
    const shared = await api().get('/api/v1/partner/opportunities').set(sari.auth);
    expect((shared.body.data as { id: string }[]).map((o) => o.id)).toEqual([opportunityId]);
  });
});
