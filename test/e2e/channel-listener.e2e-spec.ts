import { Logger } from '@nestjs/common';
import pg from 'pg';
import { ChannelListener } from '#platform/database/channel-listener.js';
import { freshDatabase } from '../support/test-server.js';

const quiet = new Logger('ChannelListenerTest');
Logger.overrideLogger(['error']);

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The LISTEN session the job queue, the event outbox and the live stream hold: it survives
 * its connection being cut (as by a database restart) without ending the process, tells its
 * owner once, and hears again after the owner's next `ensure()`.
 */
describe('ChannelListener on PostgreSQL', () => {
  let url: string;
  let admin: pg.Client;

  beforeAll(async () => {
    url = await freshDatabase();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(() => admin.end());

  const notify = (payload: string) =>
    admin.query(`SELECT pg_notify('test_channel', $1)`, [payload]);

  it('hears notifications, is told once of a cut session, and hears again after ensure()', async () => {
    const heard: string[] = [];
    let lost = 0;
    const listener = new ChannelListener(
      () => new pg.Client({ connectionString: url, application_name: 'relasi-listener-test' }),
      {
        name: 'relasi-listener-test',
        channel: 'test_channel',
        onNotify: (p) => heard.push(p ?? ''),
        onLost: () => lost++,
        logger: quiet,
      },
    );
    try {
      expect(await listener.ensure()).toBe(true);
      await notify('one');
      await until(() => heard.includes('one'));

      // Cut the session from the server side, as a restart or an administrator would.
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'relasi-listener-test'`,
      );
      expect(rows[0].n).toBe(1);
      await until(() => !listener.listening);
      expect(lost).toBe(1);

      await notify('missed');
      expect(await listener.ensure()).toBe(true);
      await notify('two');
      await until(() => heard.includes('two'));
      expect(heard).toEqual(['one', 'two']);
      expect(lost).toBe(1);
    } finally {
      await listener.close();
    }
    expect(listener.listening).toBe(false);
    expect(await listener.ensure()).toBe(false);
  });

  it('reports why it cannot listen, and logs it once however often it is asked', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) } as unknown as Logger;
    const listener = new ChannelListener(
      () =>
        new pg.Client({ connectionString: url.replace(/\/[^/?]+(\?|$)/, '/no_such_database$1') }),
      { name: 'relasi-listener-test', channel: 'test_channel', onNotify: () => undefined, logger },
    );
    expect(await listener.ensure()).toBe(false);
    expect(await listener.ensure()).toBe(false);
    await expect(listener.require()).rejects.toThrow(/no_such_database/);
    expect(warnings).toHaveLength(1);
    await listener.close();
  });
});
