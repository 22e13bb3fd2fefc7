import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { UUID_PATTERN } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { renderProblem } from '#platform/http/problem-renderer.js';

export interface BulkHandlers {
  create(item: Record<string, unknown>): Promise<{ id: string }>;
  update(
    id: string,
    version: number | undefined,
    item: Record<string, unknown>,
  ): Promise<{ id: string }>;
}

export interface BulkResult {
  index: number;
  status: number;
  id?: string;
  error?: Record<string, unknown>;
}

/**
 * Runs a bulk request item by item. Each item is its own transaction, so one bad item
 * answers its own problem and the others still land; the answer lists every item's fate.
 */
@Injectable()
export class BulkExecutor {
  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async run(
    _ctx: RequestContext,
    req: FastifyRequest,
    body: unknown,
    maxItems: number,
    handlers: BulkHandlers,
  ): Promise<{ results: BulkResult[] }> {
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
    const results: BulkResult[] = [];
    for (const [index, item] of items.entries()) {
      try {
        if (!item || typeof item !== 'object' || Array.isArray(item))
          throw AppError.field(`items[${index}]`, 'isObject', 'must be an object');
        if (operation === 'create') {
          const created = await handlers.create(item as Record<string, unknown>);
          results.push({ index, status: 201, id: created.id });
        } else {
          const { id, version, ...fields } = item as Record<string, unknown>;
          if (typeof id !== 'string' || !UUID_PATTERN.test(id))
            throw AppError.field('id', 'isUuid', 'must be a UUID');
          if (version !== undefined && (!Number.isInteger(version) || (version as number) < 1))
            throw AppError.field('version', 'isInt', 'must be a whole number');
          const updated = await handlers.update(
            id.toLowerCase(),
            version as number | undefined,
            fields,
          );
          results.push({ index, status: 200, id: updated.id });
        }
      } catch (err) {
        const problem = renderProblem(
          err,
          req,
          this.config.organization.defaultLocale,
          this.env.bodyLimitBytes,
        );
        if (problem.unexpected) req.log.error({ err, index }, 'bulk item failed unexpectedly');
        results.push({ index, status: problem.status, error: problem.body });
      }
    }
    return { results };
  }
}
