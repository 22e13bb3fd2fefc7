import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { EmbeddedDatabase } from '#platform/database/embedded-database.js';

/** Directory entries a base backup leaves out: the running server's own state and its WAL. */
const NOT_COPIED = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot']);

/**
 * A streaming replica of an embedded PostgreSQL, made the way pg_basebackup does it (the
 * embedded package ships no pg_basebackup): a physical replication slot keeps the WAL from
 * the backup's start, the data directory is copied between pg_backup_start() and
 * pg_backup_stop(), and the copy starts as a standby that streams from the primary through
 * that slot. `primaryRoot`/`replicaRoot` are the dataDir given to startEmbeddedDatabase.
 */
export async function startStreamingReplica(options: {
  primaryUrl: string;
  primaryRoot: string;
  replicaRoot: string;
  port: number;
  database: string;
  slot: string;
}): Promise<EmbeddedDatabase> {
  const { startEmbeddedDatabase } = (await import(
    join(process.cwd(), 'dist/src/platform/database/embedded-database.js')
  )) as typeof import('#platform/database/embedded-database.js');
  const source = join(options.primaryRoot, 'postgres');
  const target = join(options.replicaRoot, 'postgres');
  const primary = new URL(options.primaryUrl);
  const client = new pg.Client({ connectionString: options.primaryUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_create_physical_replication_slot($1, true)`, [options.slot]);
    // A backup lasts as long as the session that started it.
    await client.query(`SELECT pg_backup_start($1, true)`, [options.slot]);
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source)) {
      if (NOT_COPIED.has(entry)) continue;
      cpSync(join(source, entry), join(target, entry), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    for (const dir of ['pg_wal/archive_status', 'pg_replslot'])
      mkdirSync(join(target, dir), { recursive: true });
    const { rows } = await client.query<{ labelfile: string }>(
      `SELECT labelfile FROM pg_backup_stop(false)`,
    );
    writeFileSync(join(target, 'backup_label'), rows[0].labelfile);
  } finally {
    await client.end();
  }
  const conninfo = [
    `host=${primary.hostname}`,
    `port=${primary.port}`,
    `user=${decodeURIComponent(primary.username)}`,
    `password=${decodeURIComponent(primary.password)}`,
    `application_name=${options.slot}`,
  ].join(' ');
  appendFileSync(
    join(target, 'postgresql.auto.conf'),
    `\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${options.slot}'\nhot_standby = on\n`,
  );
  writeFileSync(join(target, 'standby.signal'), '');
  copyFileSync(
    join(options.primaryRoot, 'postgres-credentials.json'),
    join(options.replicaRoot, 'postgres-credentials.json'),
  );
  // Run as root, the embedded PostgreSQL runs as "postgres", which must own its data.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', target]);
  execFileSync('chmod', ['700', target]);
  return startEmbeddedDatabase({
    dataDir: options.replicaRoot,
    port: options.port,
    database: options.database,
    log: () => undefined,
  });
}

/** Removes a replica's slot on the primary, so the primary stops keeping WAL for it. */
export async function dropReplicationSlot(primaryUrl: string, slot: string): Promise<void> {
  const client = new pg.Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    await client.query(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`,
      [slot],
    );
  } finally {
    await client.end();
  }
}
