import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '#platform/http/index.js';
import { IsCurrencyCode, IsDecimalString, MoneyDto } from '#platform/records/index.js';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const MAX_PRODUCTS_PER_LOOKUP = 100;

/** The query of GET /prices. */
export class PriceQueryDto {
  @ApiPropertyOptional({ type: 'string', format: 'uuid', maxLength: 36 })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  @Matches(new RegExp(`^${UUID}$`), { message: 'productId must be a UUID' })
  productId?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 3800,
    description: `Several products at once, comma-separated (at most ${MAX_PRODUCTS_PER_LOOKUP})`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(3800)
  @Matches(new RegExp(`^${UUID}(,${UUID}){0,${MAX_PRODUCTS_PER_LOOKUP - 1}}$`), {
    message: `productIds must be up to ${MAX_PRODUCTS_PER_LOOKUP} comma-separated UUIDs`,
  })
  productIds?: string;

  @ApiPropertyOptional({
    type: 'string',
    example: 'IDR',
    maxLength: 3,
    description: "ISO 4217; defaults to the organization's currency",
  })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-05-04',
    maxLength: 10,
    description: "The day to price on; defaults to today in the organization's time zone",
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    maxLength: 36,
    description:
      'The account whose segment picks the book; without it only books for every account',
  })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  @Matches(new RegExp(`^${UUID}$`), { message: 'accountId must be a UUID' })
  accountId?: string;

  @ApiPropertyOptional({
    type: 'string',
    example: '10',
    default: '1',
    maxLength: 26,
    description: 'Picks the volume tier; more than zero',
  })
  @IsOptional()
  @IsString()
  @MaxLength(26)
  @IsDecimalString()
  quantity?: string;
}

export const PRICE_RULES = ['segment', 'all-accounts', 'standard'] as const;
export type PriceRule = (typeof PRICE_RULES)[number];

export class PricedBookDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', maxLength: 200, example: 'Harga distributor Jawa 2026' })
  name: string;
  @ApiProperty({ type: 'boolean' }) isStandard: boolean;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 100, example: 'partner' })
  accountType: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 100, example: 'retail' })
  industry: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 100, example: 'gold' })
  tier: string | null;
}

export class PricedEntryDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', maxLength: 26, example: '10' }) minQuantity: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) validFrom: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) validTo: string | null;
}

export class PriceDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) productId: string;
  @ApiProperty({ type: 'string', maxLength: 64, example: 'LPT-14-BIZ' }) sku: string;
  @ApiProperty({
    type: 'string',
    maxLength: 200,
    example: 'Laptop bisnis 14 inci',
    description: 'In the language of Accept-Language when the product has it',
  })
  productName: string;
  @ApiProperty({ type: MoneyDto }) unitPrice: MoneyDto;
  @ApiProperty({ type: 'string', maxLength: 26, example: '10' }) quantity: string;
  @ApiProperty({ type: PricedBookDto }) priceBook: PricedBookDto;
  @ApiProperty({ type: PricedEntryDto }) entry: PricedEntryDto;
  @ApiProperty({
    type: 'string',
    enum: PRICE_RULES,
    description:
      "`segment`: a book whose criteria the account matched (the most criteria win); `all-accounts`: a non-standard book without criteria; `standard`: the currency's standard book",
  })
  rule: PriceRule;
  @ApiProperty({
    type: 'string',
    maxLength: 1000,
    example:
      'Price book "Harga distributor Jawa 2026" for accounts of type partner, from a quantity of 10',
  })
  reason: string;
}

/** A product of a several-product lookup that has no price, and why. */
export class UnpricedProductDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) productId: string;
  @ApiProperty({
    type: 'integer',
    format: 'int32',
    minimum: 400,
    maximum: 599,
    example: 404,
    description: 'What a lookup of this product alone would answer',
  })
  status: number;
  @ApiProperty({ type: 'string', maxLength: 100, example: 'price_not_found' }) code: string;
  @ApiProperty({ type: 'string', maxLength: 200, example: 'No price' }) title: string;
  @ApiProperty({
    type: 'string',
    maxLength: 2000,
    description: 'In the language of Accept-Language',
    example:
      'No active price book in IDR has a price for LPT-14-BIZ on 2026-05-04 for a quantity of 1; prices are never converted from another currency.',
  })
  detail: string;
}

export class PriceListDto {
  @ApiProperty({ type: [PriceDto], maxItems: MAX_PRODUCTS_PER_LOOKUP }) data: PriceDto[];
  @ApiProperty({
    type: [UnpricedProductDto],
    maxItems: MAX_PRODUCTS_PER_LOOKUP,
    description:
      'With `productIds`: each product that cannot be priced (unknown or out of reach 404, inactive or unavailable 422, no price 404), the others answering in `data`. Always empty with `productId` alone, which answers such a problem as the error',
  })
  unpriced: UnpricedProductDto[];
  @ApiProperty({ type: 'string', maxLength: 3, example: 'IDR' }) currency: string;
  @ApiProperty({ type: 'string', format: 'date' }) date: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) accountId: string | null;
}
