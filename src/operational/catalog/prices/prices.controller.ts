import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, validateDto } from '#platform/http/index.js';
import { PriceListDto, PriceQueryDto } from '../dto/price.dto.js';
import { PriceLookupService } from './price-lookup.service.js';

const UUID_PARAM = { type: 'string', format: 'uuid', maxLength: 36 } as const;

@ApiTags('Prices')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/prices')
export class PricesController {
  constructor(private readonly prices: PriceLookupService) {}

  @Get()
  @ApiOperation({
    summary: 'Look up the price of products for an account on a day',
    operationId: 'lookup_prices',
    description:
      'For each product: the entry of the most specific active price book of the currency valid that day whose criteria the account matches ' +
      "(a book setting more of account type, industry and tier wins; then the latest validFrom), falling back to the currency's standard book; " +
      'within a book, the highest volume tier the quantity reaches. Answers the unit price, the book and entry used and the rule that matched. ' +
      'Prices are never converted between currencies. With `productId`: 404 for a product the caller may not read or with no price in the currency, 422 for an inactive product or one outside its availability. ' +
      'With `productIds` each product stands alone: those that cannot be priced are listed in `unpriced` with that status and problem, the others priced in `data`. ' +
      '404 for an account the caller may not read, either way.',
  })
  @ApiQuery({ name: 'productId', required: false, schema: UUID_PARAM })
  @ApiQuery({
    name: 'productIds',
    required: false,
    description: 'Several products at once, comma-separated',
    schema: { type: 'string', maxLength: 3800 },
  })
  @ApiQuery({
    name: 'currency',
    required: false,
    schema: { type: 'string', maxLength: 3, example: 'IDR' },
  })
  @ApiQuery({
    name: 'date',
    required: false,
    schema: { type: 'string', format: 'date', maxLength: 10, example: '2026-05-04' },
  })
  @ApiQuery({ name: 'accountId', required: false, schema: UUID_PARAM })
  @ApiQuery({
    name: 'quantity',
    required: false,
    schema: { type: 'string', maxLength: 26, example: '10' },
  })
  @ApiOkResponse({ type: PriceListDto })
  @ApiProblems(400, 401, 403, 404, 422)
  async lookup(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.prices.lookup(ctx, await validateDto(PriceQueryDto, { ...query }));
  }
}
