import { QueryParams } from '#platform/http/index.js';
import { periodCount, PERIOD_KINDS, type PeriodKind } from './forecast-periods.js';

export const GROUP_BYS = ['owner', 'team', 'pipeline'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Longest range of one weighted forecast: three years of months. */
export const MAX_PERIODS = 36;
export const HISTORY = { min: 3, max: 60, default: 12 } as const;
export const HORIZON = { min: 1, max: 24, default: 3 } as const;
/** Most groups one forecast answers, so that groups × periods stays a readable response. */
export const MAX_GROUPS = 500;
/** Opportunities a missing rate names as examples. */
export const MISSING_RATE_SAMPLE = 10;

export interface ForecastFilters {
  pipeline?: string;
  ownerId?: string;
  teamId?: string;
}

export interface WeightedRequest {
  period: PeriodKind;
  from: string;
  to: string;
  groupBy: GroupBy | null;
  filters: ForecastFilters;
}

export interface StatisticalRequest {
  period: PeriodKind;
  history: number;
  horizon: number;
  asOf: string;
  filters: ForecastFilters;
}

const FILTERS = ['pipeline', 'ownerId', 'teamId'] as const;

function filtersOf(params: QueryParams): ForecastFilters {
  const pipeline = params.text('pipeline');
  if (pipeline !== undefined && !/^[a-z][a-z0-9_]{0,49}$/.test(pipeline))
    params.fail('pipeline', 'matches', 'must be a pipeline key');
  return { pipeline, ownerId: params.uuid('ownerId'), teamId: params.uuid('teamId') };
}

/** `?period=month|quarter&from=&to=&groupBy=&pipeline=&ownerId=&teamId=`; from and to are required. */
export function parseWeightedRequest(query: Record<string, unknown>): WeightedRequest {
  const params = new QueryParams(query, ['period', 'from', 'to', 'groupBy', ...FILTERS]);
  const period = params.oneOf('period', PERIOD_KINDS, 'month');
  const from = params.date('from', true);
  const to = params.date('to', true);
  const groupBy = params.oneOf('groupBy', GROUP_BYS, null);
  const filters = filtersOf(params);
  if (from && to && period) {
    if (to < from)
      params.fail('to', 'min', 'must not be before from', {
        messages: {
          en: `must not be before from (${from})`,
          id: `tidak boleh sebelum from (${from})`,
        },
      });
    else if (periodCount(period, from, to) > MAX_PERIODS)
      params.fail('to', 'max', `the range may cover at most ${MAX_PERIODS} periods`, {
        messages: {
          en: `the range covers ${periodCount(period, from, to)} ${period}s; at most ${MAX_PERIODS} are allowed`,
          id: `rentang mencakup ${periodCount(period, from, to)} periode; paling banyak ${MAX_PERIODS}`,
        },
      });
  }
  params.done();
  return { period: period!, from: from!, to: to!, groupBy: groupBy ?? null, filters };
}

/** `?period=&history=&horizon=&asOf=&pipeline=&ownerId=&teamId=`; asOf defaults to `today`. */
export function parseStatisticalRequest(
  query: Record<string, unknown>,
  today: string,
): StatisticalRequest {
  const params = new QueryParams(query, ['period', 'history', 'horizon', 'asOf', ...FILTERS]);
  const period = params.oneOf('period', PERIOD_KINDS, 'month');
  const history = params.integer('history', HISTORY.min, HISTORY.max, HISTORY.default);
  const horizon = params.integer('horizon', HORIZON.min, HORIZON.max, HORIZON.default);
  const asOf = params.date('asOf', false) ?? today;
  const filters = filtersOf(params);
  params.done();
  return { period: period!, history: history!, horizon: horizon!, asOf, filters };
}
