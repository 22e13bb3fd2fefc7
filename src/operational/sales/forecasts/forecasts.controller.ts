import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { StatisticalForecastDto, WeightedForecastDto } from './dto/forecast.dto.js';
import { PERIOD_KINDS } from './forecast-periods.js';
import { GROUP_BYS, HISTORY, HORIZON, MAX_PERIODS } from './forecast-request.js';
import { StatisticalForecastService } from './statistical-forecast.service.js';
import { WeightedForecastService } from './weighted-forecast.service.js';

/** The narrowing both forecasts take. */
const ApiForecastFilters = () =>
  applyDecorators(
    ApiQuery({
      name: 'period',
      required: false,
      schema: { type: 'string', enum: [...PERIOD_KINDS], default: 'month' },
      example: 'quarter',
    }),
    ApiQuery({
      name: 'pipeline',
      required: false,
      schema: { type: 'string', maxLength: 100 },
      example: 'sales',
      description: 'Pipeline key',
    }),
    ApiQuery({ name: 'ownerId', required: false, schema: { type: 'string', format: 'uuid' } }),
    ApiQuery({ name: 'teamId', required: false, schema: { type: 'string', format: 'uuid' } }),
  );

@ApiTags('Forecasts')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/forecasts')
export class ForecastsController {
  constructor(
    private readonly weightedForecast: WeightedForecastService,
    private readonly statisticalForecast: StatisticalForecastService,
  ) {}

  @Get('weighted')
  @ApiOperation({
    summary: 'Weighted pipeline forecast per period, by forecast category',
    operationId: 'weightedForecast',
    description:
      "Opportunities the caller may read, placed in the period of their expected close date (won ones without one: the day they closed), converted into forecasting.reportingCurrency by the exchange rate of that day. Categories are exclusive (best case does not include commit); `totals` adds them up cumulatively. Amounts without a rate are left out and listed in `missingRates`. 403 when the caller's role hides a field the forecast is computed from (amount, probability, forecastCategory, expectedCloseDate).",
  })
  @ApiForecastFilters()
  @ApiQuery({ name: 'from', required: true, schema: { type: 'string', format: 'date' } })
  @ApiQuery({
    name: 'to',
    required: true,
    schema: { type: 'string', format: 'date' },
    description: `Not before from; at most ${MAX_PERIODS} periods after it`,
  })
  @ApiQuery({ name: 'groupBy', required: false, enum: GROUP_BYS })
  @ApiOkResponse({ type: WeightedForecastDto })
  @ApiProblems(400, 401, 403)
  weighted(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
  ): Promise<WeightedForecastDto> {
    return this.weightedForecast.forecast(ctx, query);
  }

  @Get('statistical')
  @ApiOperation({
    summary: 'Trend of won amounts with prediction intervals',
    operationId: 'statisticalForecast',
    description:
      'Ordinary least squares over the won amount of each of the last `history` whole periods before `asOf` (empty periods count as 0; periods before the first won opportunity are not history), in forecasting.reportingCurrency, with R² and a 95 % prediction interval (Student t) for the next `horizon` periods. Fewer than 3 periods answer 422 `insufficient_history`.',
  })
  @ApiForecastFilters()
  @ApiQuery({
    name: 'history',
    required: false,
    schema: {
      type: 'integer',
      minimum: HISTORY.min,
      maximum: HISTORY.max,
      default: HISTORY.default,
    },
  })
  @ApiQuery({
    name: 'horizon',
    required: false,
    schema: {
      type: 'integer',
      minimum: HORIZON.min,
      maximum: HORIZON.max,
      default: HORIZON.default,
    },
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', format: 'date' },
    description: "Defaults to today in the organization's time zone",
  })
  @ApiOkResponse({ type: StatisticalForecastDto })
  @ApiProblems(400, 401, 403, 422)
  statistical(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
  ): Promise<StatisticalForecastDto> {
    return this.statisticalForecast.forecast(ctx, query);
  }
}
