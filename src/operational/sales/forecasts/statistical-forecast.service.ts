import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { Money, roundMoney } from '#platform/currency/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { SqlParams } from '#platform/query/index.js';
import type { StatisticalForecastDto } from './dto/forecast.dto.js';
import { periodOf, periodsAfter, periodsBefore, todayIn } from './forecast-periods.js';
import { parseStatisticalRequest } from './forecast-request.js';
import { ForecastSource, presentMissing, type MissingRateRow } from './forecast-source.js';
import { fitLine, MIN_POINTS, predict } from './linear-regression.js';

const CONFIDENCE = 0.95;
const UNITS = {
  month: { en: 'months', id: 'bulan' },
  quarter: { en: 'quarters', id: 'kuartal' },
} as const;

interface HistoryResult {
  first_day: string | null;
  won: { start: string; amount: string | null }[];
  missing: MissingRateRow[];
}

/**
 * A trend of won amounts: ordinary least squares over the won amount of each past period
 * (empty periods count as 0), with a prediction interval for each coming period. History
 * ends with the last whole period before `asOf` and starts no earlier than the period of the
 * first won opportunity, since the months before anyone used the CRM would read as zero sales.
 */
@Injectable()
export class StatisticalForecastService {
  constructor(
    private readonly db: DatabaseService,
    private readonly source: ForecastSource,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async forecast(
    ctx: RequestContext,
    query: Record<string, unknown>,
  ): Promise<StatisticalForecastDto> {
    const request = parseStatisticalRequest(query, todayIn(this.config.organization.timeZone));
    const { period } = request;
    const window = periodsBefore(period, request.asOf, request.history);
    const last = window[window.length - 1];
    const params = new SqlParams();
    const rows = this.source.rowsSql(
      ctx,
      {
        filters: request.filters,
        statuses: ['won'],
        from: null,
        to: last.end,
        groupBy: null,
        uses: ['amount', 'expectedCloseDate'],
      },
      params,
    );
    const [result] = await this.db.query<HistoryResult>(
      ctx,
      `WITH f AS (${rows}),
       w AS (SELECT * FROM f WHERE f.day >= ${params.add(window[0].start)}::date),
       won AS (
         SELECT to_char(date_trunc('${period}', w.day), 'YYYY-MM-DD') AS start, sum(w.value)::text AS amount
           FROM w GROUP BY 1),
       missing AS (${this.source.missingRatesSql('w')})
       SELECT (SELECT min(f.day)::text FROM f) AS first_day,
              (SELECT coalesce(json_agg(won), '[]') FROM won) AS won,
              (SELECT coalesce(json_agg(missing ORDER BY missing.currency), '[]') FROM missing) AS missing`,
      params.values,
    );
    const used = result.first_day
      ? window.filter((p) => p.end >= periodOf(period, result.first_day!).start)
      : [];
    if (used.length < MIN_POINTS)
      throw new AppError('insufficient_history', {
        periods: used.length,
        unit: UNITS[period].en,
        unitId: UNITS[period].id,
        until: last.end,
        required: MIN_POINTS,
      });
    const wonIn = new Map(result.won.map((r) => [periodOf(period, r.start).key, r.amount]));
    const actual = used.map((p) => new Money(wonIn.get(p.key) ?? 0));
    const fit = fitLine(actual);
    const currency = this.source.reportingCurrency;
    const money = (v: Money) => roundMoney(v, currency);
    // A period cannot win less than nothing, whatever a falling line says.
    const floor = (v: Money) => money(Money.max(v, 0));
    return {
      reportingCurrency: currency,
      period,
      asOf: request.asOf,
      history: request.history,
      horizon: request.horizon,
      periodsUsed: used.length,
      slope: money(fit.slope),
      intercept: money(fit.intercept),
      rSquared: fit.rSquared === null ? null : fit.rSquared.toDecimalPlaces(6).toNumber(),
      standardError: money(fit.standardError),
      confidence: CONFIDENCE,
      points: used.map((p, i) => ({
        ...p,
        actual: money(actual[i]),
        fitted: money(fit.fitted[i]),
      })),
      predictions: periodsAfter(period, last, request.horizon).map((p, i) => {
        const prediction = predict(fit, used.length + 1 + i, CONFIDENCE);
        return {
          ...p,
          predicted: floor(prediction.value),
          lower: floor(prediction.lower),
          upper: floor(prediction.upper),
        };
      }),
      missingRates: result.missing.map(presentMissing),
    };
  }
}
