import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type EntityManager, type QueryResult } from 'typeorm';
import type { RequestContext } from '../context/request-context.js';

/**
 * The only door to SQL. Statements run on the context's transaction when there is one, so a
 * repository never has to know whether it is part of a larger unit of work.
 */
@Injectable()
export class DatabaseService {
  constructor(private readonly dataSource: DataSource) {}

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
    return this.dataSource.transaction((manager) => work(ctx.withManager(manager)));
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
