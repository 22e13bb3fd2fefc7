/**
 * `npm run bench:campaign-send`: one e-mail campaign to BENCH_CAMPAIGN_MEMBERS (50,000)
 * consenting contacts, sent by the real server to a local SMTP server. Reports messages per
 * second from the send request to the last message the SMTP server accepted, and proves that
 * no one got the campaign twice: the SMTP server's count per recipient, and the database's
 * messages per contact and members marked sent, must all be exactly one each. Results go to
 * bench/results/campaign-send.json.
 *
 * Settings (environment): BENCH_CAMPAIGN_MEMBERS (50,000; 5,000 for a quick run),
 * BENCH_TIMEOUT_S (1,800). The send pace is set to the highest the config allows, so the
 * figure is the server's, not the pace limit's.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { login, runBench, startMigratedDatabase, startRelasi, writeResults } from './bench-env.js';
import { ADMIN_EMAIL, freePort, log, setting, sleep } from './bench-support.js';

const config = {
  members: setting('BENCH_CAMPAIGN_MEMBERS', 50_000),
  timeoutSeconds: setting('BENCH_TIMEOUT_S', 1_800),
};

/** A real SMTP server that counts what it accepts per envelope recipient. */
async function startSmtp(): Promise<{
  port: number;
  received: Map<string, number>;
  lastAt: () => number;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  const received = new Map<string, number>();
  let last = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo)
          received.set(r.address.toLowerCase(), (received.get(r.address.toLowerCase()) ?? 0) + 1);
        last = performance.now();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  return {
    port,
    received,
    lastAt: () => last,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

/** Contacts with an address each, consent to marketing, and membership of the campaign. */
async function seed(db: pg.Client, campaignId: string): Promise<void> {
  const owner = (
    await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [ADMIN_EMAIL])
  ).rows[0].id;
  await db.query(
    `INSERT INTO contacts (id, first_name, last_name, email, owner_id, name_key)
     SELECT gen_random_uuid(), 'Bench', 'Member ' || i, 'member-' || i || '@bench.example.com', $1, 'member ' || i
       FROM generate_series(1, $2) i`,
    [owner, config.members],
  );
  await db.query(
    `INSERT INTO consent_records (id, contact_id, action, purpose, lawful_basis, source, effective_at)
     SELECT gen_random_uuid(), id, 'given', 'marketing', 'consent', 'bench', now() - interval '1 day'
       FROM contacts WHERE email LIKE '%@bench.example.com'`,
  );
  await db.query(
    `INSERT INTO campaign_members (campaign_id, contact_id)
     SELECT $1, id FROM contacts WHERE email LIKE '%@bench.example.com'`,
    [campaignId],
  );
  await db.query(`ANALYZE`);
}

runBench('campaign-send', async (run) => {
  const database = await startMigratedDatabase(run);
  const smtp = await startSmtp();
  run.onStop(smtp.stop);
  const configFile = join(run.work, 'crm.config.yaml');
  writeFileSync(
    configFile,
    `version: 1
marketing:
  email: { messagesPerMinute: 100000, fromAddress: news@bench.example.com, fromName: Bench }
`,
  );
  const relasi = await startRelasi(run, database.url, {
    poolSize: 10,
    env: { CRM_CONFIG: configFile, CRM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
  });
  const token = await login(relasi.url);
  const template = await api(relasi.url, token, 'POST', '/api/v1/message-templates', {
    key: 'bench-news',
    name: 'Bench news',
    channel: 'email',
    language: 'en',
    format: 'html',
    subject: 'News for {{ contact.firstName | default: "you" }}',
    body: '<p>Hello {{ contact.firstName | default: "there" }}, here is our news.</p>',
  });
  const campaign = await api(relasi.url, token, 'POST', '/api/v1/campaigns', {
    name: 'Bench campaign',
    type: 'email',
    templateId: template.id,
  });
  const id = campaign.id as string;
  await api(relasi.url, token, 'POST', `/api/v1/campaigns/${id}/activate`);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  run.onStop(() => db.end());
  log(`seeding ${config.members} consenting members`);
  await seed(db, id);

  log('sending');
  const t0 = performance.now();
  const accepted = await api(relasi.url, token, 'POST', `/api/v1/campaigns/${id}/send`);
  log(`send accepted for ${String(accepted.members)} members`);
  const deadline = Date.now() + config.timeoutSeconds * 1000;
  let lastReport = 0;
  while (smtp.received.size < config.members) {
    // Out of time: what was delivered so far is still measured and checked for repeats.
    if (Date.now() > deadline) break;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`${smtp.received.size} delivered`);
    }
    await sleep(250);
  }
  const delivered = smtp.received.size;
  const seconds = (smtp.lastAt() - t0) / 1000;
  // Anything sent twice would arrive after the last first copy: wait a little for it.
  await sleep(3000);

  const perRecipient = [...smtp.received.values()];
  const twiceBySmtp = perRecipient.filter((n) => n > 1).length;
  const messages = (
    await db.query<{ rows: string; contacts: string; sent: string }>(
      `SELECT count(*) AS rows, count(DISTINCT contact_id) AS contacts,
              count(*) FILTER (WHERE status = 'sent') AS sent
         FROM outbound_messages WHERE to_address LIKE '%@bench.example.com'`,
    )
  ).rows[0];
  // Members are marked sent by an event subscriber after each send commits: wait (at most five
  // minutes) for it to catch up, and report how long that took after the last message.
  const membersSent = async () =>
    Number(
      (
        await db.query<{ sent: string }>(
          `SELECT count(*) FILTER (WHERE status <> 'targeted') AS sent FROM campaign_members WHERE campaign_id = $1`,
          [id],
        )
      ).rows[0].sent,
    );
  const catchUpDeadline = Date.now() + 300_000;
  let marked = await membersSent();
  while (marked < delivered && Date.now() < catchUpDeadline) {
    await sleep(500);
    marked = await membersSent();
  }
  const members = { sent: marked };
  const membersCaughtUpSeconds = Number(((performance.now() - smtp.lastAt()) / 1000).toFixed(1));
  const result = {
    members: config.members,
    seconds: Number(seconds.toFixed(1)),
    delivered,
    complete: delivered === config.members,
    messagesPerSecond: Number((delivered / seconds).toFixed(1)),
    smtpRecipients: smtp.received.size,
    smtpMessages: perRecipient.reduce((a, b) => a + b, 0),
    recipientsReceivingTwice: twiceBySmtp,
    messageRows: Number(messages.rows),
    messageContacts: Number(messages.contacts),
    messagesSent: Number(messages.sent),
    membersSent: Number(members.sent),
    membersCaughtUpSeconds,
  };
  // Rows of messages not handed over yet exist too; each contact has at most one.
  const once =
    twiceBySmtp === 0 &&
    result.smtpMessages === delivered &&
    result.messageRows === result.messageContacts &&
    result.messagesSent <= result.messageContacts;
  log(
    `${delivered} of ${config.members} messages in ${result.seconds} s: ${result.messagesPerSecond} messages/s; ` +
      `sent once each: ${once ? 'yes' : 'NO'} (SMTP ${result.smtpMessages} to ${result.smtpRecipients} recipients, ` +
      `${result.messageRows} message rows for ${result.messageContacts} contacts, ${result.membersSent} members sent, ${membersCaughtUpSeconds} s after the last message)`,
  );
  writeResults('campaign-send.json', { settings: config, ...result, sentOnceEach: once });
  if (!once) throw new Error('a recipient got the campaign more than once');
  if (!result.complete)
    throw new Error(`timed out with ${delivered} of ${config.members} delivered`);
});
