import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import pg, { type Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager, type QueryResult } from 'typeorm';
import type { RequestContext } from '#platform/context/request-context.js';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { ChannelListener, type ChannelListenerOptions } from './channel-listener.js';
import { ReadReplica } from './read-replica.js';

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function arrayLiteral(items: readonly unknown[]): string {
  const element = (e: unknown) =>
    e === null || e === undefined
      ? 'NULL'
      : `"${(typeof e === 'object' ? JSON.stringify(e) : String(e)).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return `{${items.map(element).join(',')}}`;
}

/** One value in COPY's text format: `\N` for null, special characters escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = Array.isArray(value)
    ? arrayLiteral(value)
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]);
}

/** Whose writes a context's reads must see: the signed-in user's. */
function writerOf(ctx: RequestContext): string | null {
  return ctx.principal?.userId ?? null;
}

/** Errors of the replica itself (gone, shutting down, a statement cancelled by replay), not of the SQL. */
function servedElsewhere(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P') || isRecoveryConflict(err);
}

function isRecoveryConflict(err: unknown): boolean {
  return (err as { code?: unknown }).code === '40001';
}

/**
 * The only door to SQL. Statements run on the context's transaction when there is one, so a
 * repository never has to know whether it is part of a larger unit of work.
 */
@Injectable()
export class DatabaseService {
  private readonly logger = new Logger('Database');
  /** Work waiting for the commit of each open transaction, by its EntityManager. */
  private readonly committing = new WeakMap<EntityManager, (() => Promise<void>)[]>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(ENV) private readonly env?: Env,
    // Optional: a DatabaseService made by hand (a test, a script) reads from the primary only.
    @Optional() @Inject(ReadReplica) private readonly replica?: ReadReplica,
  ) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  manager(ctx: RequestContext): EntityManager {
    return ctx.manager ?? this.dataSource.manager;
  }

  /** Rows of any statement, UPDATE … RETURNING included (TypeORM's plain query() pairs those with a count). */
  async query<T = Record<string, unknown>>(
    ctx: RequestContext,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const runner = this.manager(ctx).queryRunner;
    if (runner) return ((await runner.query(sql, params, true)) as QueryResult<T>).records;
    // Outside a transaction a statement goes straight to the pool: a query runner per read
    // costs more than many of the reads themselves.
    const result = await this.pool.query(sql, params);
    return result.rows as T[];
  }

  /**
   * A read that the read replica may serve (lists, timelines, reports, analytics): on the
   * context's transaction when there is one, else on the replica when it has applied
   * everything the reader wrote, else on the primary. See ReadReplica.
   */
  async read<T = Record<string, unknown>>(
    ctx: RequestContext,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    if (!this.replica?.configured || this.manager(ctx).queryRunner)
      return this.query<T>(ctx, sql, params);
    const pool = await this.replica.poolFor(writerOf(ctx));
    if (!pool) return this.query<T>(ctx, sql, params);
    try {
      return (await pool.query(sql, params)).rows as T[];
    } catch (err) {
      if (!servedElsewhere(err)) throw err;
      if (!isRecoveryConflict(err)) this.replica.markDown(err);
      return this.query<T>(ctx, sql, params);
    }
  }

  async one<T = Record<string, unknown>>(
    ctx: RequestContext,
    sql: string,
    params: unknown[] = [],
  ): Promise<T | null> {
    const rows = await this.query<T>(ctx, sql, params);
    return rows[0] ?? null;
  }

  /** Runs `work` in a transaction, joining the caller's when one is already open. */
  async transaction<T>(ctx: RequestContext, work: (tx: RequestContext) => Promise<T>): Promise<T> {
    if (ctx.manager?.queryRunner?.isTransactionActive) return work(ctx);
    const pending: (() => Promise<void>)[] = [];
    const result = await this.dataSource.transaction((manager) => {
      this.committing.set(manager, pending);
      return work(ctx.withManager(manager));
    });
    // Where the WAL stands after this commit: the writer's later reads wait for a replica that has it.
    const writer = writerOf(ctx);
    if (this.replica?.configured && writer) {
      const [{ lsn }] = (
        await this.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
      ).rows;
      this.replica.noteCommit(writer, lsn);
    }
    for (const task of pending) {
      try {
        await task();
      } catch (err) {
        this.logger.error('work after commit failed; the committed change stands', err);
      }
    }
    return result;
  }

  /**
   * Runs `task` once the context's transaction has committed (never when it rolls back);
   * outside a transaction, at once.
   */
  async afterCommit(ctx: RequestContext, task: () => Promise<void>): Promise<void> {
    const pending = ctx.manager && this.committing.get(ctx.manager);
    if (pending && ctx.manager?.queryRunner?.isTransactionActive) pending.push(task);
    else await task();
  }

  /**
   * A `COPY … FROM STDIN` stream on the context's transaction, for loading many rows at the
   * speed of COPY (CSV imports stage their files this way). The statement ends when the
   * stream finishes; nothing else may run on the transaction until then.
   */
  async copyFrom(ctx: RequestContext, sql: string): Promise<Writable> {
    const runner = ctx.manager?.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('copyFrom needs a transaction');
    const client = (await runner.connect()) as PoolClient;
    return client.query(copyFrom(sql));
  }

  /**
   * Writes rows into a table with COPY (text format) on the context's transaction: the
   * fastest way PostgreSQL takes many rows. Values as for `query` (arrays become array
   * literals, objects JSON); columns left out take their defaults.
   */
  async copyRows(
    ctx: RequestContext,
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
  ): Promise<void> {
    if (rows.length === 0) return;
    // Built before the statement begins, so that the database is not kept waiting on it.
    const text = rows.map((r) => r.map(copyText).join('\t')).join('\n');
    const stream = await this.copyFrom(ctx, `COPY ${table} (${columns.join(', ')}) FROM STDIN`);
    // All rows in one write; finished() settles once the server has taken them or refused them.
    stream.end(`${text}\n`);
    await finished(stream);
  }

  /**
   * A LISTEN session of its own, outside the pool: to PostgreSQL itself (DATABASE_DIRECT_URL)
   * when the pool goes through a transaction-mode pooler, where LISTEN would not hold.
   */
  channelListener(options: ChannelListenerOptions): ChannelListener {
    const url = this.env?.databaseDirectUrl ?? (this.dataSource.options as { url?: string }).url;
    return new ChannelListener(
      () => new pg.Client({ connectionString: url, application_name: options.name }),
      options,
    );
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
