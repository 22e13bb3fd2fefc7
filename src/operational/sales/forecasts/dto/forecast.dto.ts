import { ApiProperty } from '@nestjs/swagger';
import { MAX_CURRENCIES } from '#platform/currency/index.js';
import { PERIOD_KINDS } from '../forecast-periods.js';
import {
  GROUP_BYS,
  HISTORY,
  HORIZON,
  MAX_GROUPS,
  MAX_PERIODS,
  MISSING_RATE_SAMPLE,
} from '../forecast-request.js';

export class CategoryFiguresDto {
  @ApiProperty({ example: 4, description: 'Opportunities counted (those without a rate are not)' })
  count: number;
  @ApiProperty({
    maxLength: 26,
    example: '480000000.00',
    description: 'Sum of their amounts, converted',
  })
  amount: string;
  @ApiProperty({
    maxLength: 26,
    example: '312000000.00',
    description: 'Sum of amount × probability / 100',
  })
  weighted: string;
}

export class ClosedWonFiguresDto {
  @ApiProperty({ example: 2 }) count: number;
  @ApiProperty({ maxLength: 26, example: '250000000.00' }) amount: string;
}

export class ForecastTotalsDto {
  @ApiProperty({ maxLength: 26, example: '500000000.00', description: 'closedWon + commit' })
  commit: string;
  @ApiProperty({
    maxLength: 26,
    example: '730000000.00',
    description: 'closedWon + commit + bestCase',
  })
  bestCase: string;
  @ApiProperty({
    maxLength: 26,
    example: '900000000.00',
    description: 'Every open opportunity not omitted: commit + bestCase + pipeline',
  })
  openPipeline: string;
  @ApiProperty({
    maxLength: 26,
    example: '610000000.00',
    description: 'closedWon + the weighted amounts of commit, bestCase and pipeline',
  })
  weighted: string;
}

/** The figures of one slice (a period, a group, or all of them) in the reporting currency. */
export class ForecastFiguresDto {
  @ApiProperty({ type: CategoryFiguresDto, description: 'Open opportunities in commit only' })
  commit: CategoryFiguresDto;
  @ApiProperty({
    type: CategoryFiguresDto,
    description: 'Open opportunities in best case only (commit is not included; see totals)',
  })
  bestCase: CategoryFiguresDto;
  @ApiProperty({ type: CategoryFiguresDto, description: 'Open opportunities in pipeline only' })
  pipeline: CategoryFiguresDto;
  @ApiProperty({
    type: CategoryFiguresDto,
    description: 'Open opportunities their owner left out of the forecast (not in any total)',
  })
  omitted: CategoryFiguresDto;
  @ApiProperty({ type: ClosedWonFiguresDto, description: 'Won opportunities' })
  closedWon: ClosedWonFiguresDto;
  @ApiProperty({ type: ForecastTotalsDto, description: 'Cumulative forecast figures' })
  totals: ForecastTotalsDto;
  @ApiProperty({
    example: 1,
    description: 'Opportunities left out because no exchange rate converts their amount',
  })
  unconverted: number;
}

export class ForecastGroupDto extends ForecastFiguresDto {
  @ApiProperty({
    maxLength: 200,
    type: String,
    nullable: true,
    example: '0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20',
    description: 'Owner id, team id or pipeline key; null for opportunities without a team',
  })
  key: string | null;
}

export class ForecastSliceDto extends ForecastFiguresDto {
  @ApiProperty({
    type: [ForecastGroupDto],
    maxItems: MAX_GROUPS,
    description: 'Per group when groupBy is given, in key order (every group in every slice)',
  })
  groups: ForecastGroupDto[];
}

export class ForecastPeriodDto extends ForecastSliceDto {
  @ApiProperty({ maxLength: 20, example: '2026-Q1', description: '`YYYY-MM` or `YYYY-Qn`' })
  key: string;
  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'Cut to `from`' })
  start: string;
  @ApiProperty({ format: 'date', example: '2026-03-31', description: 'Cut to `to`' }) end: string;
}

export class MissingRateDto {
  @ApiProperty({ maxLength: 3, example: 'USD' }) currency: string;
  @ApiProperty({
    format: 'date',
    example: '2026-01-15',
    description: 'A rate valid from this day (or earlier) would convert all of them',
  })
  earliestDate: string;
  @ApiProperty({ format: 'date', example: '2026-03-20' }) latestDate: string;
  @ApiProperty({ example: 3, description: 'Opportunities left out' }) count: number;
  @ApiProperty({
    maxLength: 26,
    example: '125000.00',
    description: 'Their amounts, in this currency',
  })
  amount: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    maxItems: MISSING_RATE_SAMPLE,
    description: `Up to ${MISSING_RATE_SAMPLE} of them, earliest first`,
  })
  opportunityIds: string[];
}

export class WeightedForecastDto {
  @ApiProperty({ maxLength: 3, example: 'IDR', description: 'forecasting.reportingCurrency' })
  reportingCurrency: string;
  @ApiProperty({ enum: PERIOD_KINDS }) period: string;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) from: string;
  @ApiProperty({ format: 'date', example: '2026-12-31' }) to: string;
  @ApiProperty({ enum: GROUP_BYS, nullable: true, example: 'owner' }) groupBy: string | null;
  @ApiProperty({
    type: [ForecastPeriodDto],
    maxItems: MAX_PERIODS,
    description: 'Every period of the range, in order',
  })
  periods: ForecastPeriodDto[];
  @ApiProperty({ type: ForecastSliceDto, description: 'The whole range' })
  total: ForecastSliceDto;
  @ApiProperty({
    type: [MissingRateDto],
    maxItems: MAX_CURRENCIES,
    description: 'Amounts no exchange rate converts, per currency: left out, never guessed',
  })
  missingRates: MissingRateDto[];
}

export class FittedPointDto {
  @ApiProperty({ maxLength: 20, example: '2026-03' }) key: string;
  @ApiProperty({ format: 'date', example: '2026-03-01' }) start: string;
  @ApiProperty({ format: 'date', example: '2026-03-31' }) end: string;
  @ApiProperty({
    maxLength: 26,
    example: '1250000000.00',
    description: 'Won in the period (0 when none)',
  })
  actual: string;
  @ApiProperty({
    maxLength: 26,
    example: '1190000000.00',
    description: 'The fitted line at the period',
  })
  fitted: string;
}

export class PredictionDto {
  @ApiProperty({ maxLength: 20, example: '2026-07' }) key: string;
  @ApiProperty({ format: 'date', example: '2026-07-01' }) start: string;
  @ApiProperty({ format: 'date', example: '2026-07-31' }) end: string;
  @ApiProperty({ maxLength: 26, example: '1400000000.00' }) predicted: string;
  @ApiProperty({
    maxLength: 26,
    example: '900000000.00',
    description: 'Lower bound of the prediction interval',
  })
  lower: string;
  @ApiProperty({ maxLength: 26, example: '1900000000.00' }) upper: string;
}

export class StatisticalForecastDto {
  @ApiProperty({ maxLength: 3, example: 'IDR' }) reportingCurrency: string;
  @ApiProperty({ enum: PERIOD_KINDS }) period: string;
  @ApiProperty({
    format: 'date',
    example: '2026-07-15',
    description: 'History ends with the last whole period before this day',
  })
  asOf: string;
  @ApiProperty({ example: 12, description: 'Periods of history asked for' }) history: number;
  @ApiProperty({ example: 3 }) horizon: number;
  @ApiProperty({
    example: 9,
    description: 'Periods fitted: the history from the first period with a won opportunity on',
  })
  periodsUsed: number;
  @ApiProperty({
    maxLength: 40,
    example: '25000000.00',
    description: 'Change of the won amount per period',
  })
  slope: string;
  @ApiProperty({
    maxLength: 40,
    example: '1000000000.00',
    description: 'The line one period before the first',
  })
  intercept: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.8123,
    description: 'Share of the variance explained (0-1); null when every period won the same',
  })
  rSquared: number | null;
  @ApiProperty({ maxLength: 40, example: '150000000.00', description: 'Residual standard error' })
  standardError: string;
  @ApiProperty({ example: 0.95 }) confidence: number;
  @ApiProperty({ type: [FittedPointDto], maxItems: HISTORY.max }) points: FittedPointDto[];
  @ApiProperty({
    type: [PredictionDto],
    maxItems: HORIZON.max,
    description:
      'The next `horizon` periods, the current one first; amounts below zero are shown as 0',
  })
  predictions: PredictionDto[];
  @ApiProperty({ type: [MissingRateDto], maxItems: MAX_CURRENCIES }) missingRates: MissingRateDto[];
}
