import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { UUID_PATTERN } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { renderProblem } from '#platform/http/problem-renderer.js';

/**
 * What a bulk request does with each item: `check…` reads the item's fields without touching
 * the database (throwing its problem), the write applies the checked input on `ctx`.
 */
export interface BulkHandlers<C = unknown, U = unknown> {
  checkCreate(item: Record<string, unknown>): Promise<C>;
  create(ctx: RequestContext, input: C): Promise<{ id: string }>;
  checkUpdate(item: Record<string, unknown>): Promise<U>;
  update(
    ctx: RequestContext,
    id: string,
    version: number | undefined,
    input: U,
  ): Promise<{ id: string }>;
}

export interface BulkResult {
  index: number;
  status: number;
  id?: string;
  error?: Record<string, unknown>;
}

/** An item that passed its checks, and the write that applies it. */
interface CheckedItem {
  index: number;
  status: 200 | 201;
  write(ctx: RequestContext): Promise<{ id: string }>;
}

/**
 * Runs a bulk request so that each item stands or falls alone, and the answer lists every
 * item's fate. Items are checked first, without the database; those that pass are written
 * together in one transaction, one commit for the lot. Should any of them fail there, that
 * transaction is rolled back whole and each is written again in its own, so one bad item
 * answers its own problem and the others still land. (Savepoints would keep the one
 * transaction, but a thousand subtransactions slow every other session's visibility checks.)
 */
@Injectable()
export class BulkExecutor {
  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async run<C, U>(
    ctx: RequestContext,
    req: FastifyRequest,
    body: unknown,
    maxItems: number,
    handlers: BulkHandlers<C, U>,
  ): Promise<{ results: BulkResult[] }> {
    const { operation, items } = this.request(body, maxItems);
    const results: BulkResult[] = [];
    const checked: CheckedItem[] = [];
    for (const [index, item] of items.entries()) {
      try {
        checked.push(await this.check(index, item, operation, handlers));
      } catch (err) {
        results.push(this.failure(req, index, err));
      }
    }
    const together = await this.writeTogether(ctx, checked);
    if (together) results.push(...together);
    else
      for (const item of checked) {
        try {
          const written = await item.write(ctx);
          results.push({ index: item.index, status: item.status, id: written.id });
        } catch (err) {
          results.push(this.failure(req, item.index, err));
        }
      }
    return { results: results.sort((a, b) => a.index - b.index) };
  }

  private request(body: unknown, maxItems: number): { operation: string; items: unknown[] } {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw AppError.field('(body)', 'isObject', 'must be a JSON object');
    const { operation = 'create', items, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length)
      throw AppError.validation(
        unknown.map((k) => ({ field: k, rule: 'unknownField', message: 'is not a known field' })),
      );
    if (operation !== 'create' && operation !== 'update') {
      throw AppError.field('operation', 'isIn', 'must be one of: create, update', {
        values: 'create, update',
      });
    }
    if (!Array.isArray(items)) throw AppError.field('items', 'isArray', 'must be an array');
    if (items.length === 0)
      throw AppError.field('items', 'arrayMinSize', 'must have at least 1 items', { min: 1 });
    if (items.length > maxItems)
      throw AppError.field('items', 'arrayMaxSize', `must have at most ${maxItems} items`, {
        max: maxItems,
      });
    return { operation, items };
  }

  private async check<C, U>(
    index: number,
    item: unknown,
    operation: string,
    handlers: BulkHandlers<C, U>,
  ): Promise<CheckedItem> {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw AppError.field(`items[${index}]`, 'isObject', 'must be an object');
    if (operation === 'create') {
      const input = await handlers.checkCreate(item as Record<string, unknown>);
      return { index, status: 201, write: (ctx) => handlers.create(ctx, input) };
    }
    const { id, version, ...fields } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !UUID_PATTERN.test(id))
      throw AppError.field('id', 'isUuid', 'must be a UUID');
    if (version !== undefined && (!Number.isInteger(version) || (version as number) < 1))
      throw AppError.field('version', 'isInt', 'must be a whole number');
    const input = await handlers.checkUpdate(fields);
    return {
      index,
      status: 200,
      write: (ctx) => handlers.update(ctx, id.toLowerCase(), version as number | undefined, input),
    };
  }

  /** Every checked item written in one transaction, or null when one failed and none was. */
  private async writeTogether(
    ctx: RequestContext,
    checked: CheckedItem[],
  ): Promise<BulkResult[] | null> {
    if (checked.length < 2) return null;
    try {
      return await this.db.transaction(ctx, async (tx) => {
        const done: BulkResult[] = [];
        for (const item of checked)
          done.push({ index: item.index, status: item.status, id: (await item.write(tx)).id });
        return done;
      });
    } catch {
      return null;
    }
  }

  private failure(req: FastifyRequest, index: number, err: unknown): BulkResult {
    const problem = renderProblem(
      err,
      req,
      this.config.organization.defaultLocale,
      this.env.bodyLimitBytes,
    );
    if (problem.unexpected) req.log.error({ err, index }, 'bulk item failed unexpectedly');
    return { index, status: problem.status, error: problem.body };
  }
}
