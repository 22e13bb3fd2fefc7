import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { Principal, Scope, RequestContext } from '#platform/context/index.js';
import { DatabaseService, UUID_PATTERN } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import type { BoardAmountDto, BoardDto } from '../pipelines/dto/pipeline.dto.js';
import { PipelineCatalog } from '../pipelines/pipeline-catalog.js';
import { toPipelineDto } from '../pipelines/pipelines.service.js';
import { OPPORTUNITY_DEFINITION } from './opportunity.definition.js';

interface BoardRow {
  stage: string | null;
  currency: string | null;
  n: number;
  amount: string | null;
  weighted: string | null;
}

const BOARD_FILTERS = ['ownerId', 'teamId'] as const;

/**
 * The pipeline board: per stage, how many opportunities the caller may read and what they
 * add up to per currency, from one GROUP BY (with grouping sets for the board's totals) over
 * the running totals of opportunity_board_deltas (one row per pipeline, stage, currency,
 * owner and team once folded), restricted by the same scope predicate as every list.
 */
@Injectable()
export class OpportunityBoardService {
  constructor(
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly catalog: PipelineCatalog,
  ) {}

  async board(ctx: RequestContext, key: string, query: Record<string, unknown>): Promise<BoardDto> {
    const principal = ctx.user;
    const scope = this.permissions.require(principal, 'opportunities', 'read');
    const pipeline = this.catalog.get(key);
    const statement = boardStatement(
      this.permissions,
      principal,
      scope,
      pipeline.key,
      parseBoardFilters(query),
    );
    const rows = await this.db.query<BoardRow>(ctx, statement.sql, statement.params);
    const amountHidden = this.permissions.hiddenFields(principal, 'opportunities').has('amount');
    const of = (stage: string | null) => rows.filter((r) => r.stage === stage);
    const sum = (group: BoardRow[]) => group.reduce((n, r) => n + r.n, 0);
    const amounts = (group: BoardRow[]): BoardAmountDto[] =>
      amountHidden
        ? []
        : group
            .filter((r) => r.currency !== null)
            .map((r) => ({
              currency: r.currency!.trim(),
              amount: r.amount ?? '0',
              weighted: r.weighted ?? '0',
            }))
            .sort((a, b) => a.currency.localeCompare(b.currency));
    const view = toPipelineDto(ctx, pipeline);
    return {
      pipeline: view.key,
      label: view.label,
      stages: view.stages.map((s) => ({
        ...s,
        count: sum(of(s.key)),
        amounts: amounts(of(s.key)),
      })),
      count: sum(of(null)),
      amounts: amounts(of(null)),
    };
  }
}

/**
 * The board's one statement (exported so the benchmark runs exactly what the API runs): sums
 * of the running totals the opportunities trigger keeps, under the scope of every list.
 */
export function boardStatement(
  permissions: PermissionEvaluator,
  principal: Principal,
  scope: Scope,
  pipeline: string,
  filters: BoardFilters,
): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const where = [
    `o.pipeline = ${params.add(pipeline)}`,
    permissions.scopeSql(principal, scope, querySchemaOf(OPPORTUNITY_DEFINITION), 'o', params),
  ];
  if (filters.ownerId) where.push(`o.owner_id = ${params.add(filters.ownerId)}::uuid`);
  if (filters.teamId) where.push(`o.team_id = ${params.add(filters.teamId)}::uuid`);
  return {
    sql: `SELECT CASE WHEN grouping(o.stage) = 0 THEN o.stage END AS stage,
              o.currency,
              sum(o.n)::int AS n,
              sum(o.amount)::text AS amount,
              trim_scale(sum(o.weighted) / 100)::text AS weighted
         FROM opportunity_board_deltas o
        WHERE ${where.join(' AND ')}
        GROUP BY GROUPING SETS ((o.stage, o.currency), (o.currency))
       HAVING sum(o.n) <> 0`,
    params: params.values,
  };
}

type BoardFilters = { ownerId?: string; teamId?: string };

function parseBoardFilters(query: Record<string, unknown>): BoardFilters {
  const out: BoardFilters = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(BOARD_FILTERS as readonly string[]).includes(name))
      throw new AppError('invalid_query', {}, [
        { field: name, rule: 'unknownField', message: 'is not a known parameter' },
      ]);
    if (typeof value !== 'string' || !UUID_PATTERN.test(value))
      throw new AppError('invalid_query', {}, [
        { field: name, rule: 'isUuid', message: 'must be a UUID' },
      ]);
    out[name as (typeof BOARD_FILTERS)[number]] = value.toLowerCase();
  }
  return out;
}
