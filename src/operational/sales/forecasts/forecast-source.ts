import { Inject, Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { FORECASTING_CONFIG } from './forecasting.config.js';
import type { RequestContext } from '#platform/context/index.js';
import { convertedAmountSql, rateLookupSql, roundMoney } from '#platform/currency/index.js';
import { AppError } from '#platform/http/index.js';
import type { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { OPPORTUNITY_DEFINITION } from '../opportunities/opportunity.definition.js';
import { PipelineCatalog } from '../pipelines/pipeline-catalog.js';
import type { MissingRateDto } from './dto/forecast.dto.js';
import { MISSING_RATE_SAMPLE, type ForecastFilters, type GroupBy } from './forecast-request.js';

export interface SourceSpec {
  filters: ForecastFilters;
  statuses: readonly ('open' | 'won')[];
  /** First and last day counted; no first day means all history up to `to`. */
  from: string | null;
  to: string;
  groupBy: GroupBy | null;
  /** Opportunity fields the report is computed from: if the caller's role hides one, 403. */
  uses: readonly string[];
}

/** A missing rate as the SQL of missingRatesSql returns it. */
export interface MissingRateRow {
  currency: string;
  earliestDate: string;
  latestDate: string;
  count: number;
  amount: string;
  opportunityIds: string[];
}

/** A missing rate as the API shows it: the amount left out rounded in its own currency. */
export function presentMissing(m: MissingRateRow): MissingRateDto {
  const currency = m.currency.trim();
  return {
    currency,
    earliestDate: m.earliestDate,
    latestDate: m.latestDate,
    count: m.count,
    amount: roundMoney(m.amount, currency),
    opportunityIds: m.opportunityIds,
  };
}

const GROUP_SQL: Record<GroupBy, string> = {
  owner: 'o.owner_id::text',
  team: 'o.team_id::text',
  pipeline: 'o.pipeline',
};
const GROUP_FIELD: Record<GroupBy, string> = {
  owner: 'ownerId',
  team: 'teamId',
  pipeline: 'pipeline',
};

/**
 * The opportunities a forecast counts, one row each, with their amount in the reporting
 * currency: only those inside the caller's read scope, on the day they count on. That day
 * is the expected close date, or for a won opportunity without one the day it was closed
 * (in the organization's time zone); it picks both the period and the exchange rate.
 *
 * Columns: id, grp, day, status, category, probability, currency, amount (own currency),
 * value (reporting currency; NULL when no rate converts it) and no_amount.
 */
@Injectable()
export class ForecastSource {
  constructor(
    private readonly permissions: PermissionEvaluator,
    private readonly catalog: PipelineCatalog,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  get reportingCurrency(): string {
    return FORECASTING_CONFIG.read(this.config).reportingCurrency;
  }

  rowsSql(ctx: RequestContext, spec: SourceSpec, params: SqlParams): string {
    const principal = ctx.user;
    const scope = this.permissions.require(principal, 'opportunities', 'read');
    const hidden = this.permissions.hiddenFields(principal, 'opportunities');
    const uses = [
      ...spec.uses,
      ...(spec.groupBy ? [GROUP_FIELD[spec.groupBy]] : []),
      ...(['pipeline', 'ownerId', 'teamId'] as const).filter((f) => spec.filters[f]),
    ];
    const blocked = uses.find((f) => hidden.has(f));
    if (blocked)
      throw new AppError('report_field_hidden', { field: blocked, entity: 'opportunities' });
    const { pipeline, ownerId, teamId } = spec.filters;
    if (pipeline && !this.catalog.find(pipeline)) {
      const values = this.catalog
        .all()
        .map((p) => p.key)
        .join(', ');
      throw new AppError('invalid_query', {}, [
        {
          field: 'pipeline',
          rule: 'isIn',
          message: `must be one of: ${values}`,
          params: { values },
        },
      ]);
    }
    const tz = `${params.add(this.config.organization.timeZone)}::text`;
    const target = `${params.add(this.reportingCurrency)}::text`;
    const day = `coalesce(o.expected_close_date, (o.closed_at AT TIME ZONE ${tz})::date)`;
    const where = [
      'o.deleted_at IS NULL',
      `o.status = ANY(${params.add(spec.statuses)}::text[])`,
      this.dayRangeSql(spec.from, spec.to, tz, params),
      this.permissions.scopeSql(
        principal,
        scope,
        querySchemaOf(OPPORTUNITY_DEFINITION),
        'o',
        params,
      ),
    ];
    if (pipeline) where.push(`o.pipeline = ${params.add(pipeline)}`);
    if (ownerId) where.push(`o.owner_id = ${params.add(ownerId)}::uuid`);
    if (teamId) where.push(`o.team_id = ${params.add(teamId)}::uuid`);
    return `SELECT o.id, ${spec.groupBy ? GROUP_SQL[spec.groupBy] : 'NULL::text'} AS grp, ${day} AS day,
                   o.status, o.forecast_category AS category, o.probability,
                   o.amount_currency AS currency, o.amount_amount AS amount,
                   ${convertedAmountSql('o.amount_amount', 'o.amount_currency', target, 'fx')} AS value,
                   o.amount_amount IS NULL AS no_amount
              FROM opportunities o
              LEFT JOIN LATERAL ${rateLookupSql('o.amount_currency', day, target)} fx ON true
             WHERE ${where.join(' AND ')}`;
  }

  /** Per currency, what `rows` (rowsSql output) could not convert: left out of every figure. */
  missingRatesSql(rows: string): string {
    return `SELECT m.currency, min(m.day)::text AS "earliestDate", max(m.day)::text AS "latestDate",
                   count(*)::int AS count, sum(m.amount)::text AS amount,
                   (array_agg(m.id ORDER BY m.day, m.id))[1:${MISSING_RATE_SAMPLE}] AS "opportunityIds"
              FROM ${rows} m WHERE m.value IS NULL AND NOT m.no_amount GROUP BY m.currency`;
  }

  /**
   * Written as two conditions rather than one on the computed day, so that each can use its
   * index: the expected close date, and the closing time of undated won opportunities.
   */
  private dayRangeSql(from: string | null, to: string, tz: string, params: SqlParams): string {
    const last = `${params.add(to)}::date`;
    const first = from === null ? null : `${params.add(from)}::date`;
    const dated = first
      ? `o.expected_close_date BETWEEN ${first} AND ${last}`
      : `o.expected_close_date <= ${last}`;
    const closedFrom = first ? `o.closed_at >= (${first}::timestamp AT TIME ZONE ${tz}) AND ` : '';
    return `(${dated} OR (o.expected_close_date IS NULL AND o.status = 'won' AND ${closedFrom}o.closed_at < ((${last} + 1)::timestamp AT TIME ZONE ${tz})))`;
  }
}
