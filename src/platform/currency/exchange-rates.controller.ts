import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CRM_CONFIG } from '../config/config.tokens.js';
import type { CrmConfig } from '../config/crm-config.js';
import { Ctx } from '../context/ctx.decorator.js';
import type { RequestContext } from '../context/request-context.js';
import { ApiListQuery, ApiProblems } from '../http/api-docs.decorators.js';
import { etagOf } from '../http/etag.js';
import { parseLimitParam, UuidParamPipe } from '../http/params.js';
import { QueryParams } from '../http/query-params.js';
import { parseListQuery } from '../query/list-request.js';
import { HistoryPageDto } from '../records/dto/list.dto.js';
import {
  CreateExchangeRateDto,
  EffectiveRateDto,
  ExchangeRateDto,
  ExchangeRateListDto,
  UpdateExchangeRateDto,
} from './dto/exchange-rate.dto.js';
import { ExchangeRatesService } from './exchange-rates.service.js';

const ETAG_HEADER = {
  ETag: { description: 'Send as If-Match on PATCH and DELETE', schema: { type: 'string' } },
};

@ApiTags('Exchange rates')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/exchange-rates')
export class ExchangeRatesController {
  constructor(
    private readonly rates: ExchangeRatesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List exchange rates',
    operationId: 'listExchangeRates',
    description:
      'Any signed-in user. Filter on fromCurrency, toCurrency, rate, validFrom, createdAt; sort by any of them (default `-validFrom,fromCurrency,toCurrency`); `q` searches the pair (`usd/idr`).',
  })
  @ApiListQuery({
    filter: 'filter[fromCurrency][eq]=USD&filter[validFrom][lte]=2026-03-31',
    sort: '-validFrom',
    fields: 'id,fromCurrency,toCurrency,rate',
  })
  @ApiOkResponse({ type: ExchangeRateListDto })
  @ApiProblems(400, 401)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.rates.list(
      ctx,
      parseListQuery(query, {
        defaultLimit: this.config.api.defaultPageSize,
        maxLimit: this.config.api.maxPageSize,
      }),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Add an exchange rate (admins)',
    operationId: 'createExchangeRate',
    description:
      'A pair has at most one live rate per day (409 otherwise). The rate applies from `validFrom` until the next rate of the pair.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({
    type: ExchangeRateDto,
    headers: { Location: { schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ApiProblems(400, 401, 403, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateExchangeRateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExchangeRateDto> {
    const rate = await this.rates.create(ctx, body);
    void reply
      .header('location', `/api/v1/exchange-rates/${rate.id}`)
      .header('etag', etagOf(rate.version));
    return rate;
  }

  @Get('effective')
  @ApiOperation({
    summary: 'The rate that converts one currency into another on a day',
    operationId: 'effectiveExchangeRate',
    description:
      'The live rate of the pair with the latest validFrom on or before the date; when only the opposite pair is on file, its inverse (1 / rate); when both are, the more recent, the direct one on a tie. Forecasts convert by the same rule. 404 `exchange_rate_missing` when none applies.',
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

  @Get(':id')
  @ApiOperation({ summary: 'Read an exchange rate', operationId: 'getExchangeRate' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ExchangeRateDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExchangeRateDto> {
    const rate = await this.rates.get(ctx, id);
    void reply.header('etag', etagOf(rate.version));
    return rate;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Correct an exchange rate (admins, partial)',
    operationId: 'updateExchangeRate',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from a read; a stale one answers 412',
  })
  @ApiOkResponse({ type: ExchangeRateDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateExchangeRateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExchangeRateDto> {
    const rate = await this.rates.update(ctx, id, body, ifMatch);
    void reply.header('etag', etagOf(rate.version));
    return rate;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an exchange rate (admins; soft — the previous rate of the pair applies again)',
    operationId: 'deleteExchangeRate',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.rates.remove(ctx, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Restore a deleted exchange rate (admins)',
    operationId: 'restoreExchangeRate',
    description: '409 when another live rate of the pair now holds that day.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ExchangeRateDto, headers: ETAG_HEADER })
  @ApiProblems(400, 401, 403, 404, 409)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExchangeRateDto> {
    const rate = await this.rates.restore(ctx, id);
    void reply.header('etag', etagOf(rate.version));
    return rate;
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Change history of an exchange rate, newest first (admins)',
    operationId: 'exchangeRateHistory',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiProblems(400, 401, 403, 404)
  async history(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<HistoryPageDto> {
    const n = parseLimitParam(limit);
    const page = await this.rates.historyOf(ctx, id, n, cursor ?? null);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit: n } };
  }
}
