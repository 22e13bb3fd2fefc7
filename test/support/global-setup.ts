import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One throw-away PostgreSQL cluster for the whole run, with a migrated template database;
 * every test file clones the template into a fresh database of its own.
 */
export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'relasi-test-'));
  const port = await freePort();
  const dist = join(process.cwd(), 'dist');
  const { startEmbeddedDatabase } = (await import(
    join(dist, 'src/platform/database/embedded-database.js')
  )) as typeof import('#platform/database/embedded-database.js');
  const { parseEnv } = (await import(
    join(dist, 'src/platform/config/env.js')
  )) as typeof import('#platform/config/env.js');
  const { dataSourceOptions } = (await import(
    join(dist, 'src/platform/database/data-source-options.js')
  )) as typeof import('#platform/database/data-source-options.js');
  const { migrate } = (await import(
    join(dist, 'src/platform/database/migrator.js')
  )) as typeof import('#platform/database/migrator.js');
  const { DataSource } = await import('typeorm');
  const db = await startEmbeddedDatabase({
    dataDir: root,
    port,
    database: 'relasi_template',
    log: () => undefined,
  });
  const ds = new DataSource(dataSourceOptions(parseEnv({}), db.url));
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  const info = { root, url: db.url };
  writeFileSync(join(root, 'cluster.json'), JSON.stringify(info));
  process.env.RELASI_TEST_CLUSTER = JSON.stringify(info);
  (globalThis as { relasiTestDb?: { stop(): Promise<void> } }).relasiTestDb = db;
}
