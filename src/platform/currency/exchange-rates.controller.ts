import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx } from '#platform/context/ctx.decorator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { ApiProblems } from '#platform/http/api-docs.decorators.js';
import { QueryParams } from '#platform/http/query-params.js';
import { adminTableController } from '#platform/records/admin-table-controller.factory.js';
import {
  CreateExchangeRateDto,
  EffectiveRateDto,
  ExchangeRateDto,
  ExchangeRateListDto,
  UpdateExchangeRateDto,
} from './dto/exchange-rate.dto.js';
import { ExchangeRatesService } from './exchange-rates.service.js';

export const ExchangeRatesController = adminTableController({
  path: 'exchange-rates',
  tag: 'Exchange rates',
  name: 'ExchangeRate',
  service: ExchangeRatesService,
  createDto: CreateExchangeRateDto,
  updateDto: UpdateExchangeRateDto,
  responseDto: ExchangeRateDto,
  listDto: ExchangeRateListDto,
  listQuery: {
    filter: 'filter[fromCurrency][eq]=USD&filter[validFrom][lte]=2026-03-31',
    sort: '-validFrom',
    fields: 'id,fromCurrency,toCurrency,rate',
  },
  docs: {
    list: {
      summary: 'List exchange rates',
      description:
        'Any signed-in user. Filter on fromCurrency, toCurrency, rate, validFrom, createdAt; sort by any of them (default `-validFrom,fromCurrency,toCurrency`); `q` searches the pair (`usd/idr`).',
      problems: [400, 401],
    },
    create: {
      summary: 'Add an exchange rate (admins)',
      description:
        'A pair has at most one live rate per day (409 otherwise). The rate applies from `validFrom` until the next rate of the pair.',
    },
    get: { summary: 'Read an exchange rate', problems: [400, 401, 404] },
    update: { summary: 'Correct an exchange rate (admins, partial)' },
    remove: {
      summary:
        'Delete an exchange rate (admins; soft — the previous rate of the pair applies again)',
    },
    restore: {
      summary: 'Restore a deleted exchange rate (admins)',
      description: '409 when another live rate of the pair now holds that day.',
    },
    history: { summary: 'Change history of an exchange rate, newest first (admins)' },
  },
});

@ApiTags('Exchange rates')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/exchange-rates')
export class ExchangeRateActionsController {
  constructor(private readonly rates: ExchangeRatesService) {}

  @Get('effective')
  @ApiOperation({
    summary: 'The rate that converts one currency into another on a day',
    operationId: 'effectiveExchangeRate',
    description:
      'The live rate of the pair with the latest validFrom on or before the date; when only the opposite pair is on file, its inverse (1 / rate); when both are, the more recent, the direct one on a tie. Every conversion in reports uses the same rule. 404 `exchange_rate_missing` when none applies.',
  })
  @ApiQuery({ name: 'from', required: true, example: 'USD' })
  @ApiQuery({ name: 'to', required: true, example: 'IDR' })
  @ApiQuery({ name: 'date', required: true, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: EffectiveRateDto })
  @ApiProblems(400, 401, 404)
  effective(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
  ): Promise<EffectiveRateDto> {
    const params = new QueryParams(query, ['from', 'to', 'date']);
    const from = params.currency('from', true);
    const to = params.currency('to', true);
    const date = params.date('date', true);
    params.done();
    return this.rates.effective(ctx, from!, to!, date!);
  }
}
