import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryResult } from 'typeorm';
import type { RequestContext } from '../context/request-context.js';

/**
 * The only door to SQL. Statements run on the context's transaction when there is one, so a
 * repository never has to know whether it is part of a larger unit of work.
 */
@Injectable()
export class DatabaseService {
  constructor(private readonly dataSource: DataSource) {}

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
    const own = this.dataSource.createQueryRunner();
    try {
      return ((await own.query(sql, params, true)) as QueryResult<T>).records;
    } finally {
      await own.release();
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
