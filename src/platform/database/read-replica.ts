import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';

/** A WAL position (`16/B374D848`) as a number, so that two can be compared. */
export function walPosition(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** How the replica stands for reads: `none` when no DATABASE_READ_URL is set. */
export type ReplicaState = 'none' | 'up' | 'lagging' | 'down' | 'not_a_standby';

interface ReplicaStatus {
  state: ReplicaState;
  /** The last WAL position the replica has applied. */
  replayed: bigint;
  fetchedAt: number;
}

/** A status this fresh is trusted as it is; an older one is asked for again. */
const STATUS_TTL_MS = 20;
/** After a failure the replica is left alone this long; reads go to the primary meanwhile. */
const RETRY_AFTER_MS = 5_000;
/** A writer's position is remembered at most this long; a replica this far behind is not used anyway. */
const WRITE_MEMORY_MS = 60_000;

/**
 * The optional streaming replica (DATABASE_READ_URL) that heavy reads — lists, timelines,
 * reports, analytics — may be served from. A read goes to the replica only when the replica
 * is reachable, is a standby, is at most CRM_READ_REPLICA_MAX_LAG_MS behind, and has applied
 * every transaction its reader committed through this process (each writer's commit position
 * is remembered), so nobody misses their own write. Otherwise, and whenever the replica
 * fails, the read goes to the primary: a replica can make reads cheaper, never wrong.
 */
@Injectable()
export class ReadReplica implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private readonly pool: pg.Pool | null;
  private readonly writes = new Map<string, { position: bigint; at: number }>();
  private status: ReplicaStatus | null = null;
  private fetching: Promise<ReplicaStatus> | null = null;
  private downUntil = 0;
  /** WAL the replica had received but not applied when first seen so: how long it has been behind. */
  private behind: { position: bigint; since: number } | null = null;

  constructor(@Inject(ENV) private readonly env: Env) {
    this.pool = env.databaseReadUrl
      ? new pg.Pool({
          connectionString: env.databaseReadUrl,
          max: env.dbPoolSize,
          statement_timeout: env.statementTimeoutMs,
          application_name: 'relasi-read',
          connectionTimeoutMillis: 2_000,
        })
      : null;
    // An idle client that loses its replica must not take the process down.
    this.pool?.on('error', (err) => this.markDown(err));
  }

  get configured(): boolean {
    return this.pool !== null;
  }

  /** The pool a read by `reader` may use, or null for the primary. */
  async poolFor(reader: string | null): Promise<pg.Pool | null> {
    if (!this.pool || Date.now() < this.downUntil) return null;
    const written = reader ? this.writes.get(reader) : undefined;
    let status = await this.current(STATUS_TTL_MS);
    // Usually the replica is only milliseconds behind a writer: one fresh look before giving up.
    if (written && status.replayed < written.position && status.fetchedAt <= written.at)
      status = await this.current(0);
    if (status.state !== 'up') return null;
    return !written || status.replayed >= written.position ? this.pool : null;
  }

  /** Remembers where the primary's WAL stood after `writer` committed. */
  noteCommit(writer: string, position: string): void {
    this.writes.set(writer, { position: walPosition(position), at: Date.now() });
  }

  /** A connection-level failure of the replica: reads go to the primary for a while. */
  markDown(err: unknown): void {
    if (Date.now() >= this.downUntil)
      this.logger.warn(`replica unavailable, reading from the primary: ${(err as Error).message}`);
    this.downUntil = Date.now() + RETRY_AFTER_MS;
    this.status = null;
  }

  /** For readiness: how the replica stands now. */
  async state(): Promise<ReplicaState> {
    if (!this.pool) return 'none';
    if (Date.now() < this.downUntil) return 'down';
    return (await this.current(STATUS_TTL_MS)).state;
  }

  private current(maxAgeMs: number): Promise<ReplicaStatus> {
    const status = this.status;
    if (status && Date.now() - status.fetchedAt <= maxAgeMs) return Promise.resolve(status);
    this.fetching ??= this.fetch().finally(() => (this.fetching = null));
    return this.fetching;
  }

  private async fetch(): Promise<ReplicaStatus> {
    const fetchedAt = Date.now();
    try {
      const { rows } = await this.pool!.query<{
        standby: boolean;
        replayed: string | null;
        received: string | null;
      }>(
        `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed,
                pg_last_wal_receive_lsn()::text AS received`,
      );
      const row = rows[0];
      const replayed = row.replayed ? walPosition(row.replayed) : 0n;
      const received = row.received ? walPosition(row.received) : 0n;
      // The replica's own clock of commits says nothing while the primary is idle: its lag is
      // how long ago it held WAL it has still not applied.
      if (this.behind && replayed >= this.behind.position) this.behind = null;
      if (!this.behind && received > replayed)
        this.behind = { position: received, since: fetchedAt };
      const lagMs = this.behind ? fetchedAt - this.behind.since : 0;
      let state: ReplicaState;
      if (!row.standby || row.replayed === null) state = 'not_a_standby';
      else if (lagMs <= this.env.readReplicaMaxLagMs) state = 'up';
      else state = 'lagging';
      if (state === 'not_a_standby' && this.status?.state !== state)
        this.logger.error('DATABASE_READ_URL is not a standby of the primary: it serves no reads');
      for (const [writer, w] of this.writes)
        if (w.position <= replayed || fetchedAt - w.at > WRITE_MEMORY_MS)
          this.writes.delete(writer);
      this.status = { state, replayed, fetchedAt };
      return this.status;
    } catch (err) {
      this.markDown(err);
      return { state: 'down', replayed: 0n, fetchedAt };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}
