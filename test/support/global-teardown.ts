import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { relasiTestDb?: { stop(): Promise<void> } }).relasiTestDb;
  await db?.stop();
  const info = process.env.RELASI_TEST_CLUSTER
    ? (JSON.parse(process.env.RELASI_TEST_CLUSTER) as { root: string })
    : null;
  if (info) rmSync(info.root, { recursive: true, force: true });
}
