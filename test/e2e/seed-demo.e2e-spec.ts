import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freshDatabase } from '../support/test-server.js';

const run = promisify(execFile);

/** `npm run seed:demo` at a small size: reproducible, long-tailed, written once. */
describe('seed:demo', () => {
  const seed = (url: string, ...args: string[]) =>
    run(process.execPath, [join(process.cwd(), 'dist/scripts/seed-demo.js'), ...args], {
      env: { ...process.env, DATABASE_URL: url },
    });
  const fingerprint = async (url: string) => {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ orders: string; lines: string; values: string }>(
        `SELECT (SELECT md5(string_agg(id::text || status || ordered_at::text || total_amount::text, ',' ORDER BY id)) FROM orders) AS orders,
                (SELECT md5(string_agg(id::text || quantity::text || net_amount::text, ',' ORDER BY id)) FROM order_lines) AS lines,
                (SELECT count(*) FROM analytics_customer_values)::text AS values`,
      );
      return rows[0];
    } finally {
      await db.end();
    }
  };
  const args = ['--customers', '300', '--seed', '7', '--until', '2026-06-30'];

  it('writes the same history for the same seed and day, another for another seed', async () => {
    const [a, b, c] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
    const first = await seed(a, ...args);
    const report = JSON.parse(first.stdout) as Record<string, number>;
    expect(report).toMatchObject({ customers: 300, seed: 7 });
    expect(report.orders).toBeGreaterThan(300);
    expect(report.lines).toBeGreaterThan(report.orders);
    await seed(b, ...args);
    await seed(c, '--customers', '300', '--seed', '8', '--until', '2026-06-30');
    const [fa, fb, fc] = [await fingerprint(a), await fingerprint(b), await fingerprint(c)];
    expect(fa).toEqual(fb);
    expect(fa.orders).not.toBe(fc.orders);
    // The analytics read model is filled: every customer with a live order has its values.
    expect(Number(fa.values)).toBeGreaterThan(200);

    const again = await seed(a, ...args);
    expect(again.stderr).toMatch(/already holds demo data/);
    expect(await fingerprint(a)).toEqual(fa);

    // Long tail: the top fifth of customers by revenue brings more than half of it.
    const db = new pg.Client({ connectionString: a });
    await db.connect();
    try {
      const { rows } = await db.query<{ share: string }>(
        `SELECT sum(revenue) FILTER (WHERE rank <= ceil(n * 0.2)) / sum(revenue) AS share
           FROM (SELECT revenue, row_number() OVER (ORDER BY revenue DESC) AS rank, count(*) OVER () AS n
                   FROM analytics_customer_values) v`,
      );
      expect(Number(rows[0].share)).toBeGreaterThan(0.5);
    } finally {
      await db.end();
    }
  });

  it('rejects unknown options', async () => {
    const url = await freshDatabase();
    await expect(seed(url, '--customers', 'many')).rejects.toMatchObject({
      stderr: expect.stringMatching(/unknown option or bad value: --customers many/),
    });
  });
});
