import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import type { ForecastGroupDto, WeightedForecastDto } from './dto/forecast.dto.js';
import { ForecastFigures, type FigureRow } from './forecast-figures.js';
import { periodOf, periodsBetween } from './forecast-periods.js';
import { MAX_GROUPS, parseWeightedRequest } from './forecast-request.js';
import { ForecastSource, presentMissing, type MissingRateRow } from './forecast-source.js';

/** Fields a weighted forecast is computed from. */
const USES = ['amount', 'probability', 'forecastCategory', 'expectedCloseDate'] as const;

/** Groups in key order, opportunities without a team last. */
const byKey = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * The weighted pipeline forecast: per period (and group), what is won and what is open per
 * forecast category, converted and summed by the database, rounded once at the end.
 */
@Injectable()
export class WeightedForecastService {
  constructor(
    private readonly db: DatabaseService,
    private readonly source: ForecastSource,
  ) {}

  async forecast(
    ctx: RequestContext,
    query: Record<string, unknown>,
  ): Promise<WeightedForecastDto> {
    const request = parseWeightedRequest(query);
    const params = new SqlParams();
    const rows = this.source.rowsSql(
      ctx,
      {
        filters: request.filters,
        statuses: ['open', 'won'],
        from: request.from,
        to: request.to,
        groupBy: request.groupBy,
        uses: USES,
      },
      params,
    );
    const [result] = await this.db.query<{ figures: FigureRow[]; missing: MissingRateRow[] }>(
      ctx,
      `WITH f AS (${rows}),
       figures AS (
         SELECT to_char(date_trunc('${request.period}', f.day), 'YYYY-MM-DD') AS start, f.grp,
                CASE WHEN f.status = 'won' THEN 'won' ELSE f.category END AS bucket,
                count(*) FILTER (WHERE f.value IS NOT NULL OR f.no_amount)::int AS n,
                count(*) FILTER (WHERE f.value IS NULL AND NOT f.no_amount)::int AS unconverted,
                sum(f.value)::text AS amount,
                sum(f.value * f.probability / 100)::text AS weighted
           FROM f GROUP BY 1, 2, 3),
       missing AS (${this.source.missingRatesSql('f')})
       SELECT (SELECT coalesce(json_agg(figures), '[]') FROM figures) AS figures,
              (SELECT coalesce(json_agg(missing ORDER BY missing.currency), '[]') FROM missing) AS missing`,
      params.values,
    );
    const currency = this.source.reportingCurrency;
    const keyOf = (row: FigureRow) => periodOf(request.period, row.start).key;
    const groups = request.groupBy
      ? [...new Set(result.figures.map((r) => r.grp))].sort(byKey)
      : [];
    if (groups.length > MAX_GROUPS)
      throw AppError.field('groupBy', 'max', `may give at most ${MAX_GROUPS} groups`, {
        messages: {
          en: `grouping by ${request.groupBy} gives ${groups.length} groups; at most ${MAX_GROUPS} are allowed: filter by pipeline, team or owner`,
          id: `pengelompokan menurut ${request.groupBy} menghasilkan ${groups.length} kelompok; paling banyak ${MAX_GROUPS}: saring menurut pipeline, tim, atau pemilik`,
        },
      });
    const slice = (rows: FigureRow[]) => ({
      ...sum(rows).toDto(currency),
      groups: groups.map((key): ForecastGroupDto => ({
        key,
        ...sum(rows.filter((r) => r.grp === key)).toDto(currency),
      })),
    });
    return {
      reportingCurrency: currency,
      period: request.period,
      from: request.from,
      to: request.to,
      groupBy: request.groupBy,
      periods: periodsBetween(request.period, request.from, request.to).map((p) => ({
        ...p,
        ...slice(result.figures.filter((r) => keyOf(r) === p.key)),
      })),
      total: slice(result.figures),
      missingRates: result.missing.map(presentMissing),
    };
  }
}

function sum(rows: FigureRow[]): ForecastFigures {
  return rows.reduce((f, r) => f.add(r), new ForecastFigures());
}
